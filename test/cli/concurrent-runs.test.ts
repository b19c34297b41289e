import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdir, readdir } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { generateDataset } from "../../src/datagen/index.ts";
import { DeltaContext } from "../../src/engine/index.ts";
import {
  landFiles,
  listRuns,
  loadProject,
  type ProjectConfig,
  RunLease,
  runLeaseStore,
  writeProjectTemplate,
  ZONES,
} from "../../src/pipeline/index.ts";
import { type CliResult, lake, makeTempDir, removeDir } from "../helpers/cli.ts";
import { projectTableRows } from "../helpers/project-tables.ts";
import { describeWithS3, type TestBucket } from "../helpers/s3.ts";

// `lake run` started several times at once on one project, as separate processes: one run holds the
// project's lease and the others exit 1 naming it, or wait for it with --wait; either way the tables
// end as a clean single run leaves them. Then a stale lease is taken over, and a live one refused.

const MAIN = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));
/** Columns that differ between two correct runs: when and by which run a row was written. */
const RUN_COLUMNS = ["_run_id", "_ingested_at"];
const ISO = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

/** Runs `lake ...argv` as a child process. */
function lakeProcess(...argv: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", MAIN, ...argv]);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Writes lake.json for a retail project in `dir` (zones as given, or the default folders) and loads it. */
async function makeProject(
  dir: string,
  zones?: Record<string, string>,
  bucket?: TestBucket,
): Promise<ProjectConfig> {
  await mkdir(dir, { recursive: true });
  await writeProjectTemplate(dir, "shop", (config) => ({
    ...config,
    ...(zones ? { zones } : {}),
    ...(bucket ? { storage: { s3: { endpoint: bucket.connection.endpoint, forcePathStyle: true } } } : {}),
  }));
  return loadProject(dir);
}

/** Every table's rows (run columns left out) and version. */
async function endState(project: ProjectConfig, cacheDir: string) {
  return DeltaContext.with((ctx) => projectTableRows(ctx, project, RUN_COLUMNS), {
    threads: 1,
    cacheDirectory: cacheDir,
  });
}

/** The drops every project lands, and the tables a clean single run makes of them (in local folders). */
interface Shared {
  readonly dir: string;
  readonly data: string;
  readonly expected: Awaited<ReturnType<typeof endState>>;
}

let shared: Promise<Shared> | undefined;

/** Generates the drops and runs a clean project once for the whole file. */
function sharedSetup(): Promise<Shared> {
  shared ??= (async () => {
    const dir = await makeTempDir();
    const data = join(dir, "data");
    await generateDataset({ out: data, rows: 2_000, files: 2, customers: 200, products: 50, locations: 10 });
    const clean = await makeProject(join(dir, "clean"));
    await landFiles(clean, await drops(data));
    const run = await lakeProcess("run", "--project", clean.root);
    assert.equal(run.code, 0, run.stderr);
    const expected = await endState(clean, join(dir, "cache"));
    assert.ok((expected["silver.sales_enriched"]?.rows.length ?? 0) > 1_000);
    return { dir, data, expected };
  })();
  return shared;
}

after(async () => {
  if (shared) await removeDir((await shared).dir);
});

async function drops(data: string): Promise<string[]> {
  return (await readdir(data)).filter((f) => f.endsWith(".csv")).map((f) => join(data, f));
}

/**
 * The concurrent-run scenarios: `races` (how many runs start at once, and whether they wait), then a
 * stale lease and a live one, each on a fresh project from `newProject` with the drops landed.
 */
function concurrentRunSuite(
  where: string,
  races: ReadonlyArray<{ readonly runs: number; readonly wait: boolean }>,
  newProject: (name: string) => Promise<ProjectConfig>,
): void {
  let expected: Shared["expected"];
  let scratch: string;
  before(async () => {
    ({ expected, dir: scratch } = await sharedSetup());
  });

  for (const { runs } of races.filter((race) => !race.wait)) {
    it(`${runs} runs at once on ${where}: one proceeds, the others exit 1 naming it; the tables equal a clean run's`, async () => {
      const project = await newProject(`race-${runs}`);
      const results = await Promise.all(
        Array.from({ length: runs }, () => lakeProcess("run", "--project", project.root)),
      );
      const winners = results.filter((r) => r.code === 0);
      assert.equal(winners.length, 1, results.map((r) => `${r.code}: ${r.stderr}`).join("\n"));
      const winnerId = /^Run (\S+) succeeded in /m.exec(winners[0]?.stdout ?? "")?.[1] ?? "";
      const refusal = new RegExp(
        `^lake: another run \\(${escapeRegExp(winnerId)}, ${escapeRegExp(hostname())}, started at ${ISO}\\) ` +
          "holds the project: wait for it to finish \\(lake run --wait SECONDS\\), or, if that run " +
          `\\(pid \\d+\\) was killed, run again after its lease expires at ${ISO} ` +
          `\\(lease in ${escapeRegExp(runLeaseStore(project).location)}\\)\\n$`,
      );
      for (const loser of results.filter((r) => r.code !== 0)) {
        assert.equal(loser.code, 1, loser.stderr);
        assert.match(loser.stderr, refusal);
        assert.equal(loser.stdout, "");
      }
      assert.deepEqual(await endState(project, join(scratch, "cache")), expected);
      const log = await DeltaContext.with((ctx) => listRuns(ctx, project), { threads: 1 });
      assert.deepEqual(
        log.map((r) => [r.runId, r.status]),
        [[winnerId, "succeeded"]],
      );
    });
  }

  for (const { runs } of races.filter((race) => race.wait)) {
    it(`${runs} runs at once on ${where} with --wait: they run one after another, the later ones find nothing new`, async () => {
      const project = await newProject(`wait-${runs}`);
      const results = await Promise.all(
        Array.from({ length: runs }, () => lakeProcess("run", "--project", project.root, "--wait", "600")),
      );
      for (const r of results) assert.equal(r.code, 0, r.stderr);
      const loaded = results.filter((r) =>
        /^bronze\.sales +\S+ s +\d+ +\d+ +\d+ +2 new files$/m.test(r.stdout),
      );
      assert.equal(loaded.length, 1, results.map((r) => r.stdout).join("\n---\n"));
      const waited = results.filter((r) =>
        /^Waiting for run \S+ \(.+, pid \d+, started at .+\) to finish$/m.test(r.stdout),
      );
      assert.ok(waited.length >= 1, "at least one run said it waited");
      for (const r of results.filter((x) => x !== loaded[0]))
        assert.match(r.stdout, /^bronze\.sales +\S+ s +0 +0 +0 +0 new files$/m);
      assert.deepEqual(await endState(project, join(scratch, "cache")), expected);
      // One after another: each run started after the one before it ended.
      const log = await DeltaContext.with((ctx) => listRuns(ctx, project), { threads: 1 });
      const ordered = log.map((r) => [r.startedAt, r.endedAt] as const).sort((a, b) => a[0] - b[0]);
      assert.equal(ordered.length, runs);
      for (let i = 1; i < ordered.length; i++)
        assert.ok(
          (ordered[i]?.[0] ?? 0) >= (ordered[i - 1]?.[1] ?? Number.POSITIVE_INFINITY),
          `run ${i} overlaps`,
        );
    });
  }

  it(`takes over a stale lease on ${where}: a run killed long ago`, async () => {
    const project = await newProject("stale");
    const dir = project.root;
    const store = runLeaseStore(project);
    const longAgo = Date.parse("2025-06-01T08:00:00Z");
    const stale = {
      generation: 3,
      runId: "killed-run",
      host: "old-host",
      pid: 4242,
      startedAt: new Date(longAgo).toISOString(),
      renewedAt: new Date(longAgo + 20_000).toISOString(),
      expiresAt: new Date(longAgo + 80_000).toISOString(),
      released: false,
    };
    await store.put("00000000000000000003.json", new TextEncoder().encode(JSON.stringify(stale)));
    const run = await lake("run", "--project", dir, "--select", "bronze");
    assert.equal(run.code, 0, run.stderr);
    const keys: string[] = [];
    for await (const { key } of store.list("")) keys.push(key);
    assert.deepEqual(keys, ["00000000000000000004.json"]);
    const record = JSON.parse(new TextDecoder().decode(await store.get("00000000000000000004.json")));
    assert.equal(record.released, true);
    assert.equal(record.runId, /^Run (\S+) succeeded in /m.exec(run.stdout)?.[1]);
  });

  it(`refuses a run while a live lease is held on ${where}, after --wait if given; status names the holder`, async () => {
    const project = await newProject("held");
    const dir = project.root;
    const holder = await RunLease.acquire(runLeaseStore(project), "other-run", {
      host: "host-b",
      pid: 77,
      startedAt: Date.parse("2026-02-01T10:00:00Z"),
    });
    try {
      const refused = await lake("run", "--project", dir, "--wait", "1");
      assert.equal(refused.code, 1);
      assert.equal(
        refused.stderr,
        "lake: another run (other-run, host-b, started at 2026-02-01T10:00:00.000Z) holds the project, " +
          "still after waiting 1 s: wait for it to finish (lake run --wait SECONDS), or, if that run (pid 77) " +
          `was killed, run again after its lease expires at ${new Date(holder.record.expiresAt).toISOString()} ` +
          `(lease in ${runLeaseStore(project).location})\n`,
      );
      assert.match(
        refused.stdout,
        /^Waiting for run other-run \(host-b, pid 77, started at 2026-02-01T10:00:00\.000Z\) to finish\n$/,
      );
      const status = await lake("status", "--project", dir);
      assert.match(
        status.stdout,
        new RegExp(
          `^Running now: run other-run \\(host-b, pid 77, started at 2026-02-01T10:00:00\\.000Z\\); its lease expires at ${ISO} unless renewed$`,
          "m",
        ),
      );
    } finally {
      await holder.release();
    }
    const status = await lake("status", "--project", dir);
    assert.doesNotMatch(status.stdout, /Running now/);
  });
}

describe("concurrent lake runs on a project in local folders", () => {
  concurrentRunSuite(
    "local folders",
    [
      { runs: 2, wait: false },
      { runs: 4, wait: false },
      { runs: 4, wait: true },
    ],
    async (name) => {
      const { dir, data } = await sharedSetup();
      const project = await makeProject(join(dir, name));
      await landFiles(project, await drops(data));
      return project;
    },
  );
});

// Each S3 run of the pipeline takes tens of seconds against the test server: four at once without
// waiting, and two with --wait, cover the races on S3.
describeWithS3("concurrent lake runs on a project with every zone on S3", (bucket) => {
  concurrentRunSuite(
    "S3",
    [
      { runs: 4, wait: false },
      { runs: 2, wait: true },
    ],
    async (name) => {
      const { dir, data } = await sharedSetup();
      const zones = Object.fromEntries(ZONES.map((zone) => [zone, `s3://${bucket.name}/${name}/${zone}`]));
      const project = await makeProject(join(dir, `s3-${name}`), zones, bucket);
      await landFiles(project, await drops(data));
      return project;
    },
  );
});
