/**
 * The composition root: wires storage, the Delta layer and DuckDB into the operations the CLI (and
 * later the web server) call.
 */

export {
  LAKE_BUCKET_SETTINGS,
  type LifecycleRuleSpec,
  type PolicyStatement,
  tlsOnlyStatement,
} from "../buckets/index.ts";
export * as datagen from "../datagen/index.ts";
export {
  DeltaError,
  type HistoryEntry,
  history,
  LAKE_VERSION,
  type RestoreMetrics,
  restore,
  scanRows,
  typeToString,
  type VacuumMetrics,
  vacuum,
} from "../delta/index.ts";
export { DeltaContext, deleteRows, optimizeTable, writeTable } from "../engine/index.ts";
export type {
  LandingFileStatus,
  LeaseRecord,
  PipelineResult,
  ProjectConfig,
  Zone,
} from "../pipeline/index.ts";
export {
  AccountingError,
  LandingError,
  ModelGraphError,
  nearest,
  PipelineDataError,
  ProjectConfigError,
  parseProject,
  ResourceError,
  RunInterruptedError,
  RunLeaseError,
  RunLeaseHeldError,
  RunLeaseLostError,
  ZONES,
} from "../pipeline/index.ts";
export { S3_STORE_ACTIONS, StorageError } from "../storage/index.ts";
export {
  CHART_MARKS,
  type ChartFormat,
  type ChartOptions,
  type ChartResult,
  type ChartSpec,
  type ChartSummary,
  chartSpec,
  listCharts,
  renderChart,
  type SqlChartOptions,
  sqlChartSpec,
} from "./charts.ts";
export { type ConformanceResult, checkTable, corpusTables } from "./conformance.ts";
export { DASHBOARD_LIMITS, Dashboard, type LakeOverview, type MartChart } from "./dashboard.ts";
export type { ExpectationCounts, QualityReport, QuarantineSample, RunLabel } from "./dashboard-quality.ts";
export type { TableDetail, TableFile, TableSummary } from "./dashboard-tables.ts";
export { type DemoSummary, runDemo } from "./demo.ts";
export { describeTable, type TableDescription } from "./describe-table.ts";
export { LakeUsageError } from "./errors.ts";
export { listLandingFiles, retryFile, setAsideFile } from "./landing-commands.ts";
export type { Lineage, LineageEdge, LineageNode } from "./lineage.ts";
export { storeForLocation } from "./locations.ts";
export {
  isProjectTableName,
  type OpenTable,
  openTable,
  projectTableNames,
  type TableAt,
  tableStoreFor,
} from "./open-table.ts";
export {
  describeHolder,
  ingestFiles,
  initProject,
  projectStatus,
  type RunProjectOptions,
  runProject,
  type TableStatus,
} from "./project.ts";
export { type QueryResult, type QueryStream, queryProject, streamQuery } from "./query.ts";
export { gatherReport, REPORT_FILE, type ReportSummary, writeReport } from "./report.ts";
export * from "./row-format.ts";
export type { SqlConsoleLimits, SqlConsoleResult } from "./sql-console.ts";
export {
  applyStorage,
  type BucketLayout,
  type BucketLocation,
  type BucketReport,
  bucketLayouts,
  LOCAL_FOLDER_NOTE,
  type LocationName,
  type SettingReport,
  type StorageLocation,
  type StorageReport,
  storageStatus,
} from "./storage-commands.ts";
export { tableRowBatches } from "./table-rows.ts";
