/**
 * The landing log: what happened to each landing file, as events in the Delta table
 * `<system>/landing_files` (queryable as `_system.landing_files`). A file's latest event is its state:
 * - `ingested`: its lines are in bronze or in the rejects table (`records`, `bronze_rows`,
 *   `rejected_lines`), read at `size` bytes with checksum `sha256`;
 * - `rejected`: the file as a whole could not be read as the source's CSV (`reason`); nothing of it
 *   is in bronze;
 * - `changed`: its bytes differ from what was ingested (new `size`, `sha256`); the new content is not
 *   loaded until the file is retried;
 * - `retried`: a user asked to load it again; `generation` counts the loads asked for, and the next
 *   run replaces what bronze holds of it;
 * - `set_aside`: moved out of the source's folder by a user; it is no longer read.
 * Bronze and the rejects table record each file's generation as a txn in the commit that writes its
 * lines, so the log is the last of the three commits and a run after a crash completes it.
 */
import { field, type Row, type StructType, scanRows, struct } from "../delta/index.ts";
import { type DeltaContext, loadIfExists, type TxnId, writeTable } from "../engine/index.ts";
import type { ObjectStore } from "../storage/index.ts";
import { childLocation, storeAt } from "./layer-tables.ts";
import type { ProjectConfig } from "./project-config.ts";

export const LANDING_LOG_SCHEMA: StructType = struct(
  field("source", "string"),
  field("file", "string"),
  field("event", "string"),
  field("generation", "long"),
  field("size", "long"),
  field("sha256", "string"),
  field("etag", "string"),
  field("records", "long"),
  field("bronze_rows", "long"),
  field("rejected_lines", "long"),
  field("reason", "string"),
  field("run_id", "string"),
  field("at", "timestamp"),
);

export type LandingEventKind = "ingested" | "rejected" | "changed" | "retried" | "set_aside";

/** One event of a landing file; the latest one is the file's state. */
export interface LandingEvent {
  readonly source: string;
  /** The landing key, `<source>/<name>`. */
  readonly file: string;
  readonly event: LandingEventKind;
  readonly generation: number;
  readonly size: number;
  readonly sha256: string | null;
  readonly etag: string | null;
  readonly records: number | null;
  readonly bronzeRows: number | null;
  readonly rejectedLines: number | null;
  readonly reason: string | null;
  readonly runId: string | null;
  readonly at: number;
}

/** The landing log table's store. */
export function landingLogStore(project: ProjectConfig): ObjectStore {
  return storeAt(project, childLocation(project.systemDirectory, "landing_files"));
}

/** The txn appId under which bronze, its rejects table and the log record a landing file. */
export function landingTxnId(key: string): string {
  return `medallion-lake/landing/${key}`;
}

/** What the log knows: each file's latest event, and the generation the log recorded per file. */
export interface LandingLog {
  readonly latest: ReadonlyMap<string, LandingEvent>;
  /** The generation of the file's last `ingested`/`rejected` event (its txn), or 0. */
  recorded(key: string): number;
}

/** Reads the landing log (empty when it does not exist yet). */
export async function readLandingLog(ctx: DeltaContext, project: ProjectConfig): Promise<LandingLog> {
  const store = landingLogStore(project);
  const snapshot = await loadIfExists(ctx, store);
  const latest = new Map<string, LandingEvent>();
  if (snapshot !== undefined) {
    const events: LandingEvent[] = [];
    for await (const row of scanRows(snapshot, store, ctx.parquet)) events.push(fromRow(row));
    // A file's generations only grow, and within one a retry comes first and a set-aside last; the
    // clock of the machine that wrote an event is not trusted to order them.
    events.sort((a, b) => a.generation - b.generation || rank(a.event) - rank(b.event) || a.at - b.at);
    for (const event of events) latest.set(event.file, event);
  }
  return {
    latest,
    recorded: (key) => snapshot?.txn(landingTxnId(key))?.version ?? 0,
  };
}

/** The order of events within one generation of a file. */
function rank(kind: LandingEventKind): number {
  return ["retried", "ingested", "rejected", "changed", "set_aside"].indexOf(kind);
}

/** Appends events; `txn` marks the files whose generation they complete. */
export async function appendLandingEvents(
  ctx: DeltaContext,
  project: ProjectConfig,
  events: readonly LandingEvent[],
  txn: readonly TxnId[] = [],
): Promise<void> {
  if (events.length === 0) return;
  await writeTable(
    ctx,
    landingLogStore(project),
    { rows: events.map(toRow), schema: LANDING_LOG_SCHEMA },
    { txn: txn.length > 0 ? txn : undefined, tableName: "landing_files" },
  );
}

function toRow(e: LandingEvent): Row {
  const long = (n: number | null) => (n === null ? null : BigInt(n));
  return {
    source: e.source,
    file: e.file,
    event: e.event,
    generation: BigInt(e.generation),
    size: BigInt(e.size),
    sha256: e.sha256,
    etag: e.etag,
    records: long(e.records),
    bronze_rows: long(e.bronzeRows),
    rejected_lines: long(e.rejectedLines),
    reason: e.reason,
    run_id: e.runId,
    at: BigInt(e.at) * 1000n,
  };
}

function fromRow(row: Row): LandingEvent {
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const text = (v: unknown) => (typeof v === "string" ? v : null);
  return {
    source: String(row.source),
    file: String(row.file),
    event: String(row.event) as LandingEventKind,
    generation: Number(row.generation),
    size: Number(row.size),
    sha256: text(row.sha256),
    etag: text(row.etag),
    records: num(row.records),
    bronzeRows: num(row.bronze_rows),
    rejectedLines: num(row.rejected_lines),
    reason: text(row.reason),
    runId: text(row.run_id),
    at: Number((row.at as bigint) / 1000n),
  };
}
