/**
 * One embedded DuckDB instance, configured explicitly (threads, memory limit, spill folder, no
 * extension downloads), with one connection used serially. DuckDB runs its own threads inside a query.
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import "./exact-strings.ts";

/** Settings of a DuckDB session. */
export interface DuckDbOptions {
  /** Worker threads (default: DuckDB's choice, the number of cores). */
  readonly threads?: number;
  /** Buffer-manager memory limit, e.g. `"2GB"` (default: DuckDB's, 80% of RAM). */
  readonly memoryLimit?: string;
  /** Where DuckDB spills when over the memory limit (default: a folder in the OS temp dir; a DeltaContext's is in its staging area). */
  readonly tempDirectory?: string;
  /**
   * When given, DuckDB's own file access is confined: its functions read and write files only under
   * these folders (and the spill folder), and it loads no extension. For SQL a user types.
   */
  readonly allowedDirectories?: readonly string[];
}

/** A DuckDB instance and its connection. Call {@link close} when done. */
export class DuckDbSession {
  private constructor(
    private readonly instance: DuckDBInstance,
    /** The connection; queries on it run one at a time. */
    readonly connection: DuckDBConnection,
  ) {}

  /** Opens an in-memory DuckDB with the given settings. */
  static async open(options: DuckDbOptions = {}): Promise<DuckDbSession> {
    const config: Record<string, string> = {
      // Extensions would be downloaded from the internet; a stray call must fail at once instead.
      autoinstall_known_extensions: "false",
      autoload_known_extensions: "false",
      temp_directory: options.tempDirectory ?? join(tmpdir(), "medallion-lake-duckdb"),
    };
    if (options.threads !== undefined) config.threads = String(options.threads);
    if (options.memoryLimit !== undefined) config.memory_limit = options.memoryLimit;
    const instance = await DuckDBInstance.create(":memory:", config);
    const connection = await instance.connect();
    // Timestamps are UTC instants in Delta; casts between TIMESTAMP and TIMESTAMPTZ must not shift them.
    await connection.run("SET TimeZone = 'UTC'");
    // DuckDB 1.5.6 fails at planning ("INTERNAL Error: Failed to cast expression") on row_number()
    // windows filtered to the first row; disabling this one optimizer avoids it (engine-facts §5).
    await connection.run("SET disabled_optimizers = 'top_n_window_elimination'");
    // Partitioned COPY buffers rows per partition outside the memory limit's accounting; flushing at
    // 64k rows instead of 512k kept the 10M-row silver write under 2 GiB RSS at the same speed (row
    // groups are still full size).
    await connection.run("SET partitioned_write_flush_threshold = 65536");
    // Progress estimates for withQueryProgress; DuckDB must not print its own bar to the terminal.
    await connection.run("SET enable_progress_bar = true; SET enable_progress_bar_print = false");
    if (options.allowedDirectories !== undefined) {
      // The list must be set while access is still enabled; once disabled it cannot be re-enabled.
      const folders = options.allowedDirectories.map((d) => sqlString(d.endsWith("/") ? d : `${d}/`));
      await connection.run(`SET allowed_directories = [${folders.join(", ")}]`);
      await connection.run("SET enable_external_access = false");
    }
    return new DuckDbSession(instance, connection);
  }

  /** Closes the connection and the instance. */
  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/** A SQL string literal for `text` (single quotes doubled). */
export function sqlString(text: string): string {
  const quoted = `'${text.replaceAll("'", "''")}'`;
  // DuckDB's parser ends a literal at a NUL byte; text holding one is built with chr(0).
  return text.includes("\0") ? `(${quoted.replaceAll("\0", "' || chr(0) || '")})` : quoted;
}

/** A SQL identifier for `name` (double quotes doubled). */
export function sqlIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * A `read_parquet` table expression for one local file. Hive partitioning is off: partition values
 * come from the Delta log, and DuckDB would otherwise invent columns from `col=value` directory names.
 */
export function parquetScan(path: string, options: { fileRowNumber?: boolean } = {}): string {
  return `read_parquet(${sqlString(path)}, hive_partitioning = false${options.fileRowNumber ? ", file_row_number = true" : ""})`;
}
