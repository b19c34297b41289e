/**
 * Project-level operations for the CLI: create a project, land files, run the pipeline, report the
 * status of every table. Each opens the engine with the project's settings.
 */
import { randomUUID } from "node:crypto";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { loadIfExists } from "../engine/index.ts";
import {
  CONFIG_FILE,
  type LandedFile,
  landFiles,
  listRuns,
  loadProject,
  type PipelineResult,
  type ProjectConfig,
  projectTables,
  type RunRecord,
  retailProjectConfig,
  runPipeline,
  tableStore,
  ZONES,
  type Zone,
} from "../pipeline/index.ts";
import { compareKeys } from "../storage/index.ts";
import { rowCount } from "./describe-table.ts";
import { LakeUsageError } from "./errors.ts";
import { withProjectEngine } from "./project-engine.ts";

/**
 * Creates a retail project in `dir`: lake.json (named `name`, default the folder's name) and the zone folders.
 * @throws LakeUsageError when `dir` already holds a lake.json.
 */
export async function initProject(dir: string, name?: string): Promise<ProjectConfig> {
  const root = resolve(dir);
  await mkdir(root, { recursive: true });
  if ((await readdir(root)).includes(CONFIG_FILE)) {
    throw new LakeUsageError(
      `${join(root, CONFIG_FILE)} already exists; lake init never overwrites a project`,
    );
  }
  await writeFile(
    join(root, CONFIG_FILE),
    `${JSON.stringify(retailProjectConfig(name ?? basename(root)), null, 2)}\n`,
  );
  const project = await loadProject(root);
  for (const zone of ZONES) {
    if (!project.zones[zone].startsWith("s3://")) await mkdir(project.zones[zone], { recursive: true });
  }
  return project;
}

/** Lands files into the project's landing zone (write-once). */
export async function ingestFiles(projectDir: string, files: readonly string[]): Promise<LandedFile[]> {
  return landFiles(await loadProject(projectDir), files);
}

/**
 * Runs the pipeline for the project in `projectDir` with a fresh run id (see pipeline/run-pipeline.ts).
 */
export async function runProject(
  projectDir: string,
  options: { readonly fullRefresh?: boolean; readonly select?: readonly string[] } = {},
  progress: (line: string) => void = () => {},
): Promise<PipelineResult> {
  const project = await loadProject(projectDir);
  const startedAt = Date.now();
  const runId = `${new Date(startedAt).toISOString().replace(/[-:.]/g, "")}-${randomUUID().slice(0, 8)}`;
  return withProjectEngine(project, (ctx) =>
    runPipeline(ctx, project, { runId, startedAt, ...options }, progress),
  );
}

/** One table of the lake for `lake status`. */
export interface TableStatus {
  readonly zone: Zone;
  readonly table: string;
  readonly version: number;
  readonly files: number;
  /** Null when some file has no row count in its stats. */
  readonly rows: number | null;
  readonly lastCommit: string;
}

/** Every Delta table in the project's bronze, silver and gold zones, and the last recorded run. */
export async function projectStatus(
  projectDir: string,
): Promise<{ project: ProjectConfig; tables: TableStatus[]; lastRun: RunRecord | undefined }> {
  const project = await loadProject(projectDir);
  return withProjectEngine(project, async (ctx) => {
    const tables: TableStatus[] = [];
    const byZone = [...projectTables(project)].sort(
      (a, b) => ZONES.indexOf(a.zone) - ZONES.indexOf(b.zone) || compareKeys(a.table, b.table),
    );
    for (const { zone, table } of byZone) {
      const snapshot = await loadIfExists(ctx, tableStore(project, zone, table));
      if (snapshot === undefined) continue;
      tables.push({
        zone,
        table,
        version: snapshot.version,
        files: snapshot.numFiles,
        rows: rowCount(snapshot),
        lastCommit: new Date(snapshot.timestamp).toISOString(),
      });
    }
    return { project, tables, lastRun: (await listRuns(ctx, project))[0] };
  });
}
