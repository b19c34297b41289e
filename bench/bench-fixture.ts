/**
 * The benchmark's tables, built once per log shape and cached under `.bench/delta-snapshot/`:
 * - `json-only`: the synthetic log's JSON commits, no checkpoint;
 * - `checkpointed`: the same commits (hard links) plus the two classic checkpoints the scenarios use
 *   (half-way and the newest multiple of {@link CHECKPOINT_INTERVAL}), written by our
 *   `writeCheckpoint`, and `_last_checkpoint`. A writer would leave one every 10 commits; a reader
 *   only ever opens the newest one at or below its version, so the others would only lengthen the
 *   listing (by about 1 file in 11);
 * - `stale-hint`: `checkpointed` with `_last_checkpoint` pointing at a checkpoint half-way back.
 * A `ready.json` written last marks a complete build; anything else is rebuilt from scratch.
 */
import { link, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { LOG_DIR, padVersion, Snapshot, writeCheckpoint } from "../src/delta/index.ts";
import { DeltaContext } from "../src/engine/index.ts";
import { LocalStore } from "../src/storage/index.ts";
import { commitTexts, commitTime, type LogShape } from "./synthetic-log.ts";

/** Spark's default `delta.checkpointInterval`. */
export const CHECKPOINT_INTERVAL = 10;
/** Bump when the generated log changes, so old caches are rebuilt. */
const FIXTURE_FORMAT = 2;
const WRITE_CONCURRENCY = 32;

/** Where each table of a built fixture lives, and what building it cost. */
export interface Fixture {
  readonly jsonOnly: string;
  readonly checkpointed: string;
  readonly staleHint: string;
  /** The newest checkpoint's version, and the one the stale hint names. */
  readonly lastCheckpoint: number;
  readonly staleCheckpoint: number;
  readonly build: BuildCost;
}

/** Setup costs, measured while building (not part of the benchmark's figures). */
export interface BuildCost {
  readonly commitsMs: number;
  readonly checkpoints: number;
  readonly checkpointsMs: number;
}

/** The fixture for `shape`, built under `root` unless a complete one is already there. */
export async function prepareFixture(
  root: string,
  shape: LogShape,
  log: (line: string) => void,
): Promise<Fixture> {
  const dir = join(root, `c${shape.commits}-f${shape.filesPerCommit}`);
  const lastCheckpoint = Math.floor((shape.commits - 1) / CHECKPOINT_INTERVAL) * CHECKPOINT_INTERVAL;
  const staleCheckpoint = Math.floor(shape.commits / 2 / CHECKPOINT_INTERVAL) * CHECKPOINT_INTERVAL;
  if (lastCheckpoint < CHECKPOINT_INTERVAL || staleCheckpoint < CHECKPOINT_INTERVAL) {
    throw new Error(`--commits must be at least ${4 * CHECKPOINT_INTERVAL + 1} to have two checkpoints`);
  }
  const paths = {
    jsonOnly: join(dir, "json-only"),
    checkpointed: join(dir, "checkpointed"),
    staleHint: join(dir, "stale-hint"),
    lastCheckpoint,
    staleCheckpoint,
  };
  const ready = join(dir, "ready.json");
  const cached = await readReady(ready);
  if (cached !== undefined) {
    log(`using cached tables in ${dir}`);
    await writeStaleHint(paths.staleHint, staleCheckpoint);
    return { ...paths, build: cached };
  }
  await rm(dir, { recursive: true, force: true });
  log(`building tables in ${dir} (once; cached afterwards)`);
  let start = performance.now();
  await writeCommits(paths.jsonOnly, shape);
  const commitsMs = performance.now() - start;
  log(`  ${shape.commits} JSON commits written in ${(commitsMs / 1000).toFixed(1)} s`);
  await linkLog(paths.jsonOnly, paths.checkpointed);
  start = performance.now();
  const checkpoints = await writeCheckpoints(paths.checkpointed, [staleCheckpoint, lastCheckpoint], log);
  const checkpointsMs = performance.now() - start;
  await linkLog(paths.checkpointed, paths.staleHint);
  await writeStaleHint(paths.staleHint, staleCheckpoint);
  const build = { commitsMs, checkpoints, checkpointsMs };
  await writeFile(ready, JSON.stringify({ format: FIXTURE_FORMAT, shape, build }));
  return { ...paths, build };
}

/** Points the table's `_last_checkpoint` at the older checkpoint `version` (rewritten on every run). */
async function writeStaleHint(table: string, version: number): Promise<void> {
  await writeFile(join(table, LOG_DIR, "_last_checkpoint"), JSON.stringify({ version }));
}

async function readReady(path: string): Promise<BuildCost | undefined> {
  try {
    const parsed: unknown = JSON.parse(await readFile(path, "utf8"));
    if (typeof parsed !== "object" || parsed === null) return undefined;
    const { format, build } = parsed as { format?: unknown; build?: BuildCost };
    return format === FIXTURE_FORMAT ? build : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the JSON commits straight to disk (setup speed matters here, not the ObjectStore path). */
async function writeCommits(table: string, shape: LogShape): Promise<void> {
  const logDir = join(table, LOG_DIR);
  await mkdir(logDir, { recursive: true });
  const pending = new Set<Promise<void>>();
  let version = 0;
  for (const text of commitTexts(shape)) {
    const write = writeFile(join(logDir, `${padVersion(version++)}.json`), text).then(() => {
      pending.delete(write);
    });
    pending.add(write);
    if (pending.size >= WRITE_CONCURRENCY) await Promise.race(pending);
  }
  await Promise.all(pending);
}

/** Hard-links every file of `from`'s log into `to`'s, except `_last_checkpoint`. */
async function linkLog(from: string, to: string): Promise<void> {
  const source = join(from, LOG_DIR);
  const target = join(to, LOG_DIR);
  await mkdir(target, { recursive: true });
  const names = (await readdir(source)).filter((name) => name !== "_last_checkpoint");
  for (let i = 0; i < names.length; i += WRITE_CONCURRENCY) {
    const batch = names.slice(i, i + WRITE_CONCURRENCY);
    await Promise.all(batch.map((name) => link(join(source, name), join(target, name))));
  }
}

/**
 * Writes a checkpoint at each of `versions` (ascending), as our writer does after those commits:
 * load the snapshot at the version, then `writeCheckpoint` (which also updates `_last_checkpoint`).
 * Returns how many it wrote.
 */
async function writeCheckpoints(
  table: string,
  versions: readonly number[],
  log: (line: string) => void,
): Promise<number> {
  const store = new LocalStore(table);
  const start = performance.now();
  await DeltaContext.with(async (ctx) => {
    for (const version of versions) {
      const snapshot = await Snapshot.load(store, ctx.parquet, version);
      await writeCheckpoint(store, ctx.parquet, snapshot, commitTime(version));
      log(`  checkpoint ${version} written (${((performance.now() - start) / 1000).toFixed(1)} s so far)`);
    }
  });
  return versions.length;
}
