import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type BucketSettings,
  type BucketState,
  type LifecycleRuleSpec,
  newBucketState,
  pendingChanges,
  planBucket,
  TLS_ONLY_STATEMENT_ID,
  tlsOnlyStatement,
} from "../../src/buckets/index.ts";

// The plan alone, on bucket states written by hand: how a state read back from a server compares with
// the settings. The same plans against the real server are in apply-bucket.test.ts.

const LANDING_TIERS: LifecycleRuleSpec = {
  id: "medallion-lake-landing-tiers",
  prefix: "landing/",
  transitions: [
    { days: 30, storageClass: "STANDARD_IA" },
    { days: 90, storageClass: "GLACIER" },
  ],
};
const CLEANUP: LifecycleRuleSpec = {
  id: "medallion-lake-landing-cleanup",
  prefix: "",
  noncurrentVersionExpirationDays: 30,
  abortIncompleteUploadsAfterDays: 7,
};
const SETTINGS: BucketSettings = { lifecycleRules: [LANDING_TIERS, CLEANUP] };

/** A bucket with everything in place, written back the way Ceph does it. */
function settledState(overrides: Partial<BucketState> = {}): BucketState {
  return {
    ...newBucketState("acme-lake"),
    exists: true,
    versioning: { supported: true, value: "Enabled" },
    publicAccessBlock: {
      supported: true,
      value: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
    },
    encryption: { supported: true, value: { algorithm: "AES256" } },
    policy: { supported: true, value: { Version: "2012-10-17", Statement: [tlsOnlyStatement("acme-lake")] } },
    lifecycleRules: {
      supported: true,
      value: [
        // Ceph: an empty Filter.Prefix comes back as the legacy top-level Prefix.
        {
          ID: "medallion-lake-landing-cleanup",
          Status: "Enabled",
          Prefix: "",
          NoncurrentVersionExpiration: { NoncurrentDays: 30 },
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
        },
        // Ceph: transitions by descending days.
        {
          ID: "medallion-lake-landing-tiers",
          Status: "Enabled",
          Filter: { Prefix: "landing/" },
          Transitions: [
            { Days: 90, StorageClass: "GLACIER" },
            { Days: 30, StorageClass: "STANDARD_IA" },
          ],
        },
      ],
    },
    ...overrides,
  };
}

describe("planBucket", () => {
  it("plans nothing for a bucket that has every setting, however the server wrote the rules back", () => {
    const plan = planBucket(settledState(), SETTINGS);
    assert.deepEqual(pendingChanges(plan), []);
    assert.ok(plan.settings.every((s) => s.request === undefined));
  });

  it("plans every setting for a bucket that does not exist yet, in the order apply sends them", () => {
    const plan = planBucket(newBucketState("acme-lake"), SETTINGS);
    assert.deepEqual(
      plan.settings.map((s) => s.request?.operation),
      [
        "PutBucketVersioning",
        "PutBucketEncryption",
        "PutBucketLifecycleConfiguration",
        "PutBucketPolicy",
        "PutPublicAccessBlock",
      ],
    );
    assert.deepEqual(pendingChanges(plan), [
      "versioning: Unversioned → Enabled",
      "default encryption: none → AES256 (SSE-S3)",
      "lifecycle rule medallion-lake-landing-tiers: add (landing/: Standard-IA after 30 days, Glacier after 90 days)",
      "lifecycle rule medallion-lake-landing-cleanup: add (whole bucket: noncurrent versions expire after 30 days, incomplete multipart uploads aborted after 7 days)",
      "TLS-only policy: add statement MedallionLakeDenyInsecureTransport (deny every request not made over TLS)",
      "public access block: turn on BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets",
    ]);
  });

  it("leaves a default encryption with a KMS key alone", () => {
    const plan = planBucket(
      settledState({
        encryption: { supported: true, value: { algorithm: "aws:kms", kmsKeyId: "alias/lake" } },
      }),
      SETTINGS,
    );
    const encryption = plan.settings.find((s) => s.setting === "defaultEncryption");
    assert.deepEqual(encryption?.current, ["aws:kms with key alias/lake"]);
    assert.deepEqual(pendingChanges(plan), []);
  });

  it("recognizes its policy statement in another spelling, and keeps the statements of others", () => {
    const spelledOtherwise = {
      Sid: TLS_ONLY_STATEMENT_ID,
      Condition: { Bool: { "aws:SecureTransport": ["false"] } },
      Resource: ["arn:aws:s3:::acme-lake/*", "arn:aws:s3:::acme-lake"],
      Action: ["s3:*"],
      Principal: { AWS: "*" },
      Effect: "Deny",
    };
    const theirs = {
      Sid: "Auditors",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::1:root" },
      Action: "s3:GetObject",
    };
    const inPlace = planBucket(
      settledState({ policy: { supported: true, value: { Statement: [theirs, spelledOtherwise] } } }),
      SETTINGS,
    );
    assert.deepEqual(pendingChanges(inPlace), []);
    assert.deepEqual(inPlace.settings.find((s) => s.setting === "tlsOnlyPolicy")?.current, [
      "present; 1 other statement (kept)",
    ]);

    const missing = planBucket(
      settledState({ policy: { supported: true, value: { Id: "mine", Statement: [theirs] } } }),
      SETTINGS,
    );
    const request = missing.settings.find((s) => s.setting === "tlsOnlyPolicy")?.request;
    assert.equal(request?.operation, "PutBucketPolicy");
    assert.deepEqual(JSON.parse(String(request?.operation === "PutBucketPolicy" && request.input.Policy)), {
      Version: "2012-10-17",
      Id: "mine",
      Statement: [theirs, tlsOnlyStatement("acme-lake")],
    });
  });

  it("changes its own lifecycle rules, removes those no location uses, and keeps the rules of others", () => {
    const settled = settledState();
    const read = settled.lifecycleRules.supported ? settled.lifecycleRules.value : [];
    const theirs = {
      ID: "archive-logs",
      Status: "Enabled" as const,
      Filter: { Prefix: "logs/" },
      Expiration: { Days: 365 },
    };
    const stale = {
      ID: "medallion-lake-gold-tiers",
      Status: "Enabled" as const,
      Filter: { Prefix: "gold/" },
      Transitions: [{ Days: 30, StorageClass: "STANDARD_IA" as const }],
    };
    const plan = planBucket(
      settledState({ lifecycleRules: { supported: true, value: [theirs, stale, ...read] } }),
      {
        lifecycleRules: [
          { ...LANDING_TIERS, transitions: [{ days: 60, storageClass: "STANDARD_IA" }] },
          CLEANUP,
        ],
      },
    );
    assert.deepEqual(pendingChanges(plan), [
      "lifecycle rule medallion-lake-landing-tiers: landing/: Standard-IA after 30 days, Glacier after 90 days → landing/: Standard-IA after 60 days",
      "lifecycle rule medallion-lake-gold-tiers: remove (gold/: Standard-IA after 30 days); no location of the project uses it",
    ]);
    const request = plan.settings.find((s) => s.setting === "lifecycle")?.request;
    assert.ok(request?.operation === "PutBucketLifecycleConfiguration");
    assert.deepEqual(
      request.input.LifecycleConfiguration?.Rules?.map((r) => r.ID),
      ["archive-logs", "medallion-lake-landing-tiers", "medallion-lake-landing-cleanup"],
    );
  });

  it("deletes the lifecycle configuration when the last rule in it is one of its own that goes", () => {
    const plan = planBucket(settledState(), { lifecycleRules: [] });
    const lifecycle = plan.settings.find((s) => s.setting === "lifecycle");
    assert.deepEqual(lifecycle?.request, {
      operation: "DeleteBucketLifecycle",
      input: { Bucket: "acme-lake" },
    });
    assert.equal(lifecycle?.changes.length, 2);
  });

  it("reports what the server cannot read, still tries the settings it can set without losing anything", () => {
    const unreadable = { supported: false, reason: "GetSomething: NotImplemented (HTTP 501)" } as const;
    const plan = planBucket(
      settledState({
        versioning: unreadable,
        publicAccessBlock: unreadable,
        encryption: unreadable,
        policy: unreadable,
        lifecycleRules: unreadable,
      }),
      SETTINGS,
    );
    assert.deepEqual(pendingChanges(plan), []);
    assert.deepEqual(
      plan.settings.map((s) => [s.setting, s.unsupported, s.request?.operation]),
      [
        ["versioning", unreadable.reason, "PutBucketVersioning"],
        ["defaultEncryption", unreadable.reason, "PutBucketEncryption"],
        // Both are merged with what the bucket has: what cannot be read cannot be kept.
        ["lifecycle", unreadable.reason, undefined],
        ["tlsOnlyPolicy", unreadable.reason, undefined],
        ["publicAccessBlock", unreadable.reason, "PutPublicAccessBlock"],
      ],
    );
  });

  it("refuses a lifecycle rule whose ID does not mark it as the lake's", () => {
    assert.throws(
      () => planBucket(newBucketState("acme-lake"), { lifecycleRules: [{ id: "tiers", prefix: "" }] }),
      { message: "Lifecycle rule ID tiers must be unique and start with medallion-lake-" },
    );
  });
});
