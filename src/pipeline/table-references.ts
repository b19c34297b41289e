/**
 * Project tables named in SQL as `zone.table` (bronze, silver, gold), optionally at a point in time:
 * `zone.table@v3` (version 3) or `zone.table@2024-05-01T12:00:00Z` (the version current then). Each
 * reference becomes a DuckDB view; the SQL comes back with the `@` forms replaced by view names,
 * together with the version each reference resolved to (what a model's rebuild decision compares).
 * (References are recognised anywhere in the text, string literals included.)
 */
import { createTableView, type DeltaContext } from "../engine/index.ts";
import { tableStore } from "./layer-tables.ts";
import type { ProjectConfig, Zone } from "./project-config.ts";

const TABLE_REFERENCE =
  /\b(bronze|silver|gold)\.([A-Za-z_][A-Za-z0-9_]*)(?:@(v\d+|\d{4}-\d{2}-\d{2}(?:[T ][0-9:.]+)?(?:Z|[+-]\d{2}:?\d{2})?))?/g;

/** A time-travel suffix that is not a version or a timestamp. */
export class BadTableReferenceError extends Error {
  constructor(
    readonly reference: string,
    readonly suffix: string,
  ) {
    super(`${reference}: "${suffix}" is not a timestamp like 2024-05-01T12:00:00Z`);
    this.name = "BadTableReferenceError";
  }
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
): Promise<ResolvedSql> {
  const views = new Map<string, string>();
  const inputs: Array<{ reference: string; version: number }> = [];
  for (const match of sql.matchAll(TABLE_REFERENCE)) {
    const [reference, zone, table, at] = match as unknown as [string, Zone, string, string | undefined];
    if (views.has(reference)) continue;
    const store = tableStore(project, zone, table);
    const snapshot = await ctx.snapshot(store, at === undefined ? {} : pointInTime(reference, at));
    const name = at === undefined ? table : `${table}@${at}`;
    views.set(reference, await createTableView(ctx, store, name, { snapshot, schema: zone }));
    inputs.push({ reference, version: snapshot.version });
  }
  return { sql: sql.replace(TABLE_REFERENCE, (reference) => views.get(reference) ?? reference), inputs };
}

function pointInTime(reference: string, at: string): { version: number } | { timestamp: number } {
  if (at.startsWith("v")) return { version: Number(at.slice(1)) };
  const timestamp = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(at) ? at : `${at}Z`);
  if (Number.isNaN(timestamp)) throw new BadTableReferenceError(reference, at);
  return { timestamp };
}
