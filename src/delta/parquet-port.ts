/**
 * The port through which the Delta layer reads and writes Parquet. The protocol code does no I/O of
 * its own beyond the ObjectStore; the engine (DuckDB) implements this port, as delta-kernel-rs asks
 * its `Engine` for a Parquet handler.
 */
import type { ObjectStore } from "../storage/index.ts";
import type { DeletedRows } from "./deletion-vector.ts";
import type { ColumnMappingMode, StructField, StructType } from "./schema.ts";
import type { Row } from "./values.ts";

/** What to read from one data file of a snapshot. */
export interface DataFileRequest {
  /** The file's key relative to the table root (already URI-decoded). */
  readonly key: string;
  /** The logical columns to produce (partition columns excluded); columns absent from the file are null. */
  readonly columns: readonly StructField[];
  /** How logical columns map to the file's columns. */
  readonly columnMapping: ColumnMappingMode;
  /** Physical row indexes to leave out (the file's deletion vector). */
  readonly deletedRows?: DeletedRows;
  /** At most this many rows are needed (after leaving out deleted rows). */
  readonly limit?: number;
}

/** The Parquet capabilities the Delta layer needs. */
export interface ParquetPort {
  /**
   * Every row of a Parquet file as plain JSON-like objects: structs and maps as objects, lists as
   * arrays, 64-bit integers as numbers, nulls as null. Used for checkpoints and sidecars.
   * @throws ObjectNotFoundError when the file does not exist.
   */
  readRows(store: ObjectStore, key: string): Promise<Record<string, unknown>[]>;

  /**
   * Encodes rows (JSON-like objects shaped like `schema`; maps as objects) as a Parquet file with
   * the Delta-to-Parquet type mapping of the spec, and returns its bytes.
   */
  writeRows(rows: readonly Record<string, unknown>[], schema: StructType): Promise<Uint8Array>;

  /**
   * The rows of one data file as Delta values (see values.ts), in file order, without the deleted rows.
   * @throws ObjectNotFoundError when the file does not exist.
   */
  readDataFile(store: ObjectStore, request: DataFileRequest): Promise<Row[]>;
}
