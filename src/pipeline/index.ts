/**
 * The medallion pipeline: the project config, the landing zone, Landing → Bronze, and the project's
 * declared models (table, incremental, partitions, dimension) with their expectations and quarantine.
 */

export {
  bronzeStores,
  type FileIngest,
  type IngestRun,
  ingestSource,
  REJECTS_SCHEMA,
} from "./bronze-ingest.ts";
export {
  type ChartChannelConfig,
  type ChartConfig,
  type ChartFilterConfig,
  FILTERS_PLACEHOLDER,
} from "./chart-config.ts";
export {
  headerProblem,
  MAX_LINE_BYTES,
  type PrepassResult,
  prepassCsv,
  RAW_KEPT_BYTES,
} from "./csv-prepass.ts";
export {
  AccountingError,
  LandingError,
  PipelineDataError,
  RunInterruptedError,
  RunLeaseError,
  RunLeaseHeldError,
  RunLeaseLostError,
} from "./errors.ts";
export {
  type Expectation,
  type ExpectationAction,
  ExpectationFailedError,
  type ExpectationResult,
} from "./expectations.ts";
export type { FigureConfig, FigureFormat } from "./figure-config.ts";
export { type LandedFile, type LandingFile, landFiles, listLandingFiles, sourceForFile } from "./landing.ts";
export {
  type LandingFileState,
  type LandingFileStatus,
  landingFileStatuses,
  retryLandingFile,
  SET_ASIDE_FOLDER,
  setAsideLandingFile,
} from "./landing-files.ts";
export {
  type LandingEvent,
  type LandingLog,
  landingLogStore,
  readLandingLog,
} from "./landing-log.ts";
export { storeAt, tableStore, zoneStore } from "./layer-tables.ts";
export { ModelError, type ModelResult } from "./model-build.ts";
export { LINEAGE_ORDER, MODEL_KINDS, type ModelConfig, type ModelKind } from "./model-config.ts";
export { ModelGraphError, nearest, type PlannedModel } from "./model-graph.ts";
export {
  CONFIG_FILE,
  type EngineConfig,
  loadProject,
  matchesPattern,
  type ProjectConfig,
  ProjectConfigError,
  parseProject,
  type SourceConfig,
  UnknownSettingError,
  ZONES,
  type Zone,
} from "./project-config.ts";
export { type ProjectTable, projectTables } from "./project-tables.ts";
export { TEMPLATE_DIR, templateConfig, writeProjectTemplate } from "./project-template.ts";
export { asResourceError, ResourceError } from "./resource-error.ts";
export {
  currentLeaseHolder,
  type LeaseRecord,
  RunLease,
  type RunLeaseOptions,
  runLeaseStore,
} from "./run-lease.ts";
export {
  listRuns,
  type ModelCounts,
  RUNS_SCHEMA,
  type RunCounts,
  type RunRecord,
  type RunStatus,
  recordRun,
  runLogStore,
  type SourceCounts,
} from "./run-log.ts";
export { planModels } from "./run-models.ts";
export {
  describeResult,
  type PipelineResult,
  type RunOptions,
  runPipeline,
} from "./run-pipeline.ts";
export {
  BadTableReferenceError,
  type ResolvedSql,
  resolveTableReferences,
  tableReferences,
} from "./table-references.ts";
