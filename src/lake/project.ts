/**
 * Project-level operations for the CLI: create a project, land files, run the pipeline, report the
 * status of every table. Each opens the engine with the project's settings.
 */
import { randomUUID } from "node:crypto";
import { mkdir, readdir } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { type DeltaContext, loadIfExists } from "../engine/index.ts";
import {
  asResourceError,
  CONFIG_FILE,
  currentLeaseHolder,
  type LandedFile,
  type LandingFileStatus,
  type LeaseRecord,
  landFiles,
  landingFileStatuses,
  listRuns,
  loadProject,
  type PipelineResult,
  type ProjectConfig,
  projectTables,
  RunLease,
  type RunLeaseOptions,
  type RunRecord,
  runLeaseStore,
  runPipeline,
  tableStore,
  writeProjectTemplate,
  ZONES,
  type Zone,
} from "../pipeline/index.ts";
import { compareKeys } from "../storage/index.ts";
import { rowCount } from "./describe-table.ts";
import { LakeUsageError } from "./errors.ts";
import { withProjectEngine } from "./project-engine.ts";

/**
 * Creates a project in `dir` from the retail template (lake.json named `name`, default the folder's
 * name; macros/ and models/) and the zone folders.
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
  await writeProjectTemplate(root, name ?? basename(root));
  const project = await loadProject(root);
  for (const zone of ZONES) {
    if (!project.zones[zone].startsWith("s3://")) await mkdir(project.zones[zone], { recursive: true });
  }
  return project;
}

/**
 * Lands files into the project's landing zone (write-once).
 * @throws ResourceError when the landing folder is full or cannot be written; LandingError
 */
export async function ingestFiles(projectDir: string, files: readonly string[]): Promise<LandedFile[]> {
  const project = await loadProject(projectDir);
  return landFiles(project, files).catch((error: unknown) => {
    throw asResourceError(
      error,
      project,
      "lake ingest",
      "then run lake ingest again: the files already landed are kept",
    );
  });
}

/** Options of {@link runProject}. */
export interface RunProjectOptions {
  /** Re-process everything from bronze (surrogate keys stay as they are). */
  readonly fullRefresh?: boolean;
  /** Only these layers or models. */
  readonly select?: readonly string[];
  /** How long to wait for another run of the project to finish, in ms (default 0: fail at once). */
  readonly waitMs?: number;
  /** The lease's durations and clock (defaults: 60 s, renewed every 10 s, the real clock). */
  readonly lease?: Omit<RunLeaseOptions, "waitMs" | "onWait" | "startedAt">;
  /** Aborted (reason: the signal's name) to stop the run at its next safe point. */
  readonly signal?: AbortSignal;
}

/**
 * Runs the pipeline for the project in `projectDir` with a fresh run id (see pipeline/run-pipeline.ts),
 * holding the project's run lease (pipeline/run-lease.ts) from start to end: one run at a time.
 * @throws RunLeaseHeldError when another run holds the project (after `waitMs`); RunLeaseLostError when
 * this run lost the lease (it stops at its next use of the engine); RunInterruptedError when
 * `signal` stopped it (recorded as interrupted, the lease released); ResourceError when the
 * temporary folder cannot be written; the pipeline's errors
 */
export async function runProject(
  projectDir: string,
  options: RunProjectOptions = {},
  progress: (line: string) => void = () => {},
): Promise<PipelineResult> {
  const project = await loadProject(projectDir);
  const runId = `${new Date().toISOString().replace(/[-:.]/g, "")}-${randomUUID().slice(0, 8)}`;
  const lease = await RunLease.acquire(runLeaseStore(project), runId, {
    ...options.lease,
    waitMs: options.waitMs ?? 0,
    onWait: (holder) => progress(`Waiting for ${describeHolder(holder)} to finish`),
  });
  try {
    lease.startRenewing((lost) => progress(lost.message));
    const { fullRefresh, select, signal } = options;
    const result = await withProjectEngine(project, (ctx) =>
      runPipeline(
        whileHeld(lease, ctx),
        project,
        {
          runId,
          startedAt: lease.record.startedAt,
          ...(fullRefresh === undefined ? {} : { fullRefresh }),
          ...(select === undefined ? {} : { select }),
          ...(signal === undefined ? {} : { signal }),
        },
        progress,
      ),
    ).catch((error: unknown) => {
      throw asResourceError(error, project, "opening the engine");
    });
    lease.assertHeld();
    return result;
  } finally {
    // A lease that cannot be released expires: say so rather than hide the run's own outcome.
    await lease.release().catch((error: unknown) => {
      progress(
        `Could not release the run lease (${error instanceof Error ? error.message : String(error)}); ` +
          `the next run can start after it expires at ${new Date(lease.record.expiresAt).toISOString()}`,
      );
    });
  }
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

/**
 * Every Delta table in the project's bronze, silver and gold zones, the last recorded run, the run
 * that holds the project now, if any, and the landing files' states.
 */
export async function projectStatus(projectDir: string): Promise<{
  project: ProjectConfig;
  tables: TableStatus[];
  lastRun: RunRecord | undefined;
  running: LeaseRecord | undefined;
  /** The landing files, with what became of each. */
  files: LandingFileStatus[];
}> {
  const project = await loadProject(projectDir);
  const running = await currentLeaseHolder(runLeaseStore(project));
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
    const files = await landingFileStatuses(ctx, project);
    return { project, tables, lastRun: (await listRuns(ctx, project))[0], running, files };
  });
}

/** `run <id> (<host>, pid <pid>, started at <ISO time>)`, for messages. */
export function describeHolder(holder: LeaseRecord): string {
  return `run ${holder.runId} (${holder.host}, pid ${holder.pid}, started at ${new Date(holder.startedAt).toISOString()})`;
}

/**
 * The engine as a run sees it while it holds the lease: once the lease is lost, the run's next use of
 * the engine throws RunLeaseLostError, so it stops before it writes more.
 */
function whileHeld(lease: RunLease, ctx: DeltaContext): DeltaContext {
  return new Proxy(ctx, {
    get(target, property) {
      lease.assertHeld();
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
