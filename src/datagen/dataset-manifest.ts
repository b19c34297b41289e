/**
 * manifest.json: what was generated, from which seed and options, and the exact numbers a test or
 * the pipeline's accounting can assert: rows and bytes per file, and every planted dirt kind in
 * total and per sales file. It holds no timestamps or worker counts, so it is as deterministic as
 * the data.
 */
import { DAY_COUNT, FIRST_DAY, isoDate } from "./calendar.ts";
import type { ResolvedDatasetOptions } from "./dataset-options.ts";
import { DIRT, DIRT_KINDS, type DirtCounts } from "./dirt.ts";
import type { SalesFileReport } from "./sales-files.ts";

/** The four tables of the dataset. */
export type DatasetTable = "customers" | "products" | "locations" | "sales_transactions";

/** One written file. Sales files also carry their date range and dirt counts. */
export interface DatasetFile {
  readonly name: string;
  readonly table: DatasetTable;
  readonly rows: number;
  /** Size in bytes, header included. */
  readonly bytes: number;
  readonly firstDate?: string | null;
  readonly lastDate?: string | null;
  readonly dirt?: DirtCounts;
}

/** The contents of manifest.json (see the module header). */
export interface DatasetManifest {
  readonly generator: "medallion-lake datagen";
  readonly formatVersion: 1;
  readonly seed: number;
  readonly options: {
    readonly rows: number;
    readonly files: number;
    readonly customers: number;
    readonly products: number;
    readonly locations: number;
  };
  /** The span of the sales calendar. */
  readonly dateRange: { readonly first: string; readonly last: string };
  readonly files: readonly DatasetFile[];
  readonly customers: { readonly rows: number; readonly emptyBirthDates: number };
  readonly sales: {
    readonly rows: number;
    /** Rows with no dirt at all. */
    readonly cleanRows: number;
    /** Rows whose only dirt is a recoverable kind (stray whitespace and case, day-first dates). */
    readonly recoverableRows: number;
    /** Rows with an error kind of dirt: they cannot pass validation as they are. */
    readonly errorRows: number;
    /** Rows per dirt kind, every kind listed; each dirty row has exactly one kind. */
    readonly dirt: DirtCounts;
  };
}

/** The manifest of a finished run. */
export function buildManifest(
  options: ResolvedDatasetOptions,
  dimensions: readonly DatasetFile[],
  emptyBirthDates: number,
  sales: readonly SalesFileReport[],
): DatasetManifest {
  const dirt = {} as DirtCounts;
  for (const kind of DIRT_KINDS) dirt[kind] = sales.reduce((sum, f) => sum + f.dirt[kind], 0);
  const sum = (recoverable: boolean) =>
    DIRT.filter((d) => d.recoverable === recoverable).reduce((n, d) => n + dirt[d.kind], 0);
  const recoverableRows = sum(true);
  const errorRows = sum(false);
  const { rows, files, customers, products, locations } = options;
  return {
    generator: "medallion-lake datagen",
    formatVersion: 1,
    seed: options.seed,
    options: { rows, files, customers, products, locations },
    dateRange: { first: isoDate(FIRST_DAY), last: isoDate(FIRST_DAY + DAY_COUNT - 1) },
    files: [...dimensions, ...sales.map((f): DatasetFile => ({ ...f, table: "sales_transactions" }))],
    customers: { rows: customers, emptyBirthDates },
    sales: { rows, cleanRows: rows - recoverableRows - errorRows, recoverableRows, errorRows, dirt },
  };
}
