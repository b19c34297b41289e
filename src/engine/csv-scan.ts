/**
 * Strict CSV scans for ingestion: every column read as text (nothing lost to type guessing), lines
 * with the wrong number of columns kept aside in a DuckDB rejects table with the reason.
 */
import type { DuckDbSession } from "./duckdb-session.ts";
import { sqlString } from "./duckdb-session.ts";

/** A line DuckDB refused, with its raw text and why. */
export interface CsvReject {
  readonly csvLine: string;
  readonly error: string;
}

let scanCounter = 0;

/** A scan of one CSV file and the name of the table its rejected lines go to. */
export interface CsvScan {
  readonly sql: string;
  readonly rejectsTable: string;
}

/**
 * A scan of a header-less CSV file whose columns are `columns` (name → DuckDB type), RFC 4180
 * quoting, strict column counts. Each call names its own rejects table (DuckDB appends to it on
 * every scan), to be read once with {@link takeCsvRejects}.
 */
export function strictCsvScan(path: string, columns: ReadonlyArray<readonly [string, string]>): CsvScan {
  const id = ++scanCounter;
  const rejectsTable = `csv_rejects_${id}`;
  const columnSpec = columns.map(([name, type]) => `${sqlString(name)}: ${sqlString(type)}`).join(", ");
  const sql = `SELECT * FROM read_csv(${sqlString(path)}, header = false, auto_detect = false, columns = {${columnSpec}},
    delim = ',', quote = '"', escape = '"', strict_mode = true, null_padding = false,
    store_rejects = true, rejects_table = '${rejectsTable}', rejects_scan = 'csv_scans_${id}')`;
  return { sql, rejectsTable };
}

/** The lines a scan rejected, one per line (none when it rejected nothing); drops the rejects tables. */
export async function takeCsvRejects(session: DuckDbSession, scan: CsvScan): Promise<CsvReject[]> {
  const exists = await session.connection.runAndReadAll(
    `SELECT count(*) FROM duckdb_tables() WHERE table_name = ${sqlString(scan.rejectsTable)}`,
  );
  if (Number(exists.getRows()[0]?.[0] ?? 0) === 0) return [];
  // DuckDB records one error per problem (e.g. per missing column): one reject per line, all reasons.
  const reader = await session.connection.runAndReadAll(
    `SELECT any_value(csv_line), string_agg(DISTINCT lower(error_type) || ': ' || error_message, '; ' ORDER BY lower(error_type) || ': ' || error_message)
     FROM ${scan.rejectsTable} GROUP BY line ORDER BY line`,
  );
  const rejects = reader.getRows().map(([line, error]) => ({ csvLine: String(line), error: String(error) }));
  const scans = scan.rejectsTable.replace("csv_rejects_", "csv_scans_");
  await session.connection.run(`DROP TABLE IF EXISTS ${scan.rejectsTable}; DROP TABLE IF EXISTS ${scans}`);
  return rejects;
}
