/**
 * `lake query`: SQL over the project's tables, named `zone.table` (see pipeline/table-references.ts
 * for time travel with `@v3` and `@timestamp`).
 */
import { BadTableReferenceError, loadProject, resolveTableReferences } from "../pipeline/index.ts";
import { LakeUsageError } from "./errors.ts";
import { withProjectEngine } from "./project-engine.ts";

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
    let rewritten: string;
    try {
      rewritten = (await resolveTableReferences(ctx, project, sql)).sql;
    } catch (error) {
      if (error instanceof BadTableReferenceError) throw new LakeUsageError(error.message);
      throw error;
    }
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
