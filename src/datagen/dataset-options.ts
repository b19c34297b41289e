/**
 * The options of `generateDataset`, their defaults (the reference workload: 10 M sales rows,
 * 200,000 customers, 10,000 products, 1,000 locations) and their validation.
 */
import { availableParallelism } from "node:os";
import { DAY_COUNT } from "./calendar.ts";
import { DatasetOptionsError } from "./errors.ts";
import { CATEGORIES } from "./product-catalog.ts";

/** What to generate and where. Only `out` is required. */
export interface DatasetOptions {
  /** The folder to write into: created if missing; it may hold only files the generator writes. */
  readonly out: string;
  /** Sales rows, counting the planted dirty rows (default 10,000,000). */
  readonly rows?: number;
  /** The seed; equal seeds and options give byte-identical files (default 42). */
  readonly seed?: number;
  /** Sales files, split in date order at day boundaries (default 1: sales_transactions.csv). */
  readonly files?: number;
  readonly customers?: number;
  readonly products?: number;
  readonly locations?: number;
  /** Worker threads for sales (0: the calling thread); never changes the output. */
  readonly workers?: number;
}

/** `DatasetOptions` with every default applied. */
export type ResolvedDatasetOptions = Required<DatasetOptions>;

/** The defaults of every option but `out` and `workers`. */
export const DATASET_DEFAULTS = {
  rows: 10_000_000,
  seed: 42,
  files: 1,
  customers: 200_000,
  products: 10_000,
  locations: 1_000,
} as const;

/**
 * Accepted ranges. Customer and product ids have 7 and 5 digits; the ranges leave room above the
 * highest id for the unknown ids the dirt plants. Files are at most the number of sales days.
 */
export const DATASET_LIMITS = {
  rows: [0, 1_000_000_000],
  seed: [0, 4_294_967_295],
  files: [1, DAY_COUNT],
  customers: [1, 9_000_000],
  products: [CATEGORIES.length, 90_000],
  locations: [2, 9_999],
  workers: [0, 64],
} as const;

/** The options with defaults applied; throws DatasetOptionsError for a value out of its range. */
export function resolveDatasetOptions(options: DatasetOptions): ResolvedDatasetOptions {
  if (typeof options.out !== "string" || options.out === "") {
    throw new DatasetOptionsError("out", options.out, "a folder path");
  }
  return {
    out: options.out,
    rows: whole("rows", options.rows ?? DATASET_DEFAULTS.rows),
    seed: whole("seed", options.seed ?? DATASET_DEFAULTS.seed),
    files: whole("files", options.files ?? DATASET_DEFAULTS.files),
    customers: whole("customers", options.customers ?? DATASET_DEFAULTS.customers),
    products: whole("products", options.products ?? DATASET_DEFAULTS.products),
    locations: whole("locations", options.locations ?? DATASET_DEFAULTS.locations),
    workers: whole("workers", options.workers ?? Math.min(availableParallelism(), 8)),
  };
}

function whole(option: keyof typeof DATASET_LIMITS, value: number): number {
  const [min, max] = DATASET_LIMITS[option];
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = `${min.toLocaleString("en-US")} to ${max.toLocaleString("en-US")}`;
    throw new DatasetOptionsError(option, value, `a whole number from ${range}`);
  }
  return value;
}
