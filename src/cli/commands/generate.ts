/** `lake generate [--rows N] [--out DIR] [--seed S] [--files K] [--customers N] [--products N] [--locations N] [--workers N]` */
import {
  DATASET_DEFAULTS,
  type DatasetFile,
  type DatasetManifest,
  DatasetOptionsError,
  generateDataset,
  OutputDirError,
} from "../../datagen/index.ts";
import { intFlag } from "../args.ts";
import { CliError } from "../cli-error.ts";
import type { Command } from "../command.ts";

const usage = `Usage: lake generate [--rows N] [--out DIR] [--seed S] [--files K]
                     [--customers N] [--products N] [--locations N] [--workers N]

Writes the synthetic retail dataset as CSV into DIR: customers.csv, products.csv, locations.csv,
sales_transactions.csv (or K files sales_transactions_0001.csv ... in date order), and
manifest.json with row counts, byte sizes and the exact count of every kind of planted dirt
(see docs/DATASET.md). The same seed and options always give the same bytes. DIR may be new,
empty, or hold an earlier dataset, which is replaced; a folder holding anything else is refused.

Options:
  --rows N        sales rows, dirty ones included (default ${DATASET_DEFAULTS.rows})
  --out DIR       where to write (default ./retail-data)
  --seed S        the seed, 0 to 4294967295 (default ${DATASET_DEFAULTS.seed})
  --files K       split the sales into K files by date (default ${DATASET_DEFAULTS.files})
  --customers N   customers (default ${DATASET_DEFAULTS.customers})
  --products N    products (default ${DATASET_DEFAULTS.products})
  --locations N   stores (default ${DATASET_DEFAULTS.locations})
  --workers N     worker threads (default: one per CPU; 0 = none); never changes the output`;

/** Sales progress is printed at every tenth of the rows. */
const PROGRESS_STEPS = 10;
/** A split into more files than this is summarised by its first and last files. */
const LISTED_FILES = 12;

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
  },
  async run(args, io) {
    const out = typeof args.values.out === "string" ? args.values.out : "retail-data";
    if (args.positionals.length > 0) throw new CliError(`Unexpected argument "${args.positionals[0]}".\n\n${usage}`);
    const started = performance.now();
    let step = 0;
    let manifest: DatasetManifest;
    try {
      manifest = await generateDataset(
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
          if (table !== "sales_transactions") {
            io.stdout(`${table}: ${count(rowsWritten)} rows\n`);
            return;
          }
          while (rowsTotal > 0 && rowsWritten * PROGRESS_STEPS >= (step + 1) * rowsTotal) step++;
          if (step > 0 && rowsWritten * PROGRESS_STEPS < (step + 1) * rowsTotal) {
            const percent = Math.round((rowsWritten / rowsTotal) * 100);
            io.stdout(`sales_transactions: ${count(rowsWritten)} of ${count(rowsTotal)} rows (${percent}%)\n`);
            step++;
          }
        },
      );
    } catch (error) {
      if (error instanceof DatasetOptionsError) {
        throw new CliError(`--${error.option} must be ${error.expected}, got ${String(error.value)}`);
      }
      if (error instanceof OutputDirError) throw new CliError(error.message);
      throw error;
    }
    io.stdout(summary(manifest, out, performance.now() - started));
  },
};

function summary(manifest: DatasetManifest, out: string, ms: number): string {
  const files = manifest.files;
  const totalBytes = files.reduce((sum, f) => sum + f.bytes, 0);
  const listed =
    files.length <= LISTED_FILES + 3 ? files : [...files.slice(0, 6), ...files.slice(files.length - 2)];
  const lines = [`\nWrote ${files.length} files (${megabytes(totalBytes)}) to ${out} in ${(ms / 1000).toFixed(1)} s:`];
  for (const f of listed) {
    lines.push(`  ${f.name.padEnd(28)} ${count(f.rows).padStart(11)} rows ${megabytes(f.bytes).padStart(10)}${dates(f)}`);
    if (f === files[5] && listed.length < files.length) lines.push(`  ... ${files.length - 8} more sales files`);
  }
  const { rows, errorRows, recoverableRows } = manifest.sales;
  lines.push(
    `Planted dirt in sales: ${count(errorRows)} error rows (${percent(errorRows, rows)}) and ${count(recoverableRows)} recoverable rows (${percent(recoverableRows, rows)}).`,
    `Exact counts per kind: ${out}/manifest.json`,
    "",
  );
  return lines.join("\n");
}

function dates(file: DatasetFile): string {
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
