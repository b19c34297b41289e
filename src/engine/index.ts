/**
 * The compute engine: embedded DuckDB. It implements the Delta layer's Parquet port and runs SQL on
 * local files (objects in remote stores are staged locally first).
 */

export { type CsvReject, type CsvScan, strictCsvScan, takeCsvRejects } from "./csv-scan.ts";
export {
  type DataFileLayout,
  type StagedDataFile,
  writeDataFiles,
} from "./data-file-writer.ts";
export { type DeleteMetrics, deleteRows } from "./delete-rows.ts";
export { DeltaContext, type DeltaContextOptions } from "./delta-context.ts";
export { toDeltaValue } from "./delta-values.ts";
export { DuckDbParquet, type ParquetCodec } from "./duckdb-parquet.ts";
export {
  type DuckDbOptions,
  DuckDbSession,
  parquetScan,
  sqlIdentifier,
  sqlString,
} from "./duckdb-session.ts";
export { duckDbType } from "./duckdb-types.ts";
export { type LocalFile, localFile } from "./local-files.ts";
export { type OptimizeMetrics, type OptimizeOptions, optimizeTable } from "./optimize-table.ts";
export { type QueryProgressTick, withQueryProgress } from "./query-progress.ts";
export { DEFAULT_READ_CACHE_BYTES, ReadCache } from "./read-cache.ts";
export { NotReadOnlyError, type ReadOnlyResult, streamReadOnlyQuery } from "./read-only-query.ts";
export { sourceSchema } from "./source-schema.ts";
export { StagingArea } from "./staging-area.ts";
export { createTableView, filesRelation, releaseAll } from "./table-files.ts";
export { sqlLiteral, valuesSql } from "./values-sql.ts";
export {
  loadIfExists,
  reconcileSchema,
  type TxnId,
  type WriteMetrics,
  type WriteOptions,
  type WriteSource,
  writeTable,
} from "./write-table.ts";
