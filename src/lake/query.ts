/**
 * `lake query`: SQL over the project's tables. Every `zone.table` the query names (bronze, silver,
 * gold) becomes a DuckDB view of the table's latest version; `zone.table@v3` reads version 3 and
 * `zone.table@2024-05-01T12:00:00Z` the version current at that instant. (The `@` forms are
 * recognised anywhere in the text, string literals included.)
 */
import { join } from "node:path";
import { createTableView, type DeltaContext } from "../engine/index.ts";
import { loadProject, type ProjectConfig, type ZONES } from "../pipeline/index.ts";
import { LocalStore } from "../storage/index.ts";
import { LakeUsageError } from "./errors.ts";
import { withProjectEngine } from "./project-engine.ts";

const TABLE_REFERENCE =
  /\b(landing|bronze|silver|gold)\.([A-Za-z_][A-Za-z0-9_]*)(?:@(v\d+|\d{4}-\d{2}-\d{2}(?:[T ][0-9:.]+)?(?:Z|[+-]\d{2}:?\d{2})?))?/g;

/** A query's result: column names and rows as JSON-safe values (big numbers and decimals as text). */
export interface QueryResult {
  readonly columns: readonly string[];
  readonly rows: ReadonlyArray<Record<string, unknown>>;
}

/**
 * Runs `sql` against the project in `projectDir`.
 * @throws LakeUsageError for a bad version or timestamp, or SQL DuckDB refuses (with its message).
 */
export async function queryProject(projectDir: string, sql: string, limit?: number): Promise<QueryResult> {
  const project = await loadProject(projectDir);
  return withProjectEngine(project, async (ctx) => {
    const rewritten = await registerTables(ctx, project, sql);
    let reader: Awaited<ReturnType<typeof ctx.session.connection.runAndReadAll>>;
    try {
      reader = await ctx.session.connection.runAndReadAll(
        limit === undefined ? rewritten : `SELECT * FROM (${rewritten}) LIMIT ${limit}`,
      );
    } catch (error) {
      throw new LakeUsageError(`The query failed: ${(error as Error).message}`);
    }
    return {
      columns: reader.columnNames(),
      rows: reader.getRowObjectsJson() as Array<Record<string, unknown>>,
    };
  });
}

/** Creates a view for each table the SQL names and returns the SQL with `@` references replaced. */
async function registerTables(ctx: DeltaContext, project: ProjectConfig, sql: string): Promise<string> {
  const views = new Map<string, string>();
  for (const match of sql.matchAll(TABLE_REFERENCE)) {
    const [reference, zone, table, at] = match as unknown as [
      string,
      (typeof ZONES)[number],
      string,
      string | undefined,
    ];
    if (views.has(reference) || zone === "landing") continue;
    const store = new LocalStore(join(project.zones[zone], table));
    const snapshot = await ctx.snapshot(store, at === undefined ? {} : pointInTime(reference, at));
    const name = at === undefined ? table : `${table}@${at}`;
    views.set(reference, await createTableView(ctx, store, name, { snapshot, schema: zone }));
  }
  return sql.replace(TABLE_REFERENCE, (reference) => views.get(reference) ?? reference);
}

function pointInTime(reference: string, at: string): { version: number } | { timestamp: number } {
  if (at.startsWith("v")) return { version: Number(at.slice(1)) };
  const timestamp = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(at) ? at : `${at}Z`);
  if (Number.isNaN(timestamp))
    throw new LakeUsageError(`${reference}: "${at}" is not a timestamp like 2024-05-01T12:00:00Z`);
  return { timestamp };
}
