import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import * as s3 from "aws-cdk-lib/aws-s3";
import { lakeApp, StackSettingError } from "../../infra/lib/lake-app.ts";
import { ProjectConfigError } from "../../src/lake/index.ts";
import { cdkJsonContext, REPO_ROOT, synthesize } from "./synth.ts";

// The app's settings (cdk.json context or -c) and cdk-nag as the gate of synthesis.

const appWith = (overrides: Record<string, unknown>) =>
  lakeApp(REPO_ROOT, { context: { ...cdkJsonContext(), ...overrides } });

describe("the CDK app", () => {
  it("fails synthesis on a cdk-nag finding nobody acknowledged", async () => {
    const outdir = await mkdtemp(join(tmpdir(), "lake-cdk-"));
    try {
      const { app, stack } = lakeApp(REPO_ROOT, { outdir, context: cdkJsonContext() });
      new s3.Bucket(stack, "UnloggedBucket", { enforceSSL: true });
      assert.throws(() => app.synth(), /Validation failed/);
      const report = JSON.parse(await readFile(join(outdir, "validation-report.json"), "utf8")) as {
        pluginReports: {
          violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[];
        }[];
      };
      assert.deepEqual(
        report.pluginReports.flatMap((r) =>
          r.violations.map((v) => [v.ruleName, v.violatingConstructs.map((c) => c.constructPath)]),
        ),
        [["AwsSolutions-S1", ["MedallionLake/UnloggedBucket/Resource"]]],
      );
    } finally {
      await rm(outdir, { recursive: true, force: true });
    }
  });

  it("encrypts the zone buckets with the stack's KMS key, rotated, when lake:kmsEncryption is true", async () => {
    const synthesized = await synthesize({ "lake:kmsEncryption": true });
    try {
      synthesized.template.hasResourceProperties("AWS::KMS::Key", { EnableKeyRotation: true });
      const buckets = Object.values(synthesized.template.findResources("AWS::S3::Bucket"));
      const algorithms = buckets.map(
        (b) =>
          b.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault
            .SSEAlgorithm,
      );
      // S3 writes server access logs only into an SSE-S3 bucket.
      assert.deepEqual(algorithms.sort(), ["AES256", "aws:kms", "aws:kms", "aws:kms", "aws:kms"]);
    } finally {
      await synthesized.dispose();
    }
  });

  it("refuses a project folder outside the image's build context, naming the setting", () => {
    assert.throws(
      () => appWith({ "lake:project": "../elsewhere" }),
      (error: unknown) =>
        error instanceof StackSettingError &&
        error.message ===
          `cdk.json context "lake:project" is ../elsewhere, outside ${REPO_ROOT} (the image's build context) (set it in cdk.json or with -c lake:project=…)`,
    );
  });

  it("refuses a log retention CloudWatch does not offer", () => {
    assert.throws(() => appWith({ "lake:logRetentionDays": "31" }), {
      name: "StackSettingError",
      message:
        'cdk.json context "lake:logRetentionDays" is 31: CloudWatch keeps logs 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, … days (set it in cdk.json or with -c lake:logRetentionDays=…)',
    });
  });

  it("refuses a bucket prefix S3 would refuse, and a task size that is not a number", () => {
    assert.throws(() => appWith({ "lake:bucketPrefix": "My_Lake" }), {
      message:
        'cdk.json context "lake:bucketPrefix" is "My_Lake": use up to 41 lowercase letters, digits and - (set it in cdk.json or with -c lake:bucketPrefix=…)',
    });
    assert.throws(() => appWith({ "lake:taskCpu": "two" }), {
      message:
        'cdk.json context "lake:taskCpu" must be a whole number >= 1, not "two" (set it in cdk.json or with -c lake:taskCpu=…)',
    });
  });

  it("refuses a project whose lake.json the lake would refuse, with the lake's own error", async () => {
    await mkdir(join(REPO_ROOT, ".tmp"), { recursive: true });
    const dir = await mkdtemp(join(REPO_ROOT, ".tmp", "cdk-test-"));
    try {
      await writeFile(join(dir, "lake.json"), JSON.stringify({ name: "x", engine: { threads: 0 } }));
      assert.throws(() => appWith({ "lake:project": relative(REPO_ROOT, dir) }), ProjectConfigError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
