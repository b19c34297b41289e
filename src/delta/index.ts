/**
 * The Delta Lake protocol: reading and writing the transaction log of a table stored in an
 * ObjectStore. Parquet goes through the `ParquetPort` the engine implements; nothing here does
 * I/O of its own.
 */
export * from "./actions.ts";
export { CHECKPOINT_SCHEMA, type CheckpointMetrics, writeCheckpoint } from "./checkpoint-writer.ts";
export { decodeAddPath, encodeAddPath, isAbsoluteUri } from "./data-file-path.ts";
export { type DeletedRows, type DeletionVectorDescriptor, readDeletionVector } from "./deletion-vector.ts";
export * from "./errors.ts";
export { type HistoryEntry, history } from "./history.ts";
export { commitKey, LOG_DIR, padVersion, parseLogPath } from "./log-path.ts";
export { fileKey } from "./log-replay.ts";
export { buildLogSegment, type LogSegment, listLog } from "./log-segment.ts";
export type { DataFileRequest, ParquetPort } from "./parquet-port.ts";
export {
  HIVE_DEFAULT_PARTITION,
  parsePartitionValue,
  partitionDirectory,
  serializePartitionValue,
} from "./partition-values.ts";
export { checkReadSupported, checkWriteSupported } from "./protocol-support.ts";
export { type RestoreMetrics, restore } from "./restore.ts";
export { dataFileKey, partitionRow, readFileRows, type ScanOptions, scanRows } from "./scan.ts";
export * from "./schema.ts";
export { Snapshot } from "./snapshot.ts";
export {
  buildStats,
  type ColumnStats,
  type ParsedStats,
  parseStats,
  StatsNumber,
  statsColumnKey,
  statsValue,
} from "./stats.ts";
export { type TableChanges, tableChanges } from "./table-changes.ts";
export * from "./table-properties.ts";
export { type CommitTime, commitTimes, versionAtTimestamp } from "./time-travel.ts";
export {
  type CommitOptions,
  type CommitRequest,
  type CommitResult,
  checkConflicts,
  commit,
  isolationLevel,
  type ReadScope,
  txnAction,
} from "./transaction.ts";
export { isHidden, type VacuumMetrics, type VacuumOptions, vacuum } from "./vacuum.ts";
export * from "./values.ts";
export { ENGINE_INFO, LAKE_VERSION } from "./version.ts";
export { checkWriterRules, type WriteIntent } from "./writer-rules.ts";
