/**
 * Strict CSV scans for ingestion: every column read as text (nothing lost to type guessing), lines
 * with the wrong number of columns kept aside in a DuckDB rejects table with the reason.
 */
import type { DuckDbSession } from "./duckdb-session.ts";
import { sqlString } from "./duckdb-session.ts";

/** A line DuckDB refused: the file it is in, its raw text and why. */
export interface CsvReject {
  readonly file: string;
  readonly csvLine: string;
  readonly error: string;
}

let scanCounter = 0;

/** A scan of CSV files, the column naming each row's file, and the table its rejected lines go to. */
export interface CsvScan {
  readonly sql: string;
  readonly fileColumn: string;
  readonly rejectsTable: string;
}

// DuckDB's own name for it is `filename`, which a source may well have as a column of its own.
const FILE_COLUMN = "_lake_scanned_file";

/**
 * A scan of header-less CSV files whose columns are `columns` (name → DuckDB type), RFC 4180
 * quoting, strict column counts, `""` read as an empty text (an empty field is NULL), lines of at most
 * `maxLineBytes`, plus a column naming each row's file (`fileColumn`). Each call names its own rejects table
 * (DuckDB appends to it on every scan), to be read once with {@link takeCsvRejects}.
 */
export function strictCsvScan(
  paths: readonly string[],
  columns: ReadonlyArray<readonly [string, string]>,
  maxLineBytes: number,
): CsvScan {
  const id = ++scanCounter;
  const rejectsTable = `csv_rejects_${id}`;
  const columnSpec = columns.map(([name, type]) => `${sqlString(name)}: ${sqlString(type)}`).join(", ");
  const sql = `SELECT * FROM read_csv([${paths.map(sqlString).join(", ")}], header = false, auto_detect = false, columns = {${columnSpec}},
    delim = ',', quote = '"', escape = '"', strict_mode = true, null_padding = false, allow_quoted_nulls = false, max_line_size = ${maxLineBytes}, filename = '${FILE_COLUMN}',
    store_rejects = true, rejects_table = '${rejectsTable}', rejects_scan = 'csv_scans_${id}')`;
  return { sql, fileColumn: FILE_COLUMN, rejectsTable };
}

/** The lines a scan rejected, one per line (none when it rejected nothing); drops the rejects tables. */
export async function takeCsvRejects(session: DuckDbSession, scan: CsvScan): Promise<CsvReject[]> {
  const exists = await session.connection.runAndReadAll(
    `SELECT count(*) FROM duckdb_tables() WHERE table_name = ${sqlString(scan.rejectsTable)}`,
  );
  if (Number(exists.getRows()[0]?.[0] ?? 0) === 0) return [];
  // DuckDB records one error per problem (e.g. per missing column): one reject per line, all reasons.
  const scans = scan.rejectsTable.replace("csv_rejects_", "csv_scans_");
  const reader = await session.connection.runAndReadAll(
    `SELECT any_value(s.file_path), any_value(e.csv_line),
       string_agg(DISTINCT lower(e.error_type) || ': ' || e.error_message, '; ' ORDER BY lower(e.error_type) || ': ' || e.error_message)
     FROM ${scan.rejectsTable} e JOIN ${scans} s USING (scan_id, file_id) GROUP BY e.scan_id, e.file_id, e.line ORDER BY 1, e.line`,
  );
  const rejects = reader
    .getRows()
    .map(([file, line, error]) => ({ file: String(file), csvLine: String(line), error: String(error) }));
  await session.connection.run(`DROP TABLE IF EXISTS ${scan.rejectsTable}; DROP TABLE IF EXISTS ${scans}`);
  return rejects;
}
