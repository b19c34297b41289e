import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { GetBucketVersioningCommand, HeadBucketCommand } from "@aws-sdk/client-s3";
import { lake, makeTempDir, removeDir } from "../helpers/cli.ts";
import { describeWithS3, removeBucket, scratchBucketName } from "../helpers/s3.ts";

// `lake storage status` and `lake storage apply [--dry-run]`: on a project in local folders (nothing
// applies, and the output says why), and on a project whose zones are buckets on the S3 test server.

const LOCAL_NOTE =
  "  Versioning, lifecycle tiers, public access and encryption are S3 bucket settings: they do not apply to local folders.";

describe("lake storage on a local project", () => {
  let dir = "";
  before(async () => {
    dir = await makeTempDir();
    await writeFile(join(dir, "lake.json"), '{ "name": "shop" }\n');
  });
  after(() => removeDir(dir));

  const localFolders = () => [
    "Local folders:",
    `  landing  ${dir}/lake/landing`,
    `  bronze   ${dir}/lake/bronze`,
    `  silver   ${dir}/lake/silver`,
    `  gold     ${dir}/lake/gold`,
    `  system   ${dir}/lake/_system`,
    LOCAL_NOTE,
  ];

  it("status lists the local folders and explains that bucket settings do not apply", async () => {
    const result = await lake("storage", "status", "--project", dir);
    assert.equal(result.stderr, "");
    assert.equal(result.code, 0);
    assert.equal(
      result.stdout,
      [
        `Project shop (${dir})`,
        "No zone is on S3: there are no bucket settings to apply.",
        "",
        ...localFolders(),
        "",
      ].join("\n"),
    );
  });

  it("apply and apply --dry-run change nothing and say the same", async () => {
    for (const dryRun of [true, false]) {
      const result = await lake("storage", "apply", ...(dryRun ? ["--dry-run"] : []), "--project", dir);
      assert.equal(result.code, 0);
      assert.equal(
        result.stdout,
        [
          `Project shop (${dir})`,
          ...(dryRun ? ["Dry run: nothing was changed."] : []),
          "No zone is on S3: there are no bucket settings to apply.",
          "",
          ...localFolders(),
          "",
        ].join("\n"),
      );
    }
  });

  it("refuses a missing or unknown subcommand and --dry-run on status, with exit code 2", async () => {
    for (const [argv, message] of [
      [["storage"], "lake: Missing the storage command: expected apply or status."],
      [["storage", "fix"], 'lake: Unknown storage command "fix": expected apply or status.'],
      [["storage", "status", "--dry-run"], "lake: --dry-run goes with apply."],
      [["storage", "status", "now"], 'lake: Unexpected argument "now".'],
    ] as const) {
      const result = await lake(...argv, "--project", dir);
      assert.equal(result.code, 2, argv.join(" "));
      assert.ok(result.stderr.startsWith(`${message}\n\nUsage: lake storage apply`), result.stderr);
    }
  });
});

describeWithS3("lake storage on a project in S3 buckets (real S3 server)", (bucket) => {
  // landing and bronze share the suite's bucket; gold (and the run log beside it) get a bucket that
  // does not exist yet; silver stays local. Nothing is written to the buckets: see
  // test/buckets/apply-bucket.test.ts for what this server does once apply has run.
  const goldBucket = scratchBucketName();
  let dir = "";
  before(async () => {
    dir = await makeTempDir();
    await mkdir(join(dir, "lake"), { recursive: true });
    const config = {
      name: "shop",
      zones: {
        landing: `s3://${bucket.name}/landing`,
        bronze: `s3://${bucket.name}/bronze`,
        silver: "lake/silver",
        gold: `s3://${goldBucket}`,
      },
      storage: { s3: { endpoint: bucket.connection.endpoint } },
    };
    await writeFile(join(dir, "lake.json"), JSON.stringify(config, null, 2));
  });
  after(async () => {
    await removeBucket(bucket.client, goldBucket);
    await removeDir(dir);
  });

  const header = () => [
    `Project shop (${dir})`,
    "",
    `s3://${bucket.name}: landing (landing/), bronze (bronze/)`,
  ];
  const lakeBucketChanges = [
    "versioning: Unversioned → Enabled",
    "lifecycle rule medallion-lake-landing-tiers: add (landing/: Standard-IA after 30 days, Glacier after 90 days)",
    "lifecycle rule medallion-lake-bronze-tiers: add (bronze/: Standard-IA after 30 days, Glacier after 90 days)",
    "lifecycle rule medallion-lake-landing-cleanup: add (landing/: noncurrent versions expire after 30 days, incomplete multipart uploads aborted after 7 days)",
    "lifecycle rule medallion-lake-bronze-cleanup: add (bronze/: noncurrent versions expire after 30 days, incomplete multipart uploads aborted after 7 days)",
    "TLS-only policy: add statement MedallionLakeDenyInsecureTransport (deny every request not made over TLS)",
    "public access block: turn on BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets",
  ];
  const goldBucketChanges = [
    "versioning: Unversioned → Enabled",
    "lifecycle rule medallion-lake-gold-cleanup: add (whole bucket: noncurrent versions expire after 30 days, incomplete multipart uploads aborted after 7 days)",
    "TLS-only policy: add statement MedallionLakeDenyInsecureTransport (deny every request not made over TLS)",
    "public access block: turn on BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets",
  ];
  const footer = () => [
    "",
    "Local folders:",
    `  silver   ${dir}/lake/silver`,
    LOCAL_NOTE,
    "",
    `Note: storage.s3.endpoint ${bucket.connection.endpoint} is plain HTTP: a server that enforces the TLS-only policy refuses the lake's own requests once it is set; use https://`,
    "",
  ];
  // Ceph Pacific has no default encryption (see test/buckets/apply-bucket.test.ts); AWS has.
  const readUnsupported = "GetBucketEncryption: answered HTTP 200 without an encryption rule";
  const putUnsupported = "PutBucketEncryption: InvalidArgument (HTTP 400)";

  it("apply --dry-run lists every change, including the bucket to create, and changes nothing", async () => {
    const result = await lake("storage", "apply", "--dry-run", "--project", dir);
    assert.equal(result.stderr, "");
    assert.equal(result.code, 0);
    assert.equal(
      result.stdout,
      [
        `Project shop (${dir})`,
        "Dry run: nothing was changed.",
        "",
        `s3://${bucket.name}: landing (landing/), bronze (bronze/)`,
        ...lakeBucketChanges.map((change) => `  would change: ${change}`),
        `  not supported by this server: default encryption (${readUnsupported})`,
        "",
        `s3://${goldBucket}: gold (whole bucket), system (_system/)`,
        `  would change: bucket: create s3://${goldBucket}`,
        "  would change: versioning: Unversioned → Enabled",
        // A bucket that does not exist yet cannot be asked: its plan assumes nothing is set.
        "  would change: default encryption: none → AES256 (SSE-S3)",
        ...goldBucketChanges.slice(1).map((change) => `  would change: ${change}`),
        ...footer(),
      ].join("\n"),
    );
    await assert.rejects(bucket.client.send(new HeadBucketCommand({ Bucket: goldBucket })), {
      name: "NotFound",
    });
    const versioning = await bucket.client.send(new GetBucketVersioningCommand({ Bucket: bucket.name }));
    assert.equal(versioning.Status, undefined, "the existing bucket is unchanged");
  });

  it("apply creates the missing bucket, sets everything the server supports, and exits 1 naming what it does not", async () => {
    const result = await lake("storage", "apply", "--project", dir);
    assert.equal(
      result.stdout,
      [
        ...header(),
        ...lakeBucketChanges.map((change) => `  changed: ${change}`),
        `  not supported by this server: default encryption (${putUnsupported})`,
        "",
        `s3://${goldBucket}: gold (whole bucket), system (_system/)`,
        `  changed: bucket: create s3://${goldBucket}`,
        ...goldBucketChanges.map((change) => `  changed: ${change}`),
        `  not supported by this server: default encryption (${putUnsupported})`,
        ...footer(),
      ].join("\n"),
    );
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr,
      `lake: storage apply: the server does not support default encryption on s3://${bucket.name} (${putUnsupported}); default encryption on s3://${goldBucket} (${putUnsupported}). Every other setting is in place; set these another way or use a server that supports them.\n`,
    );
    for (const name of [bucket.name, goldBucket]) {
      const versioning = await bucket.client.send(new GetBucketVersioningCommand({ Bucket: name }));
      assert.equal(versioning.Status, "Enabled", name);
    }
  });

  it("status then shows what is set, and a second apply changes nothing", async () => {
    const status = await lake("storage", "status", "--project", dir);
    assert.equal(status.code, 0);
    const settings = (lifecycle: string[]) => [
      "  versioning           Enabled",
      `  default encryption   not supported by this server: ${readUnsupported}`,
      ...lifecycle.map((line, i) => `  ${i === 0 ? "lifecycle rules" : ""}`.padEnd(23) + line),
      "  TLS-only policy      present",
      "  public access block  all four flags on",
      "  Up to date otherwise.",
    ];
    const rule = (zone: string, what: string) => `medallion-lake-${zone}: ${what}`;
    const cleanup =
      "noncurrent versions expire after 30 days, incomplete multipart uploads aborted after 7 days";
    const tiers = "Standard-IA after 30 days, Glacier after 90 days";
    assert.equal(
      status.stdout,
      [
        ...header(),
        // Ceph lists the rules by ID.
        ...settings([
          rule("bronze-cleanup", `bronze/: ${cleanup}`),
          rule("bronze-tiers", `bronze/: ${tiers}`),
          rule("landing-cleanup", `landing/: ${cleanup}`),
          rule("landing-tiers", `landing/: ${tiers}`),
        ]),
        "",
        `s3://${goldBucket}: gold (whole bucket), system (_system/)`,
        ...settings([rule("gold-cleanup", `whole bucket: ${cleanup}`)]),
        ...footer(),
      ].join("\n"),
    );

    const again = await lake("storage", "apply", "--json", "--project", dir);
    assert.equal(again.code, 1, "default encryption is still not set");
    const report = JSON.parse(again.stdout) as {
      mode: string;
      buckets: { bucket: string; existed: boolean; changes: string[]; unsupported: { setting: string }[] }[];
    };
    assert.equal(report.mode, "apply");
    assert.deepEqual(
      report.buckets.map((b) => [b.bucket, b.existed, b.changes, b.unsupported.map((u) => u.setting)]),
      [
        [bucket.name, true, [], ["defaultEncryption"]],
        [goldBucket, true, [], ["defaultEncryption"]],
      ],
    );
  });
});
