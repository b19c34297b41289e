/** A summary of a table for `lake describe`: schema, protocol, partitioning, files, size, rows. */
import { type Protocol, parseStats, type Snapshot, type StructType } from "../delta/index.ts";

export interface TableDescription {
  readonly location: string;
  readonly version: number;
  readonly lastCommit: string;
  readonly tableId: string;
  readonly name: string | null;
  readonly protocol: Protocol;
  readonly schema: StructType;
  readonly partitionColumns: readonly string[];
  readonly configuration: Readonly<Record<string, string>>;
  readonly numFiles: number;
  readonly sizeBytes: number;
  /** Sum of the files' `numRecords` stats minus deleted rows; null when some file has no stats. */
  readonly numRows: number | null;
}

/** Describes the snapshot. */
export function describeTable(snapshot: Snapshot): TableDescription {
  return {
    location: snapshot.location,
    version: snapshot.version,
    lastCommit: new Date(snapshot.timestamp).toISOString(),
    tableId: snapshot.metadata.id,
    name: snapshot.metadata.name ?? null,
    protocol: snapshot.protocol,
    schema: snapshot.schema,
    partitionColumns: snapshot.partitionColumns,
    configuration: snapshot.configuration,
    numFiles: snapshot.numFiles,
    sizeBytes: snapshot.files().reduce((sum, add) => sum + add.size, 0),
    numRows: rowCount(snapshot),
  };
}

/** Rows in the snapshot by the files' `numRecords` stats minus deleted rows; null when a file has none. */
export function rowCount(snapshot: Snapshot): number | null {
  let rows = 0;
  for (const add of snapshot.files()) {
    const records = parseStats(add.stats)?.numRecords;
    if (typeof records !== "number") return null;
    rows += records - (add.deletionVector?.cardinality ?? 0);
  }
  return rows;
}
