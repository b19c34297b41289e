/**
 * The buckets module's public face: what every lake bucket has (`LAKE_BUCKET_SETTINGS`, plain data
 * the CDK app reads too), and `lake storage`'s three steps on one bucket: read its state, plan the
 * changes, apply them. It knows S3 buckets, not zones: lake/ turns lake.json into buckets. It uses
 * storage/ (the S3 client and its errors) and nothing above.
 */
export { applyBucket, type BucketApplyResult, type UnsupportedSetting } from "./apply-bucket.ts";
export {
  type BucketPlan,
  type BucketSettingName,
  type BucketSettings,
  pendingChanges,
  planBucket,
  SETTING_LABELS,
  type SettingPlan,
  TLS_ONLY_STATEMENT_ID,
} from "./bucket-plan.ts";
export { LAKE_BUCKET_SETTINGS, type PolicyStatement, tlsOnlyStatement } from "./bucket-settings.ts";
export { type BucketState, newBucketState, readBucketState } from "./bucket-state.ts";
export {
  type LifecycleRuleSpec,
  OWNED_RULE_ID_PREFIX,
  type TierStorageClass,
} from "./lifecycle-rules.ts";
