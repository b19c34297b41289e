/**
 * A preload module for crash trials (`node --import tsx --import <this file> src/cli/main.ts ...`):
 * it wraps the `node:fs/promises` calls LocalStore publishes and deletes objects with, and kills its
 * own process with SIGKILL right after the k-th matching event, so no code under `src/` needs a hook.
 *
 * Events (what LocalStore does, see src/storage/local-store.ts):
 * - `commit`: a `_delta_log/N.json` published by `link()` (put-if-absent),
 * - `checkpoint`: a `_delta_log/N.checkpoint.parquet` published by `link()`,
 * - `delete`: a data file (not under `_delta_log/`) removed by `unlink()` (vacuum),
 * - `put`: any other object published: a data file (`link()`, put-if-absent), `_last_checkpoint` or a
 *   landing file (`rename()`).
 *
 * Environment: `CRASH_KILL_EVENT` and `CRASH_KILL_AT` (k, 1-based) choose the kill; without them the
 * module only traces. `CRASH_TRACE_FILE`, when set, receives one line per event (`commit <path>`),
 * appended synchronously before any kill, so a clean run tells the harness what commit k is.
 * `CRASH_CLOCK_OFFSET_MS` moves `Date.now` ahead: a re-run then starts as if it ran that much later,
 * after the run lease of the run the harness killed has expired, without waiting for it.
 */
import { appendFileSync } from "node:fs";
import fsp from "node:fs/promises";
import { syncBuiltinESMExports } from "node:module";

/** The kinds of filesystem event a trial can kill after. */
export type CrashEvent = "commit" | "checkpoint" | "delete" | "put";

const COMMIT = /[\\/]_delta_log[\\/]\d{20}\.json$/;
const CHECKPOINT = /[\\/]_delta_log[\\/]\d{20}\.checkpoint(\.\d+\.\d+)?\.parquet$/;
const DELTA_LOG = /[\\/]_delta_log[\\/]/;

const killEvent = process.env.CRASH_KILL_EVENT as CrashEvent | undefined;
const killAt = Number(process.env.CRASH_KILL_AT ?? "0");
const traceFile = process.env.CRASH_TRACE_FILE;
const seen: Record<CrashEvent, number> = { commit: 0, checkpoint: 0, delete: 0, put: 0 };

/** Counts the event, traces it, and kills this process if it is the chosen one. */
function happened(event: CrashEvent, path: string): void {
  seen[event] += 1;
  if (traceFile) appendFileSync(traceFile, `${event} ${path}\n`);
  if (event === killEvent && seen[event] === killAt) process.kill(process.pid, "SIGKILL");
}

const clockOffset = Number(process.env.CRASH_CLOCK_OFFSET_MS ?? "0");
if (clockOffset !== 0) {
  const realNow = Date.now;
  Date.now = () => realNow() + clockOffset;
}

const { link, rename, unlink } = fsp;

fsp.link = async (existing, target) => {
  await link(existing, target);
  const path = String(target);
  if (COMMIT.test(path)) happened("commit", path);
  else if (CHECKPOINT.test(path)) happened("checkpoint", path);
  else happened("put", path);
};

fsp.rename = async (from, to) => {
  await rename(from, to);
  happened("put", String(to));
};

fsp.unlink = async (path) => {
  await unlink(path);
  if (!DELTA_LOG.test(String(path))) happened("delete", String(path));
};

// LocalStore imports these as named ESM bindings: make the bindings see the wrapped functions.
syncBuiltinESMExports();
