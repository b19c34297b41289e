/**
 * What would change to get a bucket from its state to the lake's settings (`bucket-settings.ts`)
 * and the lifecycle rules it is given. Pure: no I/O, so `--dry-run`, `status` and `apply` share one
 * answer. Lifecycle rules and policy statements the lake does not own (by rule ID and statement Sid)
 * are kept as they are.
 */
import type {
  DeleteBucketLifecycleCommandInput,
  LifecycleRule,
  PutBucketEncryptionCommandInput,
  PutBucketLifecycleConfigurationCommandInput,
  PutBucketPolicyCommandInput,
  PutBucketVersioningCommandInput,
  PutPublicAccessBlockCommandInput,
} from "@aws-sdk/client-s3";
import { LAKE_BUCKET_SETTINGS, type PolicyStatement, tlsOnlyStatement } from "./bucket-settings.ts";
import type {
  BucketState,
  DefaultEncryption,
  PolicyDocument,
  PublicAccessBlockFlags,
  SettingReadback,
} from "./bucket-state.ts";
import {
  describeRule,
  isOwnedRule,
  type LifecycleRuleSpec,
  OWNED_RULE_ID_PREFIX,
  sameRule,
  toLifecycleRule,
} from "./lifecycle-rules.ts";

/** The Sid of the policy statement `lake storage` owns. */
export const TLS_ONLY_STATEMENT_ID = LAKE_BUCKET_SETTINGS.tlsOnlyStatementId;

/** What a bucket should have besides the fixed settings: the lifecycle rules of its prefixes. */
export interface BucketSettings {
  readonly lifecycleRules: readonly LifecycleRuleSpec[];
}

export type BucketSettingName =
  | "versioning"
  | "defaultEncryption"
  | "publicAccessBlock"
  | "lifecycle"
  | "tlsOnlyPolicy";

/** Each setting in words, for people. */
export const SETTING_LABELS: Readonly<Record<BucketSettingName, string>> = {
  versioning: "versioning",
  defaultEncryption: "default encryption",
  publicAccessBlock: "public access block",
  lifecycle: "lifecycle rules",
  tlsOnlyPolicy: "TLS-only policy",
};

/** The request that puts one setting in place. */
export type BucketRequest =
  | { readonly operation: "PutBucketVersioning"; readonly input: PutBucketVersioningCommandInput }
  | { readonly operation: "PutBucketEncryption"; readonly input: PutBucketEncryptionCommandInput }
  | { readonly operation: "PutPublicAccessBlock"; readonly input: PutPublicAccessBlockCommandInput }
  | {
      readonly operation: "PutBucketLifecycleConfiguration";
      readonly input: PutBucketLifecycleConfigurationCommandInput;
    }
  | { readonly operation: "DeleteBucketLifecycle"; readonly input: DeleteBucketLifecycleCommandInput }
  | { readonly operation: "PutBucketPolicy"; readonly input: PutBucketPolicyCommandInput };

/** One setting of one bucket: what it is, what apply would change, and how. */
export interface SettingPlan {
  readonly setting: BucketSettingName;
  /** What the bucket has now, one line per item (lifecycle: per rule). */
  readonly current: readonly string[];
  /** What apply sets, in words. */
  readonly wanted: string;
  /** What apply would change, one line each; empty when the setting is in place. */
  readonly changes: readonly string[];
  /** Why this server cannot report the setting; set only then. */
  readonly unsupported?: string;
  /** What apply sends; absent when nothing is to be done (or it cannot be done safely). */
  readonly request?: BucketRequest;
}

/** Every setting of one bucket, in the order apply sets them. */
export interface BucketPlan {
  readonly bucket: string;
  readonly exists: boolean;
  readonly settings: readonly SettingPlan[];
}

/**
 * Compares the bucket's state with the settings. A setting the server cannot report is still
 * written when writing it loses nothing (versioning, public access block, encryption: apply then
 * learns from the server's answer whether it is supported); the policy and the lifecycle rules are
 * merged with what is there, so they are left alone when that cannot be read.
 * @throws Error when a rule ID lacks `OWNED_RULE_ID_PREFIX` or appears twice (a caller's mistake).
 */
export function planBucket(state: BucketState, settings: BucketSettings): BucketPlan {
  const ids = settings.lifecycleRules.map((rule) => rule.id);
  for (const id of ids) {
    if (!id.startsWith(OWNED_RULE_ID_PREFIX) || ids.indexOf(id) !== ids.lastIndexOf(id))
      throw new Error(`Lifecycle rule ID ${id} must be unique and start with ${OWNED_RULE_ID_PREFIX}`);
  }
  const bucket = state.bucket;
  return {
    bucket,
    exists: state.exists,
    // The policy goes before the public access block: with BlockPublicPolicy on, S3 refuses a policy
    // that grants public access (Ceph: any Allow statement), so our statement could not be added
    // beside such statements a bucket already has.
    settings: [
      planVersioning(bucket, state.versioning),
      planEncryption(bucket, state.encryption),
      planLifecycle(bucket, state.lifecycleRules, settings.lifecycleRules),
      planPolicy(bucket, state.policy, tlsOnlyStatement(bucket, state.arnPartition)),
      planPublicAccessBlock(bucket, state.publicAccessBlock),
    ],
  };
}

/** The changes of a plan, one line each, every setting's together. */
export function pendingChanges(plan: BucketPlan): string[] {
  return plan.settings.flatMap((setting) => setting.changes);
}

function planVersioning(bucket: string, read: BucketState["versioning"]): SettingPlan {
  const wanted = LAKE_BUCKET_SETTINGS.versioning;
  const request: BucketRequest = {
    operation: "PutBucketVersioning",
    input: { Bucket: bucket, VersioningConfiguration: { Status: wanted } },
  };
  const base = { setting: "versioning", wanted } as const;
  if (!read.supported) return unreadable(base, read, request);
  if (read.value === wanted) return { ...base, current: [read.value], changes: [] };
  return { ...base, current: [read.value], changes: [`versioning: ${read.value} → ${wanted}`], request };
}

function planEncryption(bucket: string, read: SettingReadback<DefaultEncryption | undefined>): SettingPlan {
  const request: BucketRequest = {
    operation: "PutBucketEncryption",
    input: {
      Bucket: bucket,
      ServerSideEncryptionConfiguration: {
        Rules: [
          { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: LAKE_BUCKET_SETTINGS.defaultEncryption } },
        ],
      },
    },
  };
  const base = {
    setting: "defaultEncryption",
    wanted: "AES256 (SSE-S3), or the KMS key already set",
  } as const;
  if (!read.supported) return unreadable(base, read, request);
  if (read.value !== undefined) return { ...base, current: [describeEncryption(read.value)], changes: [] };
  return { ...base, current: ["none"], changes: ["default encryption: none → AES256 (SSE-S3)"], request };
}

function planPublicAccessBlock(bucket: string, read: SettingReadback<PublicAccessBlockFlags>): SettingPlan {
  const all: PublicAccessBlockFlags = LAKE_BUCKET_SETTINGS.publicAccessBlock;
  const request: BucketRequest = {
    operation: "PutPublicAccessBlock",
    input: { Bucket: bucket, PublicAccessBlockConfiguration: all },
  };
  const base = { setting: "publicAccessBlock", wanted: "all four flags on" } as const;
  if (!read.supported) return unreadable(base, read, request);
  const off = (Object.keys(all) as (keyof PublicAccessBlockFlags)[]).filter((flag) => !read.value[flag]);
  const on = (Object.keys(all) as (keyof PublicAccessBlockFlags)[]).filter((flag) => read.value[flag]);
  const current =
    off.length === 0
      ? "all four flags on"
      : on.length === 0
        ? "all four flags off"
        : `on: ${on.join(", ")}; off: ${off.join(", ")}`;
  if (off.length === 0) return { ...base, current: [current], changes: [] };
  return {
    ...base,
    current: [current],
    changes: [`public access block: turn on ${off.join(", ")}`],
    request,
  };
}

function planLifecycle(
  bucket: string,
  read: BucketState["lifecycleRules"],
  specs: readonly LifecycleRuleSpec[],
): SettingPlan {
  const wantedRules = specs.map(toLifecycleRule);
  const base = { setting: "lifecycle", wanted: wantedRules.map(describeOwned).join("; ") || "none" } as const;
  if (!read.supported) return unreadable(base, read, undefined);
  const owned = read.value.filter(isOwnedRule);
  const foreign = read.value.filter((rule) => !isOwnedRule(rule));
  const changes: string[] = [];
  for (const rule of wantedRules) {
    const existing = owned.find((r) => r.ID === rule.ID);
    if (existing === undefined) changes.push(`lifecycle rule ${rule.ID}: add (${describeRule(rule)})`);
    else if (!sameRule(existing, rule))
      changes.push(`lifecycle rule ${rule.ID}: ${describeRule(existing)} → ${describeRule(rule)}`);
  }
  for (const rule of owned) {
    if (!wantedRules.some((r) => r.ID === rule.ID))
      changes.push(
        `lifecycle rule ${rule.ID}: remove (${describeRule(rule)}); no location of the project uses it`,
      );
  }
  const current = [
    ...owned.map(describeOwned),
    ...foreign.map((rule) => `${rule.ID ?? "(no ID)"}: ${describeRule(rule)} (not ours: kept)`),
  ];
  if (changes.length === 0) return { ...base, current: current.length ? current : ["none"], changes };
  const rules = [...foreign, ...wantedRules];
  // S3 refuses a configuration without rules: removing the last one deletes the configuration.
  const request: BucketRequest =
    rules.length === 0
      ? { operation: "DeleteBucketLifecycle", input: { Bucket: bucket } }
      : {
          operation: "PutBucketLifecycleConfiguration",
          input: { Bucket: bucket, LifecycleConfiguration: { Rules: rules } },
        };
  return { ...base, current: current.length ? current : ["none"], changes, request };
}

function planPolicy(
  bucket: string,
  read: SettingReadback<PolicyDocument | undefined>,
  wanted: PolicyStatement,
): SettingPlan {
  const base = {
    setting: "tlsOnlyPolicy",
    wanted: `statement ${TLS_ONLY_STATEMENT_ID}: deny every request not made over TLS`,
  } as const;
  if (!read.supported) return unreadable(base, read, undefined);
  const statements = read.value?.Statement ?? [];
  const ours = statements.find((s) => s.Sid === TLS_ONLY_STATEMENT_ID);
  const others = statements.filter((s) => s.Sid !== TLS_ONLY_STATEMENT_ID);
  const kept =
    others.length === 0 ? "" : `; ${others.length} other statement${others.length === 1 ? "" : "s"} (kept)`;
  if (ours !== undefined && canonicalStatement(ours) === canonicalStatement(wanted))
    return { ...base, current: [`present${kept}`], changes: [] };
  const current =
    read.value === undefined
      ? "no bucket policy"
      : ours === undefined
        ? `absent${kept}`
        : `statement ${TLS_ONLY_STATEMENT_ID} differs${kept}`;
  const document = {
    Version: read.value?.Version ?? "2012-10-17",
    ...(read.value?.Id === undefined ? {} : { Id: read.value.Id }),
    Statement: [...others, wanted],
  };
  return {
    ...base,
    current: [current],
    changes: [
      `TLS-only policy: ${ours === undefined ? "add" : "replace"} statement ${TLS_ONLY_STATEMENT_ID} (deny every request not made over TLS)`,
    ],
    request: { operation: "PutBucketPolicy", input: { Bucket: bucket, Policy: JSON.stringify(document) } },
  };
}

/** A setting the server cannot report: no change is known; `request`, if any, is tried anyway. */
function unreadable(
  base: { readonly setting: BucketSettingName; readonly wanted: string },
  read: { readonly reason: string },
  request: BucketRequest | undefined,
): SettingPlan {
  return {
    ...base,
    current: [`not supported by this server: ${read.reason}`],
    changes: [],
    unsupported: read.reason,
    ...(request === undefined ? {} : { request }),
  };
}

function describeOwned(rule: LifecycleRule): string {
  return `${rule.ID}: ${describeRule(rule)}`;
}

function describeEncryption(encryption: DefaultEncryption): string {
  const name = encryption.algorithm === "AES256" ? "AES256 (SSE-S3)" : encryption.algorithm;
  return encryption.kmsKeyId === undefined ? name : `${name} with key ${encryption.kmsKeyId}`;
}

/**
 * A statement in one form for comparison: single values as sorted lists, `Principal: "*"` as
 * `{ AWS: ["*"] }`, keys sorted (servers may return a policy reformatted).
 */
function canonicalStatement(statement: PolicyStatement): string {
  const { Sid: _sid, Principal, Condition, ...rest } = statement;
  const list = (value: unknown) => [value].flat().map(String).sort();
  const listsOf = (value: unknown) =>
    typeof value === "object" && value !== null
      ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, list(v)]))
      : value;
  const canonical = {
    ...Object.fromEntries(
      Object.entries(rest).map(([k, v]) => [k, /Action$|Resource$/.test(k) ? list(v) : v]),
    ),
    Principal: Principal === "*" ? { AWS: ["*"] } : listsOf(Principal),
    Condition:
      typeof Condition === "object" && Condition !== null
        ? Object.fromEntries(Object.entries(Condition).map(([op, keys]) => [op, listsOf(keys)]))
        : Condition,
  };
  return JSON.stringify(canonical, (_key, value) =>
    typeof value === "object" && value !== null && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)))
      : value,
  );
}
