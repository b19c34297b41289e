/** `lake generate [--rows N] [--out DIR] [--seed S] [--files K] [--customers N] [--products N] [--locations N] [--workers N]` */
import { datagen } from "../../lake/index.ts";
import { intFlag, JSON_OPTION } from "../args.ts";
import { CliError } from "../cli-error.ts";
import type { Command } from "../command.ts";
import { printJson } from "../output.ts";

const usage = `Usage: lake generate [--rows N] [--out DIR] [--seed S] [--files K]
                     [--customers N] [--products N] [--locations N] [--workers N]

Writes the synthetic retail dataset as CSV into DIR: customers.csv, products.csv, locations.csv,
sales_transactions.csv (or K files sales_transactions_0001.csv ... in date order), and
manifest.json with row counts, byte sizes and the exact count of every kind of planted dirt
(see docs/DATASET.md). The same seed and options always give the same bytes. DIR may be new,
empty, or hold an earlier dataset, which is replaced; a folder holding anything else is refused.

Options:
  --rows N        sales rows, dirty ones included (default ${datagen.DATASET_DEFAULTS.rows})
  --out DIR       where to write (default ./retail-data)
  --seed S        the seed, 0 to 4294967295 (default ${datagen.DATASET_DEFAULTS.seed})
  --files K       split the sales into K files by date (default ${datagen.DATASET_DEFAULTS.files})
  --customers N   customers (default ${datagen.DATASET_DEFAULTS.customers})
  --products N    products (default ${datagen.DATASET_DEFAULTS.products})
  --locations N   stores (default ${datagen.DATASET_DEFAULTS.locations})
  --workers N     worker threads (default: one per CPU; 0 = none); never changes the output
  --json          print the manifest as one JSON document instead of progress and a summary`;

/** Sales progress is printed at every tenth of the rows. */
const PROGRESS_STEPS = 10;
/** A split into more sales files than this is summarised by its first and last files. */
const LISTED_SALES_FILES = 12;

/** Writes the dataset with progress lines, then a summary of files, sizes and planted dirt. */
export const generate: Command = {
  summary: "write the synthetic retail dataset (CSV with planted dirt) and its manifest",
  usage,
  options: {
    rows: { type: "string" },
    out: { type: "string" },
    seed: { type: "string" },
    files: { type: "string" },
    customers: { type: "string" },
    products: { type: "string" },
    locations: { type: "string" },
    workers: { type: "string" },
    ...JSON_OPTION,
  },
  async run(args, io) {
    const out = typeof args.values.out === "string" ? args.values.out : "retail-data";
    if (args.positionals.length > 0)
      throw new CliError(`Unexpected argument "${args.positionals[0]}".\n\n${usage}`);
    const json = args.values.json === true;
    const started = performance.now();
    let nextStep = 1;
    let manifest: datagen.DatasetManifest;
    try {
      manifest = await datagen.generateDataset(
        {
          out,
          rows: intFlag(args, "rows"),
          seed: intFlag(args, "seed"),
          files: intFlag(args, "files"),
          customers: intFlag(args, "customers"),
          products: intFlag(args, "products"),
          locations: intFlag(args, "locations"),
          workers: intFlag(args, "workers"),
        },
        ({ table, rowsWritten, rowsTotal }) => {
          if (json) return;
          if (table !== "sales_transactions") {
            io.stdout(`${table}: ${count(rowsWritten)} rows\n`);
            return;
          }
          if (rowsTotal === 0 || rowsWritten * PROGRESS_STEPS < nextStep * rowsTotal) return;
          const done = Math.floor((rowsWritten / rowsTotal) * 100);
          io.stdout(`sales_transactions: ${count(rowsWritten)} of ${count(rowsTotal)} rows (${done}%)\n`);
          while (rowsWritten * PROGRESS_STEPS >= nextStep * rowsTotal) nextStep++;
        },
      );
    } catch (error) {
      if (error instanceof datagen.DatasetOptionsError) {
        throw new CliError(`--${error.option} must be ${error.expected}, got ${String(error.value)}`);
      }
      if (error instanceof datagen.OutputDirError) throw new CliError(error.message);
      throw error;
    }
    if (json) printJson(io, manifest);
    else io.stdout(summary(manifest, out, performance.now() - started));
  },
};

function summary(manifest: datagen.DatasetManifest, out: string, ms: number): string {
  const files = manifest.files;
  const totalBytes = files.reduce((sum, f) => sum + f.bytes, 0);
  const seconds = (ms / 1000).toFixed(1);
  const lines = [`\nWrote ${files.length} files (${megabytes(totalBytes)}) to ${out} in ${seconds} s:`];
  const line = (f: datagen.DatasetFile) =>
    `  ${f.name.padEnd(28)} ${count(f.rows).padStart(11)} rows ${megabytes(f.bytes).padStart(10)}${dates(f)}`;
  const dimensions = files.filter((f) => f.table !== "sales_transactions");
  const sales = files.filter((f) => f.table === "sales_transactions");
  lines.push(...dimensions.map(line));
  if (sales.length <= LISTED_SALES_FILES) lines.push(...sales.map(line));
  else {
    lines.push(...sales.slice(0, 3).map(line), `  ... ${sales.length - 5} more sales files`);
    lines.push(...sales.slice(-2).map(line));
  }
  const { rows, errorRows, recoverableRows } = manifest.sales;
  lines.push(
    `Planted dirt in sales: ${count(errorRows)} error rows (${percent(errorRows, rows)}) and ${count(recoverableRows)} recoverable rows (${percent(recoverableRows, rows)}).`,
    `Exact counts per kind: ${out}/manifest.json`,
    "",
  );
  return lines.join("\n");
}

function dates(file: datagen.DatasetFile): string {
  return file.firstDate ? `   ${file.firstDate} .. ${file.lastDate}` : "";
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

function percent(part: number, whole: number): string {
  return `${whole === 0 ? "0.00" : ((part / whole) * 100).toFixed(2)} %`;
}
