/**
 * Dataset generator benchmark: how fast `generateDataset` writes the retail dataset, and its peak
 * memory.
 *
 *   npm run bench:generate [-- --rows 10000000 --workers N --runs 1 --keep]
 *
 * Each run is a fresh process (new V8 heap) writing into a new temporary folder, which is deleted
 * afterwards unless --keep is given (10 M rows are about 700 MB). Reported per run: wall time of
 * `generateDataset`, sales rows per second, bytes written per second, and peak RSS (getrusage
 * `maxRSS` of the whole process, worker threads included, what `/usr/bin/time -v` reports).
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, promisify } from "node:util";
import { generateDataset } from "../src/datagen/index.ts";
import { describeMachine } from "./machine.ts";
import { count, median, min, seconds, table } from "./report.ts";

const USAGE = `usage: npm run bench:generate -- [--rows N] [--workers N] [--runs R] [--keep]
  --rows     sales rows (default 10000000)
  --workers  worker threads (default: one per CPU)
  --runs     runs, each in a fresh process; min and median are reported (default 1)
  --keep     keep the generated folders (printed) instead of deleting them`;

/** What one child run measured. */
interface RunResult {
  readonly dir: string;
  readonly ms: number;
  readonly bytes: number;
  readonly maxRssBytes: number;
}

async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      rows: { type: "string", default: "10000000" },
      workers: { type: "string" },
      runs: { type: "string", default: "1" },
      keep: { type: "boolean", default: false },
      child: { type: "string" },
    },
    strict: true,
  });
  const rows = whole("rows", values.rows);
  const workers = values.workers === undefined ? undefined : whole("workers", values.workers);
  if (values.child !== undefined) return child(values.child, rows, workers);

  const runs = whole("runs", values.runs);
  console.log(`Machine: ${describeMachine()}`);
  console.log(
    `Generating ${count(rows)} sales rows (default dimensions), workers: ${workers ?? "one per CPU"}\n`,
  );
  const results: RunResult[] = [];
  for (let run = 1; run <= runs; run++) {
    const dir = await mkdtemp(join(tmpdir(), "lake-bench-generate-"));
    try {
      const result = await runChild(dir, rows, workers);
      results.push(result);
      console.log(
        `  run ${run}: ${seconds(result.ms)} s, ${(result.maxRssBytes / 2 ** 20).toFixed(0)} MiB peak RSS`,
      );
    } finally {
      if (values.keep) console.log(`  kept ${dir}`);
      else await rm(dir, { recursive: true, force: true });
    }
  }
  const ms = results.map((r) => r.ms);
  const bytes = results[0]?.bytes ?? 0;
  console.log(
    `\n${table(
      ["measure", "min", "median"],
      [
        ["wall time (s)", seconds(min(ms)), seconds(median(ms))],
        ["sales rows/s", rate(rows, min(ms)), rate(rows, median(ms))],
        ["MB written/s", rate(bytes / 1e6, min(ms)), rate(bytes / 1e6, median(ms))],
        [
          "peak RSS (MiB)",
          mib(min(results.map((r) => r.maxRssBytes))),
          mib(median(results.map((r) => r.maxRssBytes))),
        ],
      ],
    )}\n`,
  );
  console.log(`Bytes written: ${count(bytes)} (${(bytes / 1e6).toFixed(0)} MB, all files)`);
  console.log(
    `Load average at the end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
}

/** Runs this script with `--child DIR` in a fresh process and returns what it measured. */
async function runChild(dir: string, rows: number, workers: number | undefined): Promise<RunResult> {
  const script = fileURLToPath(import.meta.url);
  const args = [...process.execArgv, script, "--child", dir, "--rows", String(rows)];
  if (workers !== undefined) args.push("--workers", String(workers));
  const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as RunResult;
}

/** The child: generates into `dir` and prints its measurements as JSON. */
async function child(dir: string, rows: number, workers: number | undefined): Promise<void> {
  const started = performance.now();
  const manifest = await generateDataset({ out: join(dir, "data"), rows, workers });
  const ms = performance.now() - started;
  const bytes = manifest.files.reduce((sum, f) => sum + f.bytes, 0);
  const result: RunResult = { dir, ms, bytes, maxRssBytes: process.resourceUsage().maxRSS * 1024 };
  process.stdout.write(JSON.stringify(result));
}

function whole(name: string, text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n)) {
    throw new Error(`--${name} must be a whole number, got "${text}"\n\n${USAGE}`);
  }
  return n;
}

function rate(amount: number, ms: number): string {
  return count(Math.round(amount / (ms / 1000)));
}

function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(0);
}

await main(process.argv.slice(2));
