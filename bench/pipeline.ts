/**
 * Pipeline benchmark: `npm run bench -- --rows 10000000 [--memory-limit 2GB] [--threads N]`.
 *
 * Generates the retail dataset once (cached in `.bench/pipeline/`) with sales split into 100 files
 * by date, then in a fresh project: lands and runs files 1-99 (the full run, ~99 % of the rows),
 * timing bronze, silver and gold separately; then lands file 100 (~1 %) and times the incremental
 * run. For comparison, in the same process, it runs the same transformations as plain DuckDB SQL
 * over the same CSV files into Parquet, without any Delta bookkeeping; then the same again with
 * nodejs-polars (`polars-pipeline.ts`) in a child process with `POLARS_MAX_THREADS` set to the thread
 * count, so its peak RSS is its own and a polars memory blow-up cannot end this run. polars is not a
 * dependency of the package: it is installed on demand into `.bench/polars-deps/` (`polars-deps.ts`),
 * and when that fails the section says why and is skipped. Prints seconds per stage and the peak RSS
 * of the measuring process, then the row count of `sales_enriched` and the total gold revenue of
 * both baselines, which should agree. A benchmark, not a test: nothing is asserted.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import { cpus, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { generateDataset } from "../src/datagen/index.ts";
import { ingestFiles, initProject, queryProject, runProject } from "../src/lake/index.ts";
import { type PipelineFigures, plainDuckDbPipeline } from "./plain-duckdb.ts";
import { ensurePolarsDeps } from "./polars-deps.ts";
import type { PolarsEvent, PolarsTask } from "./polars-pipeline.ts";

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
const lakeFigures = await (async (): Promise<PipelineFigures> => {
  const { rows: result } = await queryProject(
    project,
    "SELECT (SELECT count(*) FROM silver.sales_enriched) AS n, (SELECT sum(revenue) FROM gold.monthly_sales_summary)::VARCHAR AS revenue",
  );
  return { rows: Number(result[0]?.n), revenue: String(result[0]?.revenue) };
})();

console.log("\nPlain DuckDB SQL, same transformations, Parquet without Delta:");
const plainOut = join(ROOT, ".bench", "pipeline", "plain");
await rm(plainOut, { recursive: true, force: true });
await mkdir(plainOut, { recursive: true });
const plainFigures = await plainDuckDbPipeline(data, plainOut, values["memory-limit"] ?? "2GB", time);

const polarsThreads = values.threads ?? String(cpus().length);
console.log(`\nnodejs-polars, same transformations, child process, POLARS_MAX_THREADS=${polarsThreads}:`);
const polarsOut = join(ROOT, ".bench", "pipeline", "polars");
await rm(polarsOut, { recursive: true, force: true });
await mkdir(polarsOut, { recursive: true });
const deps = await ensurePolarsDeps(join(ROOT, ".bench", "polars-deps"), console.log);
let polarsFigures: PipelineFigures | undefined;
if (deps.ok) polarsFigures = await runPolars({ polarsDir: deps.dir, data, out: polarsOut }, polarsThreads);
else console.log(`  not measured: ${deps.reason}`);

console.log("\nRows in sales_enriched and total revenue of the gold summary:");
const figuresLine = (name: string, figures: PipelineFigures) =>
  console.log(
    `  ${name.padEnd(16)} ${figures.rows.toLocaleString("en-US").padStart(14)} rows   ${figures.revenue}`,
  );
const all: Array<[string, PipelineFigures]> = [
  ["Medallion Lake", lakeFigures],
  ["plain DuckDB", plainFigures],
  ...(polarsFigures ? [["nodejs-polars", polarsFigures] as [string, PipelineFigures]] : []),
];
for (const [name, figures] of all) figuresLine(name, figures);
const same = all.every(([, f]) => f.rows === lakeFigures.rows && f.revenue === lakeFigures.revenue);
console.log(same ? "  they agree" : "  they DIFFER");

/**
 * Runs `polars-pipeline.ts` in a child process, printing each stage as it finishes, with the child's
 * peak RSS. Returns the child's figures, or undefined (saying why) if it fails or is killed.
 */
async function runPolars(task: PolarsTask, threads: string): Promise<PipelineFigures | undefined> {
  const script = join(ROOT, "bench", "polars-pipeline.ts");
  const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", script, JSON.stringify(task)], {
    cwd: ROOT,
    env: { ...process.env, POLARS_MAX_THREADS: threads },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const failure = new Promise<string | undefined>((resolve) => {
    child.on("error", (error) => resolve(`could not be started: ${error.message}`));
    child.on("close", (code, signal) =>
      resolve(code === 0 ? undefined : `failed (${signal ? `killed by ${signal}` : `exit code ${code}`})`),
    );
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  let figures: PipelineFigures | undefined;
  for await (const line of createInterface({ input: child.stdout })) {
    const event = parseEvent(line);
    if (!event) console.log(`  ${line}`);
    else if ("stage" in event) {
      const seconds = event.seconds.toFixed(2).padStart(8);
      console.log(`${event.stage.padEnd(44)} ${seconds} s   peak RSS so far ${event.peakRssMiB} MiB`);
    } else figures = event;
  }
  const failed = (await failure) ?? (figures ? undefined : "printed no figures");
  if (!failed) return figures;
  console.log(`  nodejs-polars ${failed}:\n${stderr.trim().replace(/^/gm, "    ")}`);
  return undefined;
}

/** A line of the child's output as an event, or undefined if it is not one (a stray print). */
function parseEvent(line: string): PolarsEvent | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === "object" && value !== null ? (value as PolarsEvent) : undefined;
  } catch {
    return undefined;
  }
}
