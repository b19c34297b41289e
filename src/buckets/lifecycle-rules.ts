/**
 * Lifecycle rules that `lake storage apply` owns on a bucket: how they are written, how a rule read
 * back is compared with the one wanted (servers rewrite them: Ceph moves an empty `Filter.Prefix` to
 * the legacy top-level `Prefix` and lists transitions by descending days), and how one reads in words.
 */
import type { LifecycleRule } from "@aws-sdk/client-s3";
import { LAKE_BUCKET_SETTINGS } from "./bucket-settings.ts";

/** Every rule `lake storage` owns has an ID starting with this; rules without it are left alone. */
export const OWNED_RULE_ID_PREFIX = LAKE_BUCKET_SETTINGS.ownedRuleIdPrefix;

/** The storage classes a zone's objects move to. */
export type TierStorageClass = "STANDARD_IA" | "GLACIER";

/** One lifecycle rule `lake storage apply` keeps, for the objects under one key prefix. */
export interface LifecycleRuleSpec {
  /** Starts with `OWNED_RULE_ID_PREFIX`. */
  readonly id: string;
  /** The key prefix it covers, ending in `/`; "" for the whole bucket. */
  readonly prefix: string;
  /** Moves to cheaper storage, in days since an object was created. */
  readonly transitions?: readonly { readonly days: number; readonly storageClass: TierStorageClass }[];
  /** Versions that are no longer current are deleted this many days after they stopped being so. */
  readonly noncurrentVersionExpirationDays?: number;
  /** Multipart uploads not completed within this many days are aborted and their parts deleted. */
  readonly abortIncompleteUploadsAfterDays?: number;
}

/** Whether `lake storage` owns the rule (by its ID). */
export function isOwnedRule(rule: LifecycleRule): boolean {
  return rule.ID?.startsWith(OWNED_RULE_ID_PREFIX) === true;
}

/** The rule as S3 takes it. */
export function toLifecycleRule(spec: LifecycleRuleSpec): LifecycleRule {
  const transitions = [...(spec.transitions ?? [])].sort((a, b) => a.days - b.days);
  return {
    ID: spec.id,
    Status: "Enabled",
    Filter: { Prefix: spec.prefix },
    ...(transitions.length === 0
      ? {}
      : { Transitions: transitions.map((t) => ({ Days: t.days, StorageClass: t.storageClass })) }),
    ...(spec.noncurrentVersionExpirationDays === undefined
      ? {}
      : { NoncurrentVersionExpiration: { NoncurrentDays: spec.noncurrentVersionExpirationDays } }),
    ...(spec.abortIncompleteUploadsAfterDays === undefined
      ? {}
      : { AbortIncompleteMultipartUpload: { DaysAfterInitiation: spec.abortIncompleteUploadsAfterDays } }),
  };
}

/** Whether two rules do the same thing to the same objects, however the server wrote them back. */
export function sameRule(a: LifecycleRule, b: LifecycleRule): boolean {
  return JSON.stringify(canonicalRule(a)) === JSON.stringify(canonicalRule(b));
}

/** The rule in words, e.g. `landing/: Standard-IA after 30 days, Glacier after 90 days`. */
export function describeRule(rule: LifecycleRule): string {
  const { prefix, otherFilters, status, transitions, expiration, noncurrent, abortDays } =
    canonicalRule(rule);
  const actions = [
    ...transitions.map(
      (t) =>
        `${storageClassName(t.StorageClass)} ${t.Days === undefined ? `on ${t.Date}` : `after ${t.Days} days`}`,
    ),
    ...(expiration === undefined ? [] : ["expiration"]),
    ...(noncurrent.expireDays === undefined
      ? []
      : [`noncurrent versions expire after ${noncurrent.expireDays} days`]),
    ...(noncurrent.transitions === undefined ? [] : ["noncurrent version transitions"]),
    ...(abortDays === undefined ? [] : [`incomplete multipart uploads aborted after ${abortDays} days`]),
  ];
  const where = `${prefix === "" ? "whole bucket" : prefix}${otherFilters === undefined ? "" : " (with other filters)"}`;
  return `${where}: ${actions.join(", ") || "no action"}${status === "Enabled" ? "" : ` (${status ?? "no status"})`}`;
}

/** Every field that decides what a rule does, in one form whatever way the server wrote it. */
function canonicalRule(rule: LifecycleRule) {
  const filter = rule.Filter ?? {};
  const { Prefix: _filterPrefix, And, ...otherFilter } = filter;
  const { Prefix: _andPrefix, ...otherAnd } = And ?? {};
  const extras = { ...otherFilter, ...otherAnd };
  return {
    id: rule.ID,
    status: rule.Status,
    prefix: filter.Prefix ?? And?.Prefix ?? rule.Prefix ?? "",
    otherFilters: Object.values(extras).every((v) => v === undefined) ? undefined : sortedKeys(extras),
    transitions: [...(rule.Transitions ?? [])]
      .map((t) => ({ Days: t.Days, Date: t.Date?.toISOString(), StorageClass: t.StorageClass }))
      .sort(
        (a, b) =>
          (a.Days ?? 0) - (b.Days ?? 0) || String(a.StorageClass).localeCompare(String(b.StorageClass)),
      ),
    expiration: rule.Expiration === undefined ? undefined : sortedKeys(rule.Expiration),
    noncurrent: {
      expireDays: rule.NoncurrentVersionExpiration?.NoncurrentDays,
      keepNewer: rule.NoncurrentVersionExpiration?.NewerNoncurrentVersions,
      transitions: rule.NoncurrentVersionTransitions?.map(sortedKeys),
    },
    abortDays: rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation,
  };
}

function sortedKeys(value: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

function storageClassName(storageClass: string | undefined): string {
  if (storageClass === "STANDARD_IA") return "Standard-IA";
  if (storageClass === "GLACIER") return "Glacier";
  return storageClass ?? "another class";
}
