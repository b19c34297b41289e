import assert from "node:assert/strict";
import { it } from "node:test";
import {
  CreateBucketCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  type LifecycleRule,
  PutBucketLifecycleConfigurationCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import {
  applyBucket,
  type BucketSettings,
  pendingChanges,
  planBucket,
  readBucketState,
  TLS_ONLY_STATEMENT_ID,
} from "../../src/buckets/index.ts";
import { describeWithS3, removeBucket, scratchBucketName } from "../helpers/s3.ts";

// `applyBucket` against the real S3 test server (Ceph radosgw 16.2, see ../shared/s3/README.md), every
// setting read back with the SDK. What this server does not do:
// - Default encryption: Pacific has no `?encryption` subresource. PutBucketEncryption answers
//   400 InvalidArgument, and GetBucketEncryption answers 200 with an object listing. AWS supports
//   both (and encrypts every new bucket with SSE-S3 since 2023), so there apply sets AES256 or finds
//   it set. The tests below assert the gap as this server reports it.
// - It stores the TLS-only statement but does not evaluate `aws:SecureTransport` (a plain-HTTP request
//   is not refused), and it does not enforce RestrictPublicBuckets; only the stored settings are
//   checked here. On AWS both are enforced.
// - With BlockPublicPolicy on, it refuses any policy that has an Allow statement (403 AccessDenied),
//   public or not; AWS refuses only policies that grant public access.
// - BlockPublicAcls makes the owner's own PutObject fail, and versioning Enabled turns off
//   `If-None-Match` enforcement: no test writes to a bucket after apply, and no Delta table lives in one.

const SETTINGS: BucketSettings = {
  lifecycleRules: [
    {
      id: "medallion-lake-landing-tiers",
      prefix: "landing/",
      transitions: [
        { days: 30, storageClass: "STANDARD_IA" },
        { days: 90, storageClass: "GLACIER" },
      ],
    },
    {
      id: "medallion-lake-landing-cleanup",
      prefix: "landing/",
      noncurrentVersionExpirationDays: 30,
      abortIncompleteUploadsAfterDays: 7,
    },
    {
      id: "medallion-lake-bronze-cleanup",
      prefix: "bronze/",
      noncurrentVersionExpirationDays: 30,
      abortIncompleteUploadsAfterDays: 7,
    },
  ],
};

const ALL_CHANGES = [
  "versioning: Unversioned → Enabled",
  "lifecycle rule medallion-lake-landing-tiers: add (landing/: Standard-IA after 30 days, Glacier after 90 days)",
  "lifecycle rule medallion-lake-landing-cleanup: add (landing/: noncurrent versions expire after 30 days, incomplete multipart uploads aborted after 7 days)",
  "lifecycle rule medallion-lake-bronze-cleanup: add (bronze/: noncurrent versions expire after 30 days, incomplete multipart uploads aborted after 7 days)",
  "TLS-only policy: add statement MedallionLakeDenyInsecureTransport (deny every request not made over TLS)",
  "public access block: turn on BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets",
];

/** Ceph Pacific's answer to PutBucketEncryption (see the header). */
const ENCRYPTION_UNSUPPORTED = {
  setting: "defaultEncryption",
  reason: "PutBucketEncryption: InvalidArgument (HTTP 400)",
} as const;

describeWithS3("applyBucket (real S3 server)", (bucket) => {
  it("sets versioning, public access block, the TLS-only statement and the lifecycle rules, read back with the SDK", async () => {
    const result = await applyBucket(bucket.client, bucket.name, SETTINGS);
    assert.equal(result.created, false);
    assert.deepEqual(result.applied, ALL_CHANGES);
    assert.deepEqual(result.unsupported, [ENCRYPTION_UNSUPPORTED]);

    const client = bucket.client;
    const versioning = await client.send(new GetBucketVersioningCommand({ Bucket: bucket.name }));
    assert.equal(versioning.Status, "Enabled");
    const block = await client.send(new GetPublicAccessBlockCommand({ Bucket: bucket.name }));
    assert.deepEqual(block.PublicAccessBlockConfiguration, {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    assert.deepEqual(await policyStatements(client, bucket.name), [
      {
        Sid: TLS_ONLY_STATEMENT_ID,
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [`arn:aws:s3:::${bucket.name}`, `arn:aws:s3:::${bucket.name}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ]);
    assert.deepEqual(await lifecycleRules(client, bucket.name), [
      {
        ID: "medallion-lake-bronze-cleanup",
        Prefix: "bronze/",
        NoncurrentDays: 30,
        AbortAfterDays: 7,
        Transitions: [],
      },
      {
        ID: "medallion-lake-landing-cleanup",
        Prefix: "landing/",
        NoncurrentDays: 30,
        AbortAfterDays: 7,
        Transitions: [],
      },
      {
        ID: "medallion-lake-landing-tiers",
        Prefix: "landing/",
        NoncurrentDays: undefined,
        AbortAfterDays: undefined,
        Transitions: ["STANDARD_IA after 30", "GLACIER after 90"],
      },
    ]);
  });

  it("changes nothing when applied again: the plan is empty and only the unsupported setting is retried", async () => {
    await applyBucket(bucket.client, bucket.name, SETTINGS);
    const plan = planBucket(await readBucketState(bucket.client, bucket.name), SETTINGS);
    assert.deepEqual(pendingChanges(plan), []);
    const again = await applyBucket(bucket.client, bucket.name, SETTINGS);
    assert.deepEqual(again.applied, []);
    assert.deepEqual(again.unsupported, [ENCRYPTION_UNSUPPORTED]);
  });

  it("reads default encryption as not supported by this server (Ceph Pacific: GetBucketEncryption lists objects)", async () => {
    // On AWS this reads { supported: true, value: { algorithm: "AES256" } } for any bucket.
    const state = await readBucketState(bucket.client, bucket.name);
    assert.deepEqual(state.encryption, {
      supported: false,
      reason: "GetBucketEncryption: answered HTTP 200 without an encryption rule",
    });
  });

  it("creates a bucket that does not exist, and only reads when planning", async () => {
    const name = scratchBucketName();
    try {
      const state = await readBucketState(bucket.client, name);
      assert.equal(state.exists, false);
      assert.deepEqual(pendingChanges(planBucket(state, SETTINGS)), [
        ...ALL_CHANGES.slice(0, 1),
        "default encryption: none → AES256 (SSE-S3)",
        ...ALL_CHANGES.slice(1),
      ]);
      await assert.rejects(bucket.client.send(new HeadBucketCommand({ Bucket: name })), { name: "NotFound" });

      const result = await applyBucket(bucket.client, name, SETTINGS);
      assert.equal(result.created, true);
      assert.deepEqual(result.applied, ALL_CHANGES);
      const versioning = await bucket.client.send(new GetBucketVersioningCommand({ Bucket: name }));
      assert.equal(versioning.Status, "Enabled");
    } finally {
      await removeBucket(bucket.client, name);
    }
  });

  it("puts back settings changed by hand", async () => {
    const name = scratchBucketName();
    const client = bucket.client;
    try {
      await applyBucket(client, name, SETTINGS);
      await client.send(
        new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: "Suspended" } }),
      );
      await client.send(
        new PutPublicAccessBlockCommand({
          Bucket: name,
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            IgnorePublicAcls: true,
            BlockPublicPolicy: true,
            RestrictPublicBuckets: false,
          },
        }),
      );
      const result = await applyBucket(client, name, {
        lifecycleRules: SETTINGS.lifecycleRules.map((rule) =>
          rule.transitions
            ? { ...rule, transitions: [{ days: 60, storageClass: "STANDARD_IA" as const }] }
            : rule,
        ),
      });
      assert.deepEqual(result.applied, [
        "versioning: Suspended → Enabled",
        "lifecycle rule medallion-lake-landing-tiers: landing/: Standard-IA after 30 days, Glacier after 90 days → landing/: Standard-IA after 60 days",
        "public access block: turn on RestrictPublicBuckets",
      ]);
      assert.equal((await client.send(new GetBucketVersioningCommand({ Bucket: name }))).Status, "Enabled");
      const tiers = (await lifecycleRules(client, name)).find((r) => r.ID === "medallion-lake-landing-tiers");
      assert.deepEqual(tiers?.Transitions, ["STANDARD_IA after 60"]);
    } finally {
      await removeBucket(client, name);
    }
  });

  it("keeps the lifecycle rules and policy statements of a bucket it does not own, and removes its rules no location uses", async () => {
    const name = scratchBucketName();
    const client = bucket.client;
    const auditors = {
      Sid: "Auditors",
      Effect: "Allow",
      Principal: { AWS: ["arn:aws:iam:::user/tests"] },
      Action: ["s3:GetObject"],
      Resource: [`arn:aws:s3:::${name}/*`],
    };
    try {
      // A bucket that predates the lake. (Ceph refuses any policy with an Allow statement once
      // BlockPublicPolicy is on, public or not, so its statements go in before the first apply.)
      await client.send(new CreateBucketCommand({ Bucket: name }));
      await client.send(
        new PutBucketLifecycleConfigurationCommand({
          Bucket: name,
          LifecycleConfiguration: {
            Rules: [
              {
                ID: "archive-logs",
                Status: "Enabled",
                Filter: { Prefix: "logs/" },
                Expiration: { Days: 365 },
              },
              {
                ID: "medallion-lake-gold-tiers",
                Status: "Enabled",
                Filter: { Prefix: "gold/" },
                Transitions: [{ Days: 30, StorageClass: "STANDARD_IA" }],
              },
            ],
          },
        }),
      );
      await client.send(
        new PutBucketPolicyCommand({
          Bucket: name,
          Policy: JSON.stringify({ Version: "2012-10-17", Statement: [auditors] }),
        }),
      );

      const result = await applyBucket(client, name, SETTINGS);
      assert.deepEqual(result.applied, [
        ...ALL_CHANGES.slice(0, 4),
        "lifecycle rule medallion-lake-gold-tiers: remove (gold/: Standard-IA after 30 days); no location of the project uses it",
        ...ALL_CHANGES.slice(4),
      ]);
      const rules = await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: name }));
      assert.deepEqual((rules.Rules ?? []).map((r) => r.ID).sort(), [
        "archive-logs",
        "medallion-lake-bronze-cleanup",
        "medallion-lake-landing-cleanup",
        "medallion-lake-landing-tiers",
      ]);
      const archive = rules.Rules?.find((r) => r.ID === "archive-logs");
      assert.deepEqual([archive?.Filter?.Prefix, archive?.Expiration?.Days], ["logs/", 365]);
      const statements = await policyStatements(client, name);
      assert.deepEqual(
        statements.map((s) => s.Sid),
        ["Auditors", TLS_ONLY_STATEMENT_ID],
      );
      assert.deepEqual(statements[0], auditors);
    } finally {
      await removeBucket(client, name);
    }
  });
});

async function policyStatements(client: S3Client, bucket: string): Promise<Record<string, unknown>[]> {
  const policy = await client.send(new GetBucketPolicyCommand({ Bucket: bucket }));
  return (JSON.parse(policy.Policy ?? "{}") as { Statement: Record<string, unknown>[] }).Statement;
}

/**
 * The lake's rules as read back, in one shape: Ceph writes an empty filter prefix as the legacy
 * `Prefix` and lists transitions by descending days, so both are normalized here.
 */
async function lifecycleRules(client: S3Client, bucket: string) {
  const output = await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
  return (output.Rules ?? [])
    .map((rule: LifecycleRule) => ({
      ID: rule.ID,
      Prefix: rule.Filter?.Prefix ?? rule.Prefix,
      NoncurrentDays: rule.NoncurrentVersionExpiration?.NoncurrentDays,
      AbortAfterDays: rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation,
      Transitions: (rule.Transitions ?? [])
        .sort((a, b) => (a.Days ?? 0) - (b.Days ?? 0))
        .map((t) => `${t.StorageClass} after ${t.Days}`),
    }))
    .sort((a, b) => String(a.ID).localeCompare(String(b.ID)));
}
