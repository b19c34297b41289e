import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { fileURLToPath } from "node:url";
import { commitKey, parseActions } from "../../src/delta/index.ts";
import { DeltaContext, loadIfExists } from "../../src/engine/index.ts";
import {
  landFiles,
  type ProjectConfig,
  projectTables,
  runPipeline,
  tableStore,
  ZONES,
} from "../../src/pipeline/index.ts";
import { StorageError } from "../../src/storage/index.ts";
import { type FaultyS3Proxy, startFaultyS3Proxy } from "../helpers/faulty-s3-proxy.ts";
import { projectTableRows } from "../helpers/project-tables.ts";
import { retailProject } from "../helpers/retail-project.ts";
import { describeWithS3 } from "../helpers/s3.ts";

const FIXTURES = fileURLToPath(new URL("fixtures/retail-mini/", import.meta.url));
const BATCHES = [
  ["customers.csv", "products.csv", "locations.csv", "sales_transactions_0001.csv"],
  ["customers_0002.csv", "sales_transactions_0002.csv"],
];
const SEED = Number(process.env.FAULT_SEED ?? 20261124);

// The retail pipeline on S3 behind a proxy that throttles, fails, resets and loses replies. The SDK
// retries; a conditional commit whose reply was lost is recognised as ours. A run either completes or
// fails with a storage error; nothing is ever committed twice and every table stays readable.
describeWithS3(`the pipeline on S3 through injected faults (seed ${SEED})`, (bucket) => {
  let dir: string;
  let ctx: DeltaContext;
  let proxy: FaultyS3Proxy;
  let clean: ProjectConfig;
  let run = 0;
  const startedAt = Date.parse("2026-01-01T00:00:00Z");
  const project = (name: string, endpoint: string) =>
    retailProject(dir, name, (config) => ({
      ...config,
      zones: Object.fromEntries(ZONES.map((zone) => [zone, `s3://${bucket.name}/${name}/${zone}`])),
      storage: { s3: { endpoint, forcePathStyle: true } },
    }));
  const runBatch = async (p: ProjectConfig, batch: readonly string[], runId: string) => {
    await landFiles(
      p,
      batch.map((f) => join(FIXTURES, f)),
    );
    return runPipeline(ctx, p, { runId, startedAt: startedAt + run++ * 1000 });
  };
  // Run ids and ingestion times differ between the projects' runs, and so may versions (a failed run
  // commits part of its work); the data must not.
  const tableRows = async (p: ProjectConfig) =>
    Object.fromEntries(
      Object.entries(await projectTableRows(ctx, p, ["_run_id", "_ingested_at"])).map(([t, c]) => [
        t,
        c.rows,
      ]),
    );
  /** Every table's log: versions 0..latest, each commit file parses. */
  const assertLogsIntact = async (p: ProjectConfig) => {
    for (const { zone, table } of projectTables(p)) {
      const store = tableStore(p, zone, table);
      const snapshot = await loadIfExists(ctx, store);
      if (snapshot === undefined) continue;
      for (let version = 0; version <= snapshot.version; version++) {
        const text = new TextDecoder().decode(await store.get(commitKey(version)));
        assert.ok(parseActions(text).length > 0, `${zone}.${table} v${version}`);
      }
    }
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lake-s3-faults-"));
    ctx = await DeltaContext.open({ threads: 1, cacheDirectory: join(dir, "cache") });
    const endpoint = bucket.connection.endpoint ?? "";
    proxy = await startFaultyS3Proxy(endpoint, {}, SEED);
    clean = await project("clean", endpoint);
    for (const [i, batch] of BATCHES.entries()) await runBatch(clean, batch, `clean-${i}`);
  });
  after(async () => {
    ctx?.close();
    await proxy?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("completes through 14 % of requests and 40 % of commits failing, with the rows of a clean run", async () => {
    proxy.setRates(
      {
        throttle: 0.03,
        "server-error": 0.03,
        "reset-before": 0.02,
        "lost-reply": 0.02,
        "cut-body": 0.02,
        slow: 0.02,
      },
      { "lost-reply": 0.25, throttle: 0.05, "server-error": 0.05, "reset-before": 0.05 },
    );
    // Each batch is its own `lake run`, as in production: a fresh load of the project, so a fresh S3
    // client (the SDK's retry quota belongs to a client and would otherwise carry over between runs).
    let faulty = await project("faulty", proxy.endpoint);
    for (const [i, batch] of BATCHES.entries()) {
      faulty = await project("faulty", proxy.endpoint);
      await runBatch(faulty, batch, `faulty-${i}`);
    }
    proxy.setRates({});
    for (const [fault, count] of Object.entries(proxy.injected))
      assert.ok(count > 0, `no ${fault} was injected`);
    assert.ok(proxy.injectedOnCommits["lost-reply"] >= 3, "commits whose reply was lost");
    assert.deepEqual(await tableRows(faulty), await tableRows(clean));
    await assertLogsIntact(faulty);
  });

  it("under 60 % faults a run completes or fails with a storage error; healed, a re-run completes exactly", async () => {
    proxy.setRates(
      { throttle: 0.15, "server-error": 0.15, "reset-before": 0.1, "lost-reply": 0.1, "cut-body": 0.1 },
      { "lost-reply": 0.4, "reset-before": 0.2 },
    );
    const storm = await project("storm", proxy.endpoint);
    const outcomes: string[] = [];
    for (const [i, batch] of BATCHES.entries()) {
      try {
        await runBatch(storm, batch, `storm-${i}`);
        outcomes.push("completed");
      } catch (error) {
        assert.ok(
          error instanceof StorageError || /S3|commit/i.test((error as Error).message),
          `not a storage failure: ${(error as Error).stack}`,
        );
        outcomes.push(`failed: ${(error as Error).message.slice(0, 80)}`);
      }
    }
    proxy.setRates({});
    // Healed: land everything again (landing is write-once and idempotent) and run until done.
    await runBatch(storm, BATCHES.flat(), "storm-healed");
    assert.deepEqual(
      await tableRows(storm),
      await tableRows(clean),
      `outcomes under faults: ${outcomes.join("; ")}`,
    );
    await assertLogsIntact(storm);
  });
});
