import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { generateDataset } from "../../src/datagen/index.ts";
import { DeltaContext } from "../../src/engine/index.ts";
import {
  landFiles,
  listRuns,
  type PipelineResult,
  type ProjectConfig,
  runPipeline,
  ZONES,
} from "../../src/pipeline/index.ts";
import { projectTableRows } from "../helpers/project-tables.ts";
import { retailProject } from "../helpers/retail-project.ts";
import { describeWithS3, removeBucket } from "../helpers/s3.ts";

// The same generated drops through two projects, one on local folders and one with every zone in its
// own S3 bucket, with the same run ids and clocks: every table must hold the same rows.
describeWithS3("the retail pipeline with every zone in its own S3 bucket", (bucket) => {
  let dir: string;
  let ctx: DeltaContext;
  let local: ProjectConfig;
  let onS3: ProjectConfig;
  const buckets = () => ZONES.map((zone) => `${bucket.name}-${zone}`);
  const results: Record<"local" | "s3", PipelineResult[]> = { local: [], s3: [] };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lake-s3-pipeline-"));
    const data = join(dir, "data");
    await generateDataset({
      out: data,
      rows: 20_000,
      files: 3,
      customers: 1_000,
      products: 200,
      locations: 30,
    });
    for (const name of buckets()) await bucket.client.send(new CreateBucketCommand({ Bucket: name }));
    local = await retailProject(dir, "local");
    onS3 = await retailProject(dir, "s3", (config) => ({
      ...config,
      zones: Object.fromEntries(ZONES.map((zone, i) => [zone, `s3://${buckets()[i]}/retail`])),
      storage: { s3: { endpoint: bucket.connection.endpoint, forcePathStyle: true } },
    }));
    ctx = await DeltaContext.open({ threads: 2, cacheDirectory: join(dir, "cache") });
    const csvs = (await readdir(data)).filter((f) => f.endsWith(".csv")).sort();
    const last = csvs.filter((f) => f.startsWith("sales_transactions")).at(-1) ?? "";
    const batches = [csvs.filter((f) => f !== last), [last], []];
    for (const [i, batch] of batches.entries()) {
      for (const [name, project] of [
        ["local", local],
        ["s3", onS3],
      ] as const) {
        await landFiles(
          project,
          batch.map((f) => join(data, f)),
        );
        results[name].push(
          await runPipeline(ctx, project, {
            runId: `run-${i}`,
            startedAt: Date.parse("2026-01-01T00:00:00Z") + i * 60_000,
          }),
        );
      }
    }
  });
  after(async () => {
    ctx?.close();
    for (const name of buckets()) await removeBucket(bucket.client, name);
    await rm(dir, { recursive: true, force: true });
  });

  it("reports the same counts for every run: a full load, an incremental file, and nothing new", () => {
    const counts = (r: PipelineResult) => ({
      bronze: r.bronze.map((b) => [
        b.source,
        b.files.filter((f) => f.ingested).map((f) => [f.file, f.bronzeRows, f.rejects]),
      ]),
      // Durations differ between the two; everything else a run reports must not.
      models: r.models.map(({ seconds: _seconds, ...counts }) => counts),
    });
    const sales = (r: PipelineResult | undefined) =>
      r?.models.find((m) => m.table === "silver.sales_enriched");
    assert.deepEqual(results.s3.map(counts), results.local.map(counts));
    assert.ok((sales(results.s3[0])?.rows ?? 0) > 10_000);
    assert.ok((sales(results.s3[1])?.rows ?? 0) > 0);
    assert.equal(sales(results.s3[2])?.rebuilt, false);
  });

  it("holds the same rows and versions in every table", async () => {
    const [expected, actual] = [await projectTableRows(ctx, local), await projectTableRows(ctx, onS3)];
    assert.deepEqual(Object.keys(actual), Object.keys(expected));
    for (const [table, { version, rows }] of Object.entries(expected)) {
      assert.equal(actual[table]?.version, version, `${table} version`);
      assert.deepEqual(actual[table]?.rows, rows, `${table} rows`);
    }
  });

  it("keeps the run log beside gold on S3", async () => {
    assert.equal(onS3.systemDirectory, `s3://${bucket.name}-gold/retail/_system`);
    assert.deepEqual(
      (await listRuns(ctx, onS3)).map((r) => [r.runId, r.status]),
      [
        ["run-2", "succeeded"],
        ["run-1", "succeeded"],
        ["run-0", "succeeded"],
      ],
    );
  });
});

it("S3 pipeline test data sizes stay small enough for the in-memory test server", () => {
  // The Ceph test server keeps objects in RAM (shared/s3/README.md, gap 9): 20,000 rows is a few MB.
  assert.ok(20_000 * 100 < 64 * 1024 * 1024);
});
