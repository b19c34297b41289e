/**
 * `npm run test:crash -- [--trials N] [--seed S] [--rows R] [--concurrency J] [--keep-failed]
 *   [--real-lease-wait [--lease-wait SECONDS]] [--signal KILL|TERM]`
 *
 * Kills `lake run` (and `lake optimize`, `lake vacuum`, checkpoint writes) with SIGKILL at every
 * commit boundary and at random moments, re-runs to completion, and compares every table with a
 * clean run's. With `--signal TERM` it sends SIGTERM to `lake run` at random moments instead, and
 * also checks each run stopped by itself, recorded as interrupted. Prints one line per trial and
 * `N passed, M failed`; exits 1 when a trial failed.
 */
import { parseArgs } from "node:util";
import { runCrashHarness } from "./crash-trials.ts";

const { values } = parseArgs({
  options: {
    trials: { type: "string", default: "200" },
    seed: { type: "string", default: "1" },
    rows: { type: "string", default: "10000" },
    concurrency: { type: "string", default: "1" },
    "real-lease-wait": { type: "boolean", default: false },
    "lease-wait": { type: "string", default: "90" },
    "keep-failed": { type: "boolean", default: false },
    signal: { type: "string", default: "KILL" },
  },
});
const signal = values.signal.toUpperCase().replace(/^SIG/, "");
if (signal !== "KILL" && signal !== "TERM") {
  process.stderr.write(`--signal must be KILL or TERM, got ${values.signal}\n`);
  process.exit(2);
}

const int = (name: string, text: string, min: number): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) {
    process.stderr.write(`--${name} must be an integer of at least ${min}, got ${text}\n`);
    process.exit(2);
  }
  return n;
};

const started = performance.now();
const result = await runCrashHarness({
  trials: int("trials", values.trials, 1),
  seed: int("seed", values.seed, 0),
  rows: int("rows", values.rows, 100),
  concurrency: int("concurrency", values.concurrency, 1),
  realLeaseWait: values["real-lease-wait"],
  leaseWaitMs: int("lease-wait", values["lease-wait"], 0) * 1000,
  keepFailed: values["keep-failed"],
  signal,
  onLine: (line) => process.stdout.write(`${line}\n`),
});
const elapsed = ((performance.now() - started) / 1000).toFixed(0);
process.stdout.write(`${result.passed} passed, ${result.failed} failed (${elapsed} s)\n`);
const stops = result.results.flatMap((r) => (r.stopMs === undefined ? [] : [r.stopMs])).sort((a, b) => a - b);
if (stops.length > 0) {
  // Spot sends SIGTERM two minutes before it takes the machine; the stop must fit well inside.
  const median = stops[Math.floor((stops.length - 1) / 2)] as number;
  const max = stops.at(-1) as number;
  process.stdout.write(
    `SIGTERM to exit over ${stops.length} stopped runs: median ${Math.round(median)} ms, max ${Math.round(max)} ms (Spot allows 120 s)\n`,
  );
}
process.exitCode = result.failed > 0 ? 1 : 0;
