/**
 * Generates small datasets into temporary folders for the datagen tests, and reads them back: file
 * text, the sales lines of every sales file in order, and the ids of the dimensions.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DatasetManifest, type DatasetOptions, generateDataset } from "../../src/datagen/index.ts";
import type { DimensionIds } from "./sales-audit.ts";
import { csvLines, csvRecords } from "./strict-csv.ts";

/** Small dimensions, so that tests stay fast; sales rows are set per test. */
export const SMALL_DIMENSIONS = { customers: 5_000, products: 400, locations: 40 } as const;

/** A generated dataset in a temporary folder. */
export interface GeneratedDataset {
  readonly dir: string;
  readonly manifest: DatasetManifest;
}

/** A fresh empty folder under the OS temp folder; remove it with `removeDir`. */
export function makeTempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "lake-datagen-test-"));
}

/** Removes a folder made by `makeTempDir`. */
export function removeDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}

/** Generates into `parent/name` with the small dimensions unless `options` says otherwise. */
export async function generateInto(
  parent: string,
  name: string,
  options: Omit<DatasetOptions, "out">,
): Promise<GeneratedDataset> {
  const dir = join(parent, name);
  const manifest = await generateDataset({ ...SMALL_DIMENSIONS, ...options, out: dir });
  return { dir, manifest };
}

/** The text of one file of a dataset. */
export function fileText(dataset: GeneratedDataset, name: string): Promise<string> {
  return readFile(join(dataset.dir, name), "utf8");
}

/** The names of the sales files in the manifest, in order. */
export function salesFiles(dataset: GeneratedDataset): string[] {
  return dataset.manifest.files.filter((f) => f.table === "sales_transactions").map((f) => f.name);
}

/** The data lines of every sales file, in file order. */
export async function salesLines(dataset: GeneratedDataset): Promise<string[]> {
  const lines: string[] = [];
  for (const name of salesFiles(dataset)) {
    for (const line of csvLines(await fileText(dataset, name)).lines) lines.push(line);
  }
  return lines;
}

/** The id column of each dimension file. */
export async function dimensionIds(dataset: GeneratedDataset): Promise<DimensionIds> {
  const ids = async (name: string) =>
    new Set(csvRecords(await fileText(dataset, name)).records.map((r) => r[0] ?? ""));
  return {
    customers: await ids("customers.csv"),
    products: await ids("products.csv"),
    locations: await ids("locations.csv"),
  };
}
