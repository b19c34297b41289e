/**
 * A small retail lake built by the pipeline for the dashboard's tests: the synthetic dataset (a few
 * thousand sales over every month of the calendar, with its planted dirt), landed in two batches and
 * run twice, so tables have an older version to travel to and the run log has two runs.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { datagen, ingestFiles, initProject, runProject } from "../../src/lake/index.ts";

/** Builds the lake in `dir` and returns the project folder. */
export async function buildServedLake(dir: string): Promise<string> {
  const data = join(dir, "data");
  await datagen.generateDataset({
    out: data,
    rows: 3000,
    files: 2,
    customers: 300,
    products: 80,
    locations: 12,
  });
  const projectDir = join(dir, "shop");
  await initProject(projectDir, "shop");
  const csvs = (await readdir(data)).filter((f) => f.endsWith(".csv")).sort();
  const last = csvs.filter((f) => f.startsWith("sales_transactions")).at(-1) as string;
  await ingestFiles(
    projectDir,
    csvs.filter((f) => f !== last).map((f) => join(data, f)),
  );
  await runProject(projectDir);
  await ingestFiles(projectDir, [join(data, last)]);
  await runProject(projectDir);
  return projectDir;
}
