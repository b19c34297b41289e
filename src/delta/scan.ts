/**
 * Reading the rows of a snapshot. The Delta layer resolves files, deletion vectors and partition
 * values (always from the log, never from directory names); the Parquet port reads the data columns.
 */
import { ObjectNotFoundError, type ObjectStore } from "../storage/index.ts";
import type { AddFile } from "./actions.ts";
import { decodeAddPath, isAbsoluteUri } from "./data-file-path.ts";
import { readDeletionVector } from "./deletion-vector.ts";
import { MissingDataFileError, UnsupportedFeatureError } from "./errors.ts";
import type { ParquetPort } from "./parquet-port.ts";
import { parsePartitionValue } from "./partition-values.ts";
import { isPrimitive, physicalName } from "./schema.ts";
import type { Snapshot } from "./snapshot.ts";
import type { Row } from "./values.ts";

/** Options of {@link scanRows}. */
export interface ScanOptions {
  /** Stop after this many rows. */
  readonly limit?: number;
}

/**
 * Yields every row of the snapshot, file by file (files in path order, rows in file order), each
 * with all schema columns in schema order.
 * @throws MissingDataFileError when a referenced data or deletion-vector file is gone.
 */
export async function* scanRows(
  snapshot: Snapshot,
  store: ObjectStore,
  parquet: ParquetPort,
  options: ScanOptions = {},
): AsyncGenerator<Row> {
  let remaining = options.limit ?? Number.POSITIVE_INFINITY;
  if (remaining <= 0) return;
  for (const add of snapshot.files()) {
    const limit = Number.isFinite(remaining) ? { limit: remaining } : {};
    for (const row of await readFileRows(snapshot, store, parquet, add, limit)) {
      yield row;
      if (--remaining <= 0) return;
    }
  }
}

/** The rows of one live file, partition values and deletion vector applied. */
export async function readFileRows(
  snapshot: Snapshot,
  store: ObjectStore,
  parquet: ParquetPort,
  add: AddFile,
  options: { readonly limit?: number } = {},
): Promise<Row[]> {
  const key = dataFileKey(snapshot, add.path);
  const mode = snapshot.columnMappingMode;
  let dataRows: Row[];
  try {
    const deletedRows = add.deletionVector ? await readDeletionVector(store, add.deletionVector) : undefined;
    dataRows = await parquet.readDataFile(store, {
      key,
      columns: snapshot.dataFields,
      columnMapping: mode,
      ...(deletedRows ? { deletedRows } : {}),
      ...options,
    });
  } catch (error) {
    // A missing deletion-vector file arrives wrapped in a DeletionVectorError.
    const notFound = error instanceof ObjectNotFoundError ? error : (error as Error).cause;
    if (notFound instanceof ObjectNotFoundError) {
      throw new MissingDataFileError(snapshot.location, notFound.key, snapshot.version, { cause: error });
    }
    throw error;
  }
  const partitions = partitionRow(snapshot, add);
  return dataRows.map((data) => {
    const row: Row = {};
    for (const f of snapshot.schema.fields)
      row[f.name] = f.name in partitions ? (partitions[f.name] ?? null) : (data[f.name] ?? null);
    return row;
  });
}

/** The typed partition values of a file, keyed by logical column name. */
export function partitionRow(snapshot: Snapshot, add: AddFile): Row {
  const mode = snapshot.columnMappingMode;
  const row: Row = {};
  for (const name of snapshot.partitionColumns) {
    const f = snapshot.schema.fields.find((candidate) => candidate.name === name);
    if (f === undefined || !isPrimitive(f.type)) continue;
    const text = add.partitionValues[physicalName(f, mode)] ?? add.partitionValues[f.name];
    row[f.name] = parsePartitionValue(text, f.type);
  }
  return row;
}

/** The store key of a data file path from the log. */
export function dataFileKey(snapshot: Snapshot, path: string): string {
  if (isAbsoluteUri(path)) {
    throw new UnsupportedFeatureError(snapshot.location, `absolute data file path (${path})`, "read");
  }
  return decodeAddPath(path);
}
