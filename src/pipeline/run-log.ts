/**
 * The run log: one row per pipeline run in the Delta table `<system>/runs`, written when the run
 * ends: succeeded, failed, or interrupted (by SIGTERM or SIGINT), so the CLI and a dashboard can show what happened. Counts are a JSON text
 * per layer so new layers add fields, not columns.
 */
import { field, type Row, type StructType, scanRows, struct } from "../delta/index.ts";
import { type DeltaContext, loadIfExists, writeTable } from "../engine/index.ts";
import type { ObjectStore } from "../storage/index.ts";
import { childLocation, storeAt } from "./layer-tables.ts";
import type { ProjectConfig } from "./project-config.ts";

export const RUNS_SCHEMA: StructType = struct(
  field("run_id", "string", false),
  field("started_at", "timestamp"),
  field("ended_at", "timestamp"),
  field("status", "string"),
  field("error", "string"),
  field("counts", "string"),
);

/** How a run ended. */
export type RunStatus = "succeeded" | "failed" | "interrupted";

/** What a run records of one source's landing → bronze step. */
export interface SourceCounts {
  readonly files?: number;
  readonly rows?: number;
  readonly rejects?: number;
}

/** What a run records of one model's build. */
export interface ModelCounts {
  readonly rebuilt?: boolean;
  readonly inputRows?: number;
  readonly rows?: number;
  readonly quarantined?: number;
  readonly duplicatesRemoved?: number;
  readonly retried?: number;
  readonly seconds?: number;
  readonly expectations?: Readonly<Record<string, { readonly action?: string; readonly failed?: number }>>;
}

/**
 * A run's counts, per source and per model (`zone.table`). Every field may be missing: runs recorded
 * by earlier versions have fewer, and new ones add fields rather than columns.
 */
export interface RunCounts {
  readonly bronze?: Readonly<Record<string, SourceCounts>>;
  readonly models?: Readonly<Record<string, ModelCounts>>;
}

/** One recorded run. */
export interface RunRecord {
  readonly runId: string;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly status: RunStatus;
  readonly error: string | null;
  /** Rows and files per source and model, as recorded. */
  readonly counts: RunCounts;
}

/** The run log table's store. */
export function runLogStore(project: ProjectConfig): ObjectStore {
  return storeAt(project, childLocation(project.systemDirectory, "runs"));
}

/** Appends a run to the log (idempotent per run id). */
export async function recordRun(ctx: DeltaContext, project: ProjectConfig, run: RunRecord): Promise<void> {
  const row: Row = {
    run_id: run.runId,
    started_at: BigInt(run.startedAt) * 1000n,
    ended_at: BigInt(run.endedAt) * 1000n,
    status: run.status,
    error: run.error,
    counts: JSON.stringify(run.counts),
  };
  await writeTable(
    ctx,
    runLogStore(project),
    { rows: [row], schema: RUNS_SCHEMA },
    { txn: { appId: `medallion-lake/run/${run.runId}`, version: 1 }, tableName: "runs" },
  );
}

/** The recorded runs, newest first. */
export async function listRuns(ctx: DeltaContext, project: ProjectConfig): Promise<RunRecord[]> {
  const store = runLogStore(project);
  const snapshot = await loadIfExists(ctx, store);
  if (snapshot === undefined) return [];
  const runs: RunRecord[] = [];
  for await (const row of scanRows(snapshot, store, ctx.parquet)) {
    runs.push({
      runId: String(row.run_id),
      startedAt: Number((row.started_at as bigint) / 1000n),
      endedAt: Number((row.ended_at as bigint) / 1000n),
      status: row.status === "failed" || row.status === "interrupted" ? row.status : "succeeded",
      error: typeof row.error === "string" ? row.error : null,
      counts: JSON.parse(String(row.counts ?? "{}")) as RunCounts,
    });
  }
  return runs.sort((a, b) => b.startedAt - a.startedAt);
}
