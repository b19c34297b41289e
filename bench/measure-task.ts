/**
 * One measurement in a fresh process, so every run is cold (new V8 heap, new DuckDB instance; the
 * OS page cache stays warm). `delta-snapshot.ts` starts it as
 * `node --import tsx bench/measure-task.ts '<task JSON>'`; it prints one JSON line, a {@link Measurement}.
 */

import { Snapshot, writeCheckpoint } from "../src/delta/index.ts";
import { DeltaContext } from "../src/engine/index.ts";
import { LocalStore, MemoryStore } from "../src/storage/index.ts";

/** What to measure: a snapshot load, or a checkpoint write of the loaded snapshot. */
export interface Task {
  readonly kind: "load" | "checkpoint-write";
  /** The table's folder. */
  readonly table: string;
  /** The version to load; latest when absent. */
  readonly version?: number;
  /** The clock `writeCheckpoint` gets (decides which tombstones are still retained). */
  readonly now?: number;
}

/** What one run measured. */
export interface Measurement {
  /** Wall time of the measured step, ms. */
  readonly ms: number;
  /** Opening DuckDB (not part of `ms`), ms. */
  readonly openMs: number;
  readonly version: number;
  readonly checkpoint: number | null;
  readonly commitsReplayed: number;
  readonly files: number;
  readonly tombstones: number;
  /** Checkpoint writes only: rows and Parquet bytes written. */
  readonly rows?: number;
  readonly bytes?: number;
  /** RSS after opening DuckDB, before the measured step, MiB. */
  readonly baselineRssMiB: number;
  /** Peak RSS of the whole process (getrusage), MiB. */
  readonly peakRssMiB: number;
}

async function measure(task: Task): Promise<Measurement> {
  const opened = performance.now();
  const ctx = await DeltaContext.open();
  const openMs = performance.now() - opened;
  try {
    const store = new LocalStore(task.table);
    const baselineRssMiB = process.memoryUsage().rss / 2 ** 20;
    const start = performance.now();
    const snapshot = await Snapshot.load(store, ctx.parquet, task.version);
    let ms = performance.now() - start;
    let written: { rows: number; bytes: number } | undefined;
    if (task.kind === "checkpoint-write") {
      const writeStart = performance.now();
      const metrics = await writeCheckpoint(new MemoryStore(), ctx.parquet, snapshot, task.now);
      ms = performance.now() - writeStart;
      written = { rows: metrics.rows, bytes: metrics.sizeInBytes };
    }
    return {
      ms,
      openMs,
      version: snapshot.version,
      checkpoint: snapshot.segment.checkpoint?.version ?? null,
      commitsReplayed: snapshot.segment.commits.length,
      files: snapshot.numFiles,
      tombstones: snapshot.tombstones().length,
      ...written,
      baselineRssMiB,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
    };
  } finally {
    ctx.close();
  }
}

const task = JSON.parse(process.argv[2] ?? "{}") as Task;
console.log(JSON.stringify(await measure(task)));
