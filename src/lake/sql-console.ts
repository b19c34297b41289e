/**
 * The dashboard's SQL console: read-only SQL over the project's tables (`zone.table`, time travel with
 * `@v3` or `@timestamp`, `_system.runs`) on a DuckDB instance of its own, which may touch files only
 * under the lake's table folders and its read cache and loads no extension. One SELECT statement at a
 * time, stopped after a time limit, and at most a number of rows.
 */
import { DeltaContext, NotReadOnlyError, streamReadOnlyQuery } from "../engine/index.ts";
import type { ProjectConfig } from "../pipeline/index.ts";
import { LakeUsageError } from "./errors.ts";
import { projectEngineOptions } from "./project-engine.ts";
import { resolveQuery } from "./query.ts";
import type { Json } from "./row-format.ts";

/** The bounds of one console query. */
export interface SqlConsoleLimits {
  readonly timeoutMs: number;
  readonly rowLimit: number;
}

/** A console query's result: at most the row limit, and whether there were more. */
export interface SqlConsoleResult {
  readonly columns: readonly string[];
  readonly rows: readonly Json[][];
  readonly truncated: boolean;
  readonly milliseconds: number;
}

/** Words a read-only query may start with (DuckDB's FROM-first and DESCRIBE/SUMMARIZE included). */
const READ_STATEMENTS = new Set(["SELECT", "WITH", "FROM", "VALUES", "DESCRIBE", "SUMMARIZE", "TABLE"]);

/** A SQL console on a confined DuckDB instance of its own. Queries run one at a time. */
export class SqlConsole {
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly project: ProjectConfig,
    private readonly ctx: DeltaContext,
  ) {}

  /** Opens the console's DuckDB, confined to the project's table folders and read cache. */
  static async open(project: ProjectConfig): Promise<SqlConsole> {
    const options = projectEngineOptions(project);
    const local = [
      project.zones.bronze,
      project.zones.silver,
      project.zones.gold,
      project.systemDirectory,
    ].filter((location) => !location.startsWith("s3://"));
    const ctx = await DeltaContext.open({
      ...options,
      allowedDirectories: [...local, options.cacheDirectory],
    });
    return new SqlConsole(project, ctx);
  }

  /**
   * Runs one read-only statement.
   * @throws LakeUsageError when the SQL is not one SELECT (naming what it is), names an unknown table,
   *   reads a file outside the lake, fails in DuckDB, or runs past the time limit.
   */
  run(sql: string, limits: SqlConsoleLimits): Promise<SqlConsoleResult> {
    const next = this.#queue.then(() => this.#run(sql, limits));
    this.#queue = next.catch(() => {});
    return next;
  }

  /** Closes the console's DuckDB. */
  close(): void {
    this.ctx.close();
  }

  async #run(sql: string, limits: SqlConsoleLimits): Promise<SqlConsoleResult> {
    const started = performance.now();
    const first = firstWord(sql);
    if (!READ_STATEMENTS.has(first))
      throw new LakeUsageError(
        `The console refused the SQL: it runs queries that only read (SELECT, WITH, FROM, VALUES, DESCRIBE, SUMMARIZE), and this ${first ? `is ${first}` : "is empty"}`,
      );
    const connection = this.ctx.session.connection;
    const timer = setTimeout(() => connection.interrupt(), limits.timeoutMs);
    try {
      const result = await streamReadOnlyQuery(this.ctx, await resolveQuery(this.ctx, this.project, sql));
      const rows: Json[][] = [];
      let truncated = false;
      for await (const chunk of result.yieldRowsJson()) {
        for (const row of chunk) {
          if (rows.length === limits.rowLimit) {
            truncated = true;
            break;
          }
          rows.push(row as Json[]);
        }
        if (truncated) break;
      }
      return { columns: result.columnNames(), rows, truncated, milliseconds: performance.now() - started };
    } catch (error) {
      if (error instanceof LakeUsageError) throw error;
      if (error instanceof NotReadOnlyError)
        throw new LakeUsageError(`The console refused the SQL: ${error.message}`);
      const message = error instanceof Error ? error.message : String(error);
      throw new LakeUsageError(
        /INTERRUPT/.test(message)
          ? `The query ran longer than ${limits.timeoutMs / 1000} s and was stopped`
          : `The query failed: ${message}`,
      );
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The first keyword of `sql`, upper-cased, after comments and opening parentheses. */
function firstWord(sql: string): string {
  const text = sql.replace(/^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/|\()*/, "");
  return (/^[A-Za-z]+/.exec(text)?.[0] ?? "").toUpperCase();
}
