/**
 * Running SQL a user typed only when it reads: exactly one statement, which DuckDB itself classifies
 * as a SELECT once prepared (a COPY, ATTACH, SET, PRAGMA, CREATE, INSERT … is refused before it runs).
 */
import { StatementType } from "@duckdb/node-api";
import type { DeltaContext } from "./delta-context.ts";

/** The SQL is not a single read-only statement. */
export class NotReadOnlyError extends Error {
  constructor(readonly statements: readonly string[]) {
    super(
      statements.length === 1
        ? `this is a ${statements[0]} statement, and only queries that read (SELECT) run here`
        : `this SQL has ${statements.length} statements; one query runs at a time`,
    );
    this.name = "NotReadOnlyError";
  }
}

/** The rows of a running query, a chunk at a time, values JSON-safe. */
export interface ReadOnlyResult {
  columnNames(): string[];
  yieldRowsJson(): AsyncIterableIterator<unknown[][]>;
}

/**
 * Prepares `sql` on the context's connection and starts it when it is one SELECT.
 * @throws NotReadOnlyError otherwise; DuckDB's errors for SQL that does not prepare (a file it may not
 *   read, an unknown function or table).
 */
export async function streamReadOnlyQuery(ctx: DeltaContext, sql: string): Promise<ReadOnlyResult> {
  const extracted = await ctx.session.connection.extractStatements(sql);
  if (extracted.count !== 1) throw new NotReadOnlyError(Array.from({ length: extracted.count }, () => "?"));
  const prepared = await extracted.prepare(0);
  if (prepared.statementType !== StatementType.SELECT)
    throw new NotReadOnlyError([StatementType[prepared.statementType] ?? String(prepared.statementType)]);
  return prepared.stream();
}
