/**
 * `lake demo`: the whole product on the synthetic retail dataset. It generates the data (sales split
 * into 10 files by date), creates a project, lands and runs the first 9 files, then lands the last
 * one and runs again incrementally, reports what each layer holds and what the expectations caught,
 * and writes the lake's HTML report. The demo folder is replaced on every run, but only when it is
 * empty or an earlier demo.
 */
import { readdir, readFile, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { type DatasetManifest, generateDataset } from "../datagen/index.ts";
import type { PipelineResult } from "../pipeline/index.ts";
import { LakeUsageError } from "./errors.ts";
import { ingestFiles, initProject, projectStatus, runProject, type TableStatus } from "./project.ts";
import { queryProject } from "./query.ts";
import { writeReport } from "./report.ts";

const DEMO_MARKER = "medallion-lake-demo";
const SALES_FILES = 10;

/** What the demo did. */
export interface DemoSummary {
  readonly projectDir: string;
  readonly manifest: DatasetManifest;
  readonly fullRun: PipelineResult;
  readonly incrementalRun: PipelineResult;
  readonly tables: readonly TableStatus[];
  readonly revenueByRegion: ReadonlyArray<Record<string, unknown>>;
  /** The HTML report of the lake (see report.ts). */
  readonly reportPath: string;
  readonly seconds: { readonly generate: number; readonly fullRun: number; readonly incrementalRun: number };
}

/**
 * Runs the demo in `dir` with `rows` sales rows; `progress` receives one line per step.
 * @throws LakeUsageError when `dir` holds something other than an earlier demo.
 */
export async function runDemo(
  dir: string,
  rows: number,
  progress: (line: string) => void,
): Promise<DemoSummary> {
  const projectDir = resolve(dir);
  await removePreviousDemo(projectDir);
  const timed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
    const start = performance.now();
    const result = await work();
    return [result, (performance.now() - start) / 1000];
  };
  const data = join(projectDir, "data");
  progress(`Generating ${rows.toLocaleString("en-US")} sales rows with customers, products and locations...`);
  const [manifest, generateSeconds] = await timed(() =>
    generateDataset({ out: data, rows, files: SALES_FILES }),
  );
  await initProject(projectDir, DEMO_MARKER);
  const csvs = (await readdir(data)).filter((f) => f.endsWith(".csv")).sort();
  const last = csvs.filter((f) => f.startsWith("sales_transactions")).at(-1) ?? "";
  await ingestFiles(
    projectDir,
    csvs.filter((f) => f !== last).map((f) => join(data, f)),
  );
  progress(`Landed ${csvs.length - 1} files; running landing → bronze → silver → gold...`);
  const [fullRun, fullSeconds] = await timed(() =>
    runProject(projectDir, {}, (line) => progress(`  ${line}`)),
  );
  await ingestFiles(projectDir, [join(data, last)]);
  progress(`Landed ${last}; running again (only the new file is processed)...`);
  const [incrementalRun, incrementalSeconds] = await timed(() =>
    runProject(projectDir, {}, (line) => progress(`  ${line}`)),
  );
  const { tables } = await projectStatus(projectDir);
  const revenueByRegion = (
    await queryProject(
      projectDir,
      "SELECT region, sum(revenue) AS revenue, sum(orders) AS orders FROM gold.regional_performance GROUP BY region ORDER BY revenue DESC",
    )
  ).rows;
  const { path: reportPath } = await writeReport(projectDir);
  return {
    projectDir,
    manifest,
    fullRun,
    incrementalRun,
    tables,
    revenueByRegion,
    reportPath,
    seconds: { generate: generateSeconds, fullRun: fullSeconds, incrementalRun: incrementalSeconds },
  };
}

async function removePreviousDemo(projectDir: string): Promise<void> {
  const entries = await readdir(projectDir).catch(() => undefined);
  if (entries === undefined || entries.length === 0) return;
  const config = await readFile(join(projectDir, "lake.json"), "utf8").catch(() => "{}");
  let name: unknown;
  try {
    name = (JSON.parse(config) as { name?: unknown }).name;
  } catch {
    name = undefined;
  }
  if (name !== DEMO_MARKER) {
    throw new LakeUsageError(
      `${projectDir} is not empty and holds no earlier demo; choose another --dir for the demo`,
    );
  }
  await rm(projectDir, { recursive: true, force: true });
}
