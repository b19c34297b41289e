/**
 * Pipeline benchmark: `npm run bench -- --rows 10000000 [--memory-limit 2GB] [--threads N]`.
 *
 * Generates the retail dataset once (cached in `.bench/pipeline/`) with sales split into 100 files
 * by date, then in a fresh project: lands and runs files 1-99 (the full run, ~99 % of the rows),
 * timing bronze, silver and gold separately; then lands file 100 (~1 %) and times the incremental
 * run. For comparison, in the same process, it runs the same transformations as plain DuckDB SQL
 * over the same CSV files into Parquet, without any Delta bookkeeping. (A nodejs-polars comparison is
 * not written yet.) Prints seconds per stage and the process's peak RSS. A benchmark, not a test:
 * nothing is asserted.
 */
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import { cpus, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { generateDataset } from "../src/datagen/index.ts";
import { ingestFiles, initProject, runProject } from "../src/lake/index.ts";
import { plainDuckDbPipeline } from "./plain-duckdb.ts";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "1000000" },
    "memory-limit": { type: "string", default: "2GB" },
    threads: { type: "string" },
  },
});
const rows = Number(values.rows);
const files = 100;

const peakMiB = () => Math.round(process.resourceUsage().maxRSS / 1024);
const time = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
  const start = performance.now();
  const result = await work();
  const seconds = (performance.now() - start) / 1000;
  console.log(`${label.padEnd(44)} ${seconds.toFixed(2).padStart(8)} s   peak RSS so far ${peakMiB()} MiB`);
  return result;
};

console.log(
  `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
);
console.log(
  `Workload: ${rows.toLocaleString("en-US")} sales rows in ${files} files; DuckDB memory limit ${values["memory-limit"]}\n`,
);

const data = join(ROOT, ".bench", "pipeline", `data-${rows}`);
if (!existsSync(join(data, "manifest.json"))) {
  await rm(data, { recursive: true, force: true });
  await time("generate (once, cached)", () => generateDataset({ out: data, rows, files }));
}
const manifest = JSON.parse(await readFile(join(data, "manifest.json"), "utf8")) as { seed: number };
const csvs = (await readdir(data)).filter((f) => f.endsWith(".csv")).sort();
const sales = csvs.filter((f) => f.startsWith("sales_transactions"));
const lastBatch = sales.at(-1) ?? "";
const firstBatch = csvs.filter((f) => f !== lastBatch).map((f) => join(data, f));

const project = join(ROOT, ".bench", "pipeline", "project");
await rm(project, { recursive: true, force: true });
await initProject(project);
const config = join(project, "lake.json");
const json = JSON.parse(await readFile(config, "utf8")) as { engine: Record<string, unknown> };
json.engine.memoryLimit = values["memory-limit"];
if (values.threads) json.engine.threads = Number(values.threads);
await (await import("node:fs/promises")).writeFile(config, JSON.stringify(json, null, 2));
console.log(`Medallion Lake (seed ${manifest.seed}):`);
const total = performance.now();
await time("  land 99 % of the files", () => ingestFiles(project, firstBatch));
await time("  bronze (99 files → Delta)", () => runProject(project, { select: ["bronze"] }));
await time("  silver (dims, expectations, dedup, MERGE)", () => runProject(project, { select: ["silver"] }));
await time("  gold (4 marts)", () => runProject(project, { select: ["gold"] }));
console.log(
  `${"  full run, landing → gold".padEnd(44)} ${((performance.now() - total) / 1000).toFixed(2).padStart(8)} s`,
);
await time("  land the last 1 %", () => ingestFiles(project, [join(data, lastBatch)]));
await time("  incremental run (1 % new rows)", () => runProject(project));

console.log("\nPlain DuckDB SQL, same transformations, Parquet without Delta:");
const plainOut = join(ROOT, ".bench", "pipeline", "plain");
await rm(plainOut, { recursive: true, force: true });
await mkdir(plainOut, { recursive: true });
await plainDuckDbPipeline(data, plainOut, values["memory-limit"] ?? "2GB", time);

console.log("\nnodejs-polars: not measured yet (not a dependency: its binary package declares Node >= 22).");
