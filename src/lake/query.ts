/**
 * `lake query`: SQL over the project's tables, named `zone.table` (see pipeline/table-references.ts
 * for time travel with `@v3` and `@timestamp`), plus the project's own tables as `_system.<name>`
 * (`_system.runs`, the run log). Results stream from DuckDB a chunk at a time.
 */
import { createTableView, type DeltaContext } from "../engine/index.ts";
import {
  BadTableReferenceError,
  loadProject,
  type ProjectConfig,
  resolveTableReferences,
} from "../pipeline/index.ts";
import { LakeUsageError } from "./errors.ts";
import { projectTableStore } from "./open-table.ts";
import { withProjectEngine } from "./project-engine.ts";
import type { Json } from "./row-format.ts";

/** A query's result: column names and rows as JSON-safe values (big numbers and decimals as text). */
export interface QueryResult {
  readonly columns: readonly string[];
  readonly rows: ReadonlyArray<Record<string, unknown>>;
}

/** A running query: its columns, and its rows in batches (values in column order, JSON-safe). */
export interface QueryStream {
  readonly columns: readonly string[];
  readonly batches: AsyncIterable<Json[][]>;
}

/** `zone.table` names of the project's tables in SQL, before any time-travel suffix. */
const TABLE_NAME = /\b((?:bronze|silver|gold)\.[A-Za-z_][A-Za-z0-9_]*)(?![A-Za-z0-9_])/g;
const SYSTEM_TABLE = /\b_system\.([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * Runs `sql` against the project in `projectDir` and hands its rows to `consume` while the engine is
 * open; returns what `consume` returns.
 * @throws LakeUsageError for an unknown table (with the nearest name), a bad version or timestamp, or
 *   SQL DuckDB refuses (with its message), also when DuckDB fails while the rows stream.
 */
export async function streamQuery<T>(
  projectDir: string,
  sql: string,
  options: { readonly limit?: number },
  consume: (stream: QueryStream) => Promise<T>,
): Promise<T> {
  const project = await loadProject(projectDir);
  return withProjectEngine(project, async (ctx) => {
    const rewritten = await resolveQuery(ctx, project, sql);
    const text =
      options.limit === undefined
        ? rewritten
        : `SELECT * FROM (${rewritten.replace(/[\s;]+$/, "")}\n) LIMIT ${options.limit}`;
    let result: Awaited<ReturnType<typeof ctx.session.connection.stream>>;
    try {
      result = await ctx.session.connection.stream(text);
    } catch (error) {
      throw queryFailed(error);
    }
    return consume({ columns: result.columnNames(), batches: batchesOf(result) });
  });
}

/**
 * Runs `sql` against the project in `projectDir` and returns every row (for small results).
 * @throws as {@link streamQuery}
 */
export async function queryProject(projectDir: string, sql: string, limit?: number): Promise<QueryResult> {
  return streamQuery(projectDir, sql, limit === undefined ? {} : { limit }, async ({ columns, batches }) => {
    const rows: Array<Record<string, unknown>> = [];
    for await (const batch of batches)
      for (const values of batch) rows.push(Object.fromEntries(columns.map((c, i) => [c, values[i]])));
    return { columns, rows };
  });
}

/**
 * Creates the views the SQL names and returns the SQL to run.
 * @throws LakeUsageError for an unknown table (with the nearest name) or a bad version or timestamp.
 */
export async function resolveQuery(ctx: DeltaContext, project: ProjectConfig, sql: string): Promise<string> {
  // Unknown names fail here with a suggestion, rather than as "no Delta table at <path>".
  for (const [name] of sql.matchAll(TABLE_NAME)) projectTableStore(project, name);
  for (const [name, table] of sql.matchAll(SYSTEM_TABLE))
    await createTableView(ctx, projectTableStore(project, name), table as string, { schema: "_system" });
  try {
    return (await resolveTableReferences(ctx, project, sql)).sql;
  } catch (error) {
    if (error instanceof BadTableReferenceError) throw new LakeUsageError(error.message);
    throw error;
  }
}

async function* batchesOf(result: {
  yieldRowsJson(): AsyncIterableIterator<Json[][]>;
}): AsyncGenerator<Json[][]> {
  const chunks = result.yieldRowsJson();
  for (;;) {
    let next: IteratorResult<Json[][]>;
    try {
      next = await chunks.next();
    } catch (error) {
      throw queryFailed(error);
    }
    if (next.done) return;
    yield next.value;
  }
}

function queryFailed(error: unknown): LakeUsageError {
  return new LakeUsageError(`The query failed: ${error instanceof Error ? error.message : String(error)}`);
}
