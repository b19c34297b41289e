/**
 * Project tables named in SQL as `zone.table` (bronze, silver, gold), optionally at a point in time:
 * `zone.table@v3` (version 3) or `zone.table@2024-05-01T12:00:00Z` (the version current then). Each
 * reference becomes a DuckDB view; the SQL comes back with the `@` forms replaced by view names,
 * together with the version each reference resolved to (what a model's rebuild decision compares).
 * (References are recognised anywhere in the text, string literals included.)
 */
import type { AddFile, Snapshot } from "../delta/index.ts";
import { createTableView, type DeltaContext } from "../engine/index.ts";
import { tableStore } from "./layer-tables.ts";
import type { ProjectConfig, Zone } from "./project-config.ts";

const TABLE_REFERENCE =
  /\b(bronze|silver|gold)\.([A-Za-z_][A-Za-z0-9_]*)(?:@(v\d+|\d{4}-\d{2}-\d{2}(?:[T ][0-9:.]+)?(?:Z|[+-]\d{2}:?\d{2})?))?/g;

/** A time-travel suffix that is not a version or a timestamp, or a misplaced `stream()`. */
export class BadTableReferenceError extends Error {
  constructor(
    readonly reference: string,
    readonly problem: string,
  ) {
    super(`${reference}: ${problem}`);
    this.name = "BadTableReferenceError";
  }
}

/** `stream(zone.table)`: an incremental model's input whose new rows it reads. */
const STREAM_REFERENCE = /\bstream\(\s*((?:bronze|silver|gold)\.[A-Za-z_][A-Za-z0-9_]*)\s*\)/gi;

/** The distinct `zone.table` names `sql` reads (time-travel suffixes left out), in order of appearance. */
export function tableReferences(sql: string): string[] {
  return [...new Set([...sql.matchAll(TABLE_REFERENCE)].map((m) => `${m[1]}.${m[2]}`))];
}

/** The `zone.table` names `sql` reads through `stream(...)`. */
export function streamReferences(sql: string): string[] {
  return [...new Set([...sql.matchAll(STREAM_REFERENCE)].map((m) => m[1] as string))];
}

/** How to resolve some references differently from "every file of the latest version". */
export interface ResolveOptions {
  /** `stream(zone.table)` → this view (of the rows the model has not consumed yet). */
  readonly streams?: Readonly<Record<string, string>>;
  /** Only these files of a reference's snapshot (e.g. the partitions a model recomputes). */
  readonly files?: (reference: string, snapshot: Snapshot) => readonly AddFile[] | undefined;
  /** The snapshot to read a reference at (default: the latest, or its time-travel suffix). */
  readonly snapshots?: Readonly<Record<string, Snapshot>>;
}

/** SQL with its table references resolved. */
export interface ResolvedSql {
  /** The SQL to run. */
  readonly sql: string;
  /** Each distinct reference as written (`gold.sales`, `silver.x@v3`) and the table version it reads. */
  readonly inputs: ReadonlyArray<{ readonly reference: string; readonly version: number }>;
}

/**
 * Creates a view for each table `sql` names and returns the SQL to run.
 * @throws BadTableReferenceError, and the Delta errors of a missing table or version.
 */
export async function resolveTableReferences(
  ctx: DeltaContext,
  project: ProjectConfig,
  sql: string,
  options: ResolveOptions = {},
): Promise<ResolvedSql> {
  const streamed = sql.replace(STREAM_REFERENCE, (text, reference: string) => {
    const view = options.streams?.[reference];
    if (view === undefined)
      throw new BadTableReferenceError(text, "stream() is for the input of an incremental model");
    return view;
  });
  const views = new Map<string, string>();
  const inputs: Array<{ reference: string; version: number }> = [];
  for (const match of streamed.matchAll(TABLE_REFERENCE)) {
    const [reference, zone, table, at] = match as unknown as [string, Zone, string, string | undefined];
    if (views.has(reference)) continue;
    const store = tableStore(project, zone, table);
    const snapshot =
      options.snapshots?.[reference] ??
      (await ctx.snapshot(store, at === undefined ? {} : pointInTime(reference, at)));
    const name = at === undefined ? table : `${table}@${at}`;
    const files = options.files?.(reference, snapshot);
    views.set(
      reference,
      await createTableView(ctx, store, name, { snapshot, schema: zone, ...(files ? { files } : {}) }),
    );
    inputs.push({ reference, version: snapshot.version });
  }
  return { sql: streamed.replace(TABLE_REFERENCE, (reference) => views.get(reference) ?? reference), inputs };
}

function pointInTime(reference: string, at: string): { version: number } | { timestamp: number } {
  if (at.startsWith("v")) return { version: Number(at.slice(1)) };
  const timestamp = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(at) ? at : `${at}Z`);
  if (Number.isNaN(timestamp))
    throw new BadTableReferenceError(reference, `"${at}" is not a timestamp like 2024-05-01T12:00:00Z`);
  return { timestamp };
}
