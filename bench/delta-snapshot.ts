/**
 * Delta snapshot benchmark: how long `Snapshot.load` takes, and how much memory, on a long log.
 *
 *   npm run bench:delta [-- --commits 10000 --files-per-commit 10 --runs 3]
 *
 * It builds (once, cached in `.bench/delta-snapshot/`) a synthetic table log of `--commits` JSON
 * commits with `--files-per-commit` add actions each and some removes, in two variants: JSON commits
 * only, and the same plus the classic checkpoints the scenarios open, written by our `writeCheckpoint`
 * (plus a copy whose `_last_checkpoint` is stale). Then, each run in a fresh process (new V8 heap and
 * DuckDB instance; the page cache stays warm), it measures `Snapshot.load` of the latest version and
 * of an older one on each variant, the latest with the stale hint, and `writeCheckpoint` of the latest
 * snapshot. Runs are interleaved; min and median wall time and the median peak RSS (getrusage
 * `maxRSS` of the measuring process, what `/usr/bin/time -v` reports) are printed. Nothing is
 * asserted except that every variant sees the same files at a version. For where the time goes inside
 * a load, profile one task: `node --import tsx --cpu-prof bench/measure-task.ts '<task JSON>'`.
 *
 * The first build at the default size takes a few seconds; `rm -rf .bench` frees its ~100 MB.
 */
import { execFile } from "node:child_process";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type Fixture, prepareFixture } from "./bench-fixture.ts";
import { type BenchOptions, parseBenchOptions } from "./bench-options.ts";
import { describeMachine } from "./machine.ts";
import type { Measurement, Task } from "./measure-task.ts";
import { count, median, min, seconds, table } from "./report.ts";
import { commitTime } from "./synthetic-log.ts";

const PROJECT_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const MEASURE_TASK = join(PROJECT_ROOT, "bench", "measure-task.ts");
const CACHE_DIR = join(PROJECT_ROOT, ".bench", "delta-snapshot");

/** One line of the results: a task and the runs measured for it. */
interface Scenario {
  readonly name: string;
  readonly task: Task;
  readonly runs: Measurement[];
}

async function main(options: BenchOptions): Promise<void> {
  console.log(`Machine: ${describeMachine()}`);
  const { commits, filesPerCommit, runs } = options;
  console.log(`Log: ${count(commits)} commits x ${filesPerCommit} adds; cold runs per scenario: ${runs}\n`);
  const fixture = await prepareFixture(CACHE_DIR, { commits, filesPerCommit }, console.log);
  const scenarios = scenariosFor(fixture, commits);
  for (let run = 1; run <= runs; run++) {
    for (const scenario of scenarios) scenario.runs.push(await runTask(scenario.task));
    console.log(`  run ${run} of ${runs} done`);
  }
  checkConsistent(scenarios);
  console.log(`\n${resultsTable(scenarios)}\n`);
  console.log(checkpointWriteNote(scenarios));
  console.log(buildNote(fixture));
  console.log(
    `\nLoad average at the end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
}

function scenariosFor(fixture: Fixture, commits: number): Scenario[] {
  const older = fixture.staleCheckpoint;
  const scenario = (name: string, task: Task): Scenario => ({ name, task, runs: [] });
  const { jsonOnly, checkpointed, staleHint } = fixture;
  return [
    scenario("JSON only, latest", { kind: "load", table: jsonOnly }),
    scenario(`JSON only, version ${older}`, {
      kind: "load",
      table: jsonOnly,
      version: older,
    }),
    scenario("checkpointed, latest", { kind: "load", table: checkpointed }),
    scenario(`checkpointed, version ${older}`, {
      kind: "load",
      table: checkpointed,
      version: older,
    }),
    scenario(`checkpointed, latest, stale hint (${older})`, {
      kind: "load",
      table: staleHint,
    }),
    scenario("writeCheckpoint of latest", {
      kind: "checkpoint-write",
      table: checkpointed,
      now: commitTime(commits - 1),
    }),
  ];
}

/** Runs one task in a fresh Node process (with tsx) and returns what it measured. */
async function runTask(task: Task): Promise<Measurement> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", MEASURE_TASK, JSON.stringify(task)],
    { cwd: PROJECT_ROOT, maxBuffer: 16 * 2 ** 20 },
  );
  const last = stdout.trim().split("\n").at(-1) ?? "";
  return JSON.parse(last) as Measurement;
}

/** Every scenario that loads the same version must see the same files and tombstones. */
function checkConsistent(scenarios: readonly Scenario[]): void {
  const seen = new Map<number, { name: string; files: number; tombstones: number }>();
  for (const { name, runs } of scenarios) {
    for (const m of runs) {
      const first = seen.get(m.version);
      if (first === undefined) seen.set(m.version, { name, files: m.files, tombstones: m.tombstones });
      else if (first.files !== m.files || first.tombstones !== m.tombstones) {
        throw new Error(
          `Version ${m.version}: "${name}" saw ${m.files} files / ${m.tombstones} tombstones, ` +
            `"${first.name}" saw ${first.files} / ${first.tombstones}`,
        );
      }
    }
  }
}

function resultsTable(scenarios: readonly Scenario[]): string {
  const header = [
    "scenario",
    "version",
    "replayed",
    "files",
    "tombstones",
    "min s",
    "median s",
    "peak RSS MiB",
  ];
  const rows = scenarios.map(({ name, runs }) => {
    const first = runs[0];
    const ms = runs.map((r) => r.ms);
    const segment =
      first?.checkpoint === null || first === undefined
        ? `${count(first?.commitsReplayed ?? 0)} commits`
        : `cp ${first.checkpoint} + ${first.commitsReplayed}`;
    return [
      name,
      String(first?.version ?? ""),
      segment,
      count(first?.files ?? 0),
      count(first?.tombstones ?? 0),
      seconds(min(ms)),
      seconds(median(ms)),
      median(runs.map((r) => r.peakRssMiB)).toFixed(0),
    ];
  });
  return table(header, rows);
}

function checkpointWriteNote(scenarios: readonly Scenario[]): string {
  const write = scenarios.find((s) => s.task.kind === "checkpoint-write")?.runs[0];
  const load = scenarios.find((s) => s.task.kind === "load")?.runs;
  const parts = [
    `writeCheckpoint: ${count(write?.rows ?? 0)} rows, ${((write?.bytes ?? 0) / 2 ** 20).toFixed(1)} MiB Parquet ` +
      `(its peak RSS includes loading the snapshot first).`,
    `DuckDB open (not in the figures): median ${seconds(median(load?.map((r) => r.openMs) ?? []))} s; ` +
      `RSS before the measured step: median ${median(load?.map((r) => r.baselineRssMiB) ?? []).toFixed(0)} MiB.`,
  ];
  return parts.join("\n");
}

function buildNote(fixture: Fixture): string {
  const { commitsMs, checkpoints, checkpointsMs } = fixture.build;
  return (
    `Setup (once, cached): JSON commits ${seconds(commitsMs)} s; ${count(checkpoints)} checkpoints ` +
    `(load + writeCheckpoint each) ${seconds(checkpointsMs)} s.`
  );
}

try {
  await main(parseBenchOptions(process.argv.slice(2)));
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
