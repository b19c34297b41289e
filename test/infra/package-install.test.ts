import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { lakeS3Statements } from "../../infra/lib/lake-access-policy.ts";
import { deployedProject } from "../../infra/lib/lake-project.ts";
import { createS3Client } from "../../src/storage/index.ts";
import {
  type CephCredentials,
  cephUsersUnavailable,
  createCephUser,
  putUserPolicy,
  removeCephUser,
} from "../helpers/ceph-users.ts";
import { removeBucket, s3TestConnection, scratchBucketName } from "../helpers/s3.ts";
import { REPO_ROOT } from "./synth.ts";

// What the image holds, without Docker: the package `npm pack` makes, installed into an empty folder
// with production dependencies only, the versions of the lockfile, as the Dockerfile's deps stage
// does (`npm ci --omit=dev --ignore-scripts`; --prefer-offline takes them from npm's cache, which the
// project's own install filled). Then the installed `lake` runs the demo, and runs the pipeline on the
// S3 test server with every zone in its own bucket and the credentials of a user that has only the
// task role's S3 statements, as a user policy.

const exec = promisify(execFile);
const SDK_QUIET = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };

describe("the package as the image installs it", { timeout: 300_000 }, () => {
  let work: string;
  let app: string;
  /** Runs the installed `lake` with only the environment given (and PATH, HOME). */
  const lake = (args: readonly string[], env: Record<string, string> = {}) =>
    exec(process.execPath, [join(app, "dist/cli/main.js"), ...args], {
      cwd: work,
      env: { PATH: process.env.PATH ?? "", HOME: work, ...SDK_QUIET, ...env },
      maxBuffer: 64 * 1024 * 1024,
    });

  before(async () => {
    work = await mkdtemp(join(tmpdir(), "lake-package-"));
    app = join(work, "app");
    await mkdir(app);
    const { stdout } = await exec("npm", ["pack", "--pack-destination", work, "--json"], {
      cwd: REPO_ROOT,
      maxBuffer: 64 * 1024 * 1024,
    });
    const [packed] = JSON.parse(stdout.slice(stdout.indexOf("["))) as { filename: string }[];
    assert.ok(packed, stdout);
    await exec("tar", ["-xzf", join(work, packed.filename), "-C", app, "--strip-components=1"]);
    await copyFile(join(REPO_ROOT, "package-lock.json"), join(app, "package-lock.json"));
    await exec(
      "npm",
      ["ci", "--omit=dev", "--ignore-scripts", "--prefer-offline", "--no-audit", "--no-fund"],
      { cwd: app, maxBuffer: 64 * 1024 * 1024 },
    );
  });
  after(() => rm(work, { recursive: true, force: true }));

  it("holds the built package and its production dependencies, no sources, tests or dev tools", async () => {
    assert.deepEqual((await readdir(app)).sort(), [
      "README.md",
      "dist",
      "node_modules",
      "package-lock.json",
      "package.json",
      "schema",
      "templates",
    ]);
    const modules = await readdir(join(app, "node_modules"));
    for (const dev of [
      "typescript",
      "tsx",
      "aws-cdk-lib",
      "aws-cdk",
      "cdk-nag",
      "playwright-core",
      "@biomejs",
    ])
      assert.ok(!modules.includes(dev), `${dev} is a dev dependency`);
    const pkg = JSON.parse(await readFile(join(REPO_ROOT, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    for (const name of Object.keys(pkg.dependencies))
      assert.ok(modules.includes(name.split("/")[0] ?? name), `${name} is installed`);
  });

  it("runs lake demo", async () => {
    const { stdout } = await lake(["demo", "--rows", "20000", "--dir", join(work, "demo"), "--json"]);
    const summary = JSON.parse(stdout) as Record<string, unknown>;
    assert.ok(JSON.stringify(summary).includes("monthly_sales_summary"), stdout.slice(0, 500));
  });

  const s3Unavailable = s3TestConnection() === undefined ? "no S3 test server" : cephUsersUnavailable();
  it("runs the pipeline with every zone in its own bucket, as a user holding only the task role's S3 statements", {
    skip: s3Unavailable ?? false,
  }, async () => {
    const connection = s3TestConnection();
    assert.ok(connection);
    const owner = createS3Client(connection);
    const prefix = scratchBucketName();
    const project = join(work, "s3-project");
    await lake(["init", project]);
    const deployed = deployedProject(project, prefix, process.env.AWS_REGION ?? "us-east-1");
    const lakeJson = JSON.parse(deployed.lakeJson) as { storage: { s3: Record<string, unknown> } };
    lakeJson.storage.s3 = { ...lakeJson.storage.s3, endpoint: process.env.S3_ENDPOINT, forcePathStyle: true };
    await writeFile(join(project, "lake.json"), JSON.stringify(lakeJson, null, 2));
    const zoneBuckets = Object.values(deployed.zoneBuckets);
    const otherBucket = `${prefix}-other`;
    const users: CephCredentials[] = [];
    try {
      for (const bucket of [...zoneBuckets, otherBucket])
        await owner.send(new CreateBucketCommand({ Bucket: bucket }));
      const task = await createCephUser("lake-task");
      users.push(task);
      const policyAdmin = await createCephUser("lake-iam", "user-policy=*");
      users.push(policyAdmin);
      const taskClient = new S3Client({
        ...connection,
        region: process.env.AWS_REGION ?? "us-east-1",
        credentials: { accessKeyId: task.accessKeyId, secretAccessKey: task.secretAccessKey },
      });
      const landing = deployed.zoneBuckets.landing;
      // Before the policy the user may not touch the lake: what it can do next, the policy grants.
      await assert.rejects(taskClient.send(new ListObjectsV2Command({ Bucket: landing })), {
        name: "AccessDenied",
      });
      await putUserPolicy(policyAdmin, task, "lake-task", {
        Version: "2012-10-17",
        Statement: lakeS3Statements(deployed.buckets),
      });

      const env = {
        AWS_ACCESS_KEY_ID: task.accessKeyId,
        AWS_SECRET_ACCESS_KEY: task.secretAccessKey,
        AWS_REGION: process.env.AWS_REGION ?? "us-east-1",
      };
      const data = join(work, "data");
      await lake(["generate", "--rows", "20000", "--files", "2", "--out", data]);
      const files = (await readdir(data)).filter((f) => f.endsWith(".csv")).map((f) => join(data, f));
      await lake(["ingest", ...files, "--project", project], env);
      await lake(["run", "--project", project], env);
      const { stdout } = await lake(
        [
          "query",
          "SELECT count(*) AS months FROM gold.monthly_sales_summary",
          "--json",
          "--project",
          project,
        ],
        env,
      );
      assert.ok((JSON.parse(stdout) as { months: number }).months > 0, stdout);
      for (const bucket of zoneBuckets) {
        const listed = await owner.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1 }));
        assert.equal(listed.KeyCount, 1, `the run wrote into s3://${bucket}`);
      }

      // Nothing beyond the lake's objects: another bucket, or the lake's buckets' settings.
      await assert.rejects(
        taskClient.send(new PutObjectCommand({ Bucket: otherBucket, Key: "x.csv", Body: "a\n" })),
        { name: "AccessDenied" },
      );
      await assert.rejects(taskClient.send(new ListObjectsV2Command({ Bucket: otherBucket })), {
        name: "AccessDenied",
      });
      await assert.rejects(
        taskClient.send(
          new PutBucketPolicyCommand({ Bucket: landing, Policy: JSON.stringify({ Statement: [] }) }),
        ),
        { name: "AccessDenied" },
      );
      await assert.rejects(taskClient.send(new DeleteBucketCommand({ Bucket: landing })), {
        name: "AccessDenied",
      });
      taskClient.destroy();
    } finally {
      for (const bucket of [...zoneBuckets, otherBucket]) await removeBucket(owner, bucket);
      for (const user of users) await removeCephUser(user);
      owner.destroy();
    }
  });
});
