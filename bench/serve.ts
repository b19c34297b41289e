/**
 * Dashboard benchmark: `npm run bench:serve -- [--project DIR | --rows N]`.
 *
 * Serves a lake and times each page the way a browser asks for it: the server's whole answer (data
 * from lake/ and the HTML), the first request (cold: logs replayed, DuckDB warming up) and the median
 * of the next five. With --project it serves that lake as it is (it only reads); otherwise it builds
 * one from N generated sales rows (default 1,000,000) in `.bench/serve/` like `lake demo` does (all
 * files but the last, a run, the last file, a second run). A benchmark, not a test: nothing is asserted.
 */
import { existsSync } from "node:fs";
import { readdir, rm } from "node:fs/promises";
import { cpus, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { datagen, ingestFiles, initProject, projectStatus, runProject } from "../src/lake/index.ts";
import { startDashboard } from "../src/web/index.ts";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const { values } = parseArgs({
  options: { project: { type: "string" }, rows: { type: "string", default: "1000000" } },
});

const projectDir = values.project ?? (await buildLake(Number(values.rows)));
const { tables } = await projectStatus(projectDir);
const rows = (name: string) => tables.find((t) => `${t.zone}.${t.table}` === name)?.rows ?? 0;
console.log(
  `Serving ${projectDir}: silver.sales_enriched has ${rows("silver.sales_enriched").toLocaleString("en-US")} rows` +
    ` (${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB)`,
);

const server = await startDashboard({ projectDir, port: 0 });
const base = `http://127.0.0.1:${server.port}`;
const requests: Array<[string, string, RequestInit?]> = [
  ["Overview", "/"],
  ["Table silver.sales_enriched (latest)", "/tables/silver.sales_enriched"],
  ["Table silver.sales_enriched (version 0)", "/tables/silver.sales_enriched?version=0"],
  ["Table gold.monthly_sales_summary", "/tables/gold.monthly_sales_summary"],
  ["Marts", "/marts"],
  ["Data quality", "/quality"],
  ["Lineage", "/lineage"],
  ["SQL page", "/sql"],
  [
    "SQL: revenue by region and month",
    "/api/sql",
    {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        sql: "SELECT year, month, region, sum(net_amount) AS revenue FROM silver.sales_enriched GROUP BY ALL ORDER BY ALL",
      }),
    },
  ],
];

console.log(
  `${"page".padEnd(42)} ${"status".padStart(6)} ${"first ms".padStart(9)} ${"median ms".padStart(10)}`,
);
for (const [label, path, init] of requests) {
  const times: number[] = [];
  let status = 0;
  for (let i = 0; i < 6; i++) {
    const start = performance.now();
    const response = await fetch(base + path, init);
    await response.arrayBuffer();
    times.push(performance.now() - start);
    status = response.status;
  }
  const [first, ...warm] = times;
  warm.sort((a, b) => a - b);
  console.log(
    `${label.padEnd(42)} ${String(status).padStart(6)} ${(first ?? 0).toFixed(0).padStart(9)} ${(warm[2] ?? 0).toFixed(0).padStart(10)}`,
  );
}
await server.close();

/** A lake of `rows` generated sales rows in `.bench/serve/`, reused when it is already there. */
async function buildLake(rows: number): Promise<string> {
  const dir = join(ROOT, ".bench", "serve", `lake-${rows}`);
  if (existsSync(join(dir, "built"))) return join(dir, "project");
  await rm(dir, { recursive: true, force: true });
  const data = join(dir, "data");
  console.log(`Building a lake of ${rows.toLocaleString("en-US")} sales rows in ${dir}...`);
  await datagen.generateDataset({ out: data, rows, files: 10 });
  const project = join(dir, "project");
  await initProject(project, "bench-serve");
  const csvs = (await readdir(data)).filter((f) => f.endsWith(".csv")).sort();
  const last = csvs.filter((f) => f.startsWith("sales_transactions")).at(-1) as string;
  await ingestFiles(
    project,
    csvs.filter((f) => f !== last).map((f) => join(data, f)),
  );
  await runProject(project);
  await ingestFiles(project, [join(data, last)]);
  await runProject(project);
  await rm(data, { recursive: true, force: true });
  await import("node:fs/promises").then((fs) => fs.writeFile(join(dir, "built"), ""));
  return project;
}
