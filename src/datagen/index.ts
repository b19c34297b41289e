/**
 * datagen/: the synthetic retail dataset (customers, products, locations and sales transactions as
 * CSV, with deliberate dirt at documented rates and a manifest of exact counts). A leaf module: it
 * uses Node built-ins only. See docs/DATASET.md.
 */
export { DAY_COUNT, FIRST_DAY } from "./calendar.ts";
export { CUSTOMERS_HEADER } from "./customers.ts";
export type { DatasetFile, DatasetManifest, DatasetTable } from "./dataset-manifest.ts";
export {
  DATASET_DEFAULTS,
  DATASET_LIMITS,
  type DatasetOptions,
  type ResolvedDatasetOptions,
  resolveDatasetOptions,
} from "./dataset-options.ts";
export { DIRT, DIRT_KINDS, type DirtCounts, type DirtKind, type DirtSpec, dirtQuota } from "./dirt.ts";
export { DatagenError, DatasetOptionsError, OutputDirError } from "./errors.ts";
export { type GenerateProgress, generateDataset } from "./generate-dataset.ts";
export { LOCATIONS_HEADER, STORE_TYPES, type StoreType } from "./locations.ts";
export { REGIONS, type Region } from "./places.ts";
export { PRODUCTS_HEADER } from "./products.ts";
export { SALES_HEADER } from "./sales-chunk.ts";
export { salesFileName } from "./sales-files.ts";
export { CHUNK_ROWS } from "./sales-model.ts";
