/**
 * The medallion pipeline: the project config, the landing zone, and the layers built from it
 * (Landing → Bronze so far).
 */
export { bronzeStores, type FileIngest, ingestSource, REJECTS_SCHEMA } from "./bronze-ingest.ts";
export { HeaderMismatchError, type PrepassResult, prepassCsv } from "./csv-prepass.ts";
export {
  AccountingError,
  LandingError,
  PipelineDataError,
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
export { type LandedFile, type LandingFile, landFiles, listLandingFiles, sourceForFile } from "./landing.ts";
export { storeAt, tableStore, zoneStore } from "./layer-tables.ts";
export {
  CONFIG_FILE,
  type EngineConfig,
  loadProject,
  type ModelConfig,
  matchesPattern,
  type ProjectConfig,
  ProjectConfigError,
  parseProject,
  type SourceConfig,
  ZONES,
  type Zone,
} from "./project-config.ts";
export { DIMENSIONS, type DimensionResult } from "./retail/dimensions.ts";
export { MARTS, type MartResult } from "./retail/marts.ts";
export { SALES_EXPECTATIONS, type SalesResult } from "./retail/sales.ts";
export { retailProjectConfig } from "./retail-project.ts";
export {
  currentLeaseHolder,
  type LeaseRecord,
  RunLease,
  type RunLeaseOptions,
  runLeaseStore,
} from "./run-lease.ts";
export { listRuns, RUNS_SCHEMA, type RunRecord, recordRun, runLogStore } from "./run-log.ts";
export { type PipelineResult, projectTables, type RunOptions, runPipeline } from "./run-pipeline.ts";
export { BadTableReferenceError, type ResolvedSql, resolveTableReferences } from "./table-references.ts";
export { buildUserModels, ModelError, type ModelResult } from "./user-models.ts";
