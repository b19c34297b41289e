/**
 * One pipeline run: Landing → Bronze for every source, then the project's models in dependency order,
 * each consuming only what is new (or everything with a full refresh), with the row accounting of
 * each step enforced. The run is recorded in the run log whatever its outcome. A run asked to stop
 * (its `signal` aborted) cancels the running DuckDB query and starts no new step; a full disk, a
 * folder that cannot be written or DuckDB out of memory fail it with the path or setting named.
 */
import { readdir } from "node:fs/promises";
import { type DeltaContext, withQueryProgress } from "../engine/index.ts";
import { type FileIngest, ingestSource } from "./bronze-ingest.ts";
import { RunInterruptedError } from "./errors.ts";
import { childLocation, storeAt } from "./layer-tables.ts";
import type { ModelResult } from "./model-build.ts";
import { ModelGraphError, modelId, nearest } from "./model-graph.ts";
import { type ProjectConfig, ZONES } from "./project-config.ts";
import { asResourceError } from "./resource-error.ts";
import { type RunCounts, type RunStatus, recordRun } from "./run-log.ts";
import { planModels, runModels } from "./run-models.ts";

export interface RunOptions {
  readonly runId: string;
  readonly startedAt: number;
  /** Re-process everything from bronze (surrogate keys stay as they are). */
  readonly fullRefresh?: boolean;
  /**
   * What to run: `bronze` or a source's name (its landing → bronze step), a zone (`silver`, `gold`), a
   * model (`sales_enriched`), `+model` (with what it reads), `model+` (with what reads it).
   */
  readonly select?: readonly string[];
  /**
   * Aborted to stop the run (its reason names what asked, e.g. `SIGTERM`): the running DuckDB query
   * is cancelled and no new step starts; the run then throws RunInterruptedError.
   */
  readonly signal?: AbortSignal;
}

/** Everything a run did. */
export interface PipelineResult {
  readonly runId: string;
  /** Per source: the files it looked at and how long its bronze step took, in seconds. */
  readonly bronze: ReadonlyArray<{
    readonly source: string;
    readonly files: readonly FileIngest[];
    readonly seconds: number;
  }>;
  readonly models: readonly ModelResult[];
}

/**
 * Runs the pipeline and records the run; a failure is recorded with its message, then rethrown.
 * First removes the temporary files that killed writers left in the project's tables.
 * @throws the first error of any step (ExpectationFailedError, AccountingError,
 *   ModelError, ModelGraphError for a cycle or an unknown selector, ResourceError for a full disk, a
 *   folder that cannot be written or DuckDB out of memory, ...); RunInterruptedError once `signal`
 *   was aborted
 */
export async function runPipeline(
  ctx: DeltaContext,
  project: ProjectConfig,
  options: RunOptions,
  progress: (line: string) => void = () => {},
): Promise<PipelineResult> {
  const result: {
    runId: string;
    bronze: Array<{ source: string; files: FileIngest[]; seconds: number }>;
    models: ModelResult[];
  } = { runId: options.runId, bronze: [], models: [] };
  const { signal } = options;
  const done: string[] = [];
  const interrupted = (cause?: unknown) =>
    new RunInterruptedError(String(signal?.reason ?? "a signal"), done, { cause });
  // A stop request cancels the running query; the step then fails and no new one starts.
  const cancelQuery = () => {
    try {
      ctx.session.connection.interrupt();
    } catch {
      // No query to cancel (or the engine is already closed): the next step check stops the run.
    }
  };
  signal?.addEventListener("abort", cancelQuery, { once: true });
  // The steps' engine: once stopping, their next use of it throws, so a step does no more work than
  // a kill at that moment would leave (which recovery handles), while the run log still gets written.
  const engine = signal === undefined ? ctx : stopsWhenAborted(ctx, signal, interrupted);
  // Long steps say they are still working: every 5 s, the time so far and DuckDB's estimate.
  const step = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
    if (signal?.aborted) throw interrupted();
    try {
      const value = await withQueryProgress(
        ctx.session,
        ({ elapsedMs, percent }) =>
          progress(
            `${label}: working, ${Math.round(elapsedMs / 1000)} s${percent === undefined ? "" : ` (current query ${percent} %)`}`,
          ),
        work,
      );
      done.push(label);
      return value;
    } catch (error) {
      throw signal?.aborted ? interrupted(error) : asResourceError(error, project, label);
    }
  };
  const record = (status: RunStatus, error: string | null) =>
    recordRun(ctx, project, {
      runId: options.runId,
      startedAt: options.startedAt,
      endedAt: Date.now(),
      status,
      error,
      counts: runCounts(result),
    });
  try {
    const left = await removeLeftBehind(project);
    if (left > 0) progress(`Removed ${left} temporary files that killed runs left in the tables`);
    const planned = await planModels(project);
    const sources = new Set(project.sources.map((s) => s.name));
    const bronzeSelectors = options.select?.filter((s) => s === "bronze" || sources.has(s));
    const modelSelectors = options.select?.filter((s) => s !== "bronze" && !sources.has(s));
    for (const selector of modelSelectors ?? []) {
      const name = selector.replace(/^\+|\+$/g, "");
      if (
        !["silver", "gold"].includes(name) &&
        !planned.some((m) => m.config.name === name || modelId(m.config) === name)
      ) {
        const near = nearest(name, [
          "bronze",
          "silver",
          "gold",
          ...sources,
          ...planned.map((m) => m.config.name),
        ]);
        throw new ModelGraphError(
          `--select ${selector}: no source, model or zone is called ${name}${near ? `; did you mean ${near}?` : ""}`,
        );
      }
    }
    for (const source of project.sources) {
      if (options.select !== undefined && !bronzeSelectors?.some((s) => s === "bronze" || s === source.name))
        continue;
      const started = performance.now();
      const files = await step(`bronze.${source.name}`, () =>
        ingestSource(
          engine,
          project,
          source,
          { runId: options.runId, startedAt: options.startedAt },
          progress,
        ),
      );
      result.bronze.push({ source: source.name, files, seconds: (performance.now() - started) / 1000 });
    }
    if (options.select === undefined || (modelSelectors?.length ?? 0) > 0) {
      await runModels(
        { ctx: engine, project, runId: options.runId, fullRefresh: options.fullRefresh ?? false },
        planned,
        modelSelectors,
        step,
        (model) => {
          result.models.push(model);
          progress(describeResult(model));
        },
      );
    }
  } catch (caught) {
    const error = signal?.aborted ? interrupted(caught) : asResourceError(caught, project, "the run");
    const message = error instanceof Error ? error.message : String(error);
    // A run log that cannot be written (the same full disk) must not hide why the run failed.
    await record(error instanceof RunInterruptedError ? "interrupted" : "failed", message).catch(
      (recordError: unknown) =>
        progress(`Could not record the run in the run log: ${(recordError as Error).message}`),
    );
    throw error;
  } finally {
    signal?.removeEventListener("abort", cancelQuery);
  }
  await record("succeeded", null);
  return result;
}

/** `ctx` whose every use throws `stop()` once `signal` is aborted. */
function stopsWhenAborted(ctx: DeltaContext, signal: AbortSignal, stop: () => Error): DeltaContext {
  return new Proxy(ctx, {
    get(target, property) {
      if (signal.aborted) throw stop();
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/**
 * Removes what killed writers left in the temporary folders of the project's local folders: each zone
 * and the system directory, and every table folder in them (also of tables the project no longer
 * declares). Stores on S3 have no such folders.
 */
async function removeLeftBehind(project: ProjectConfig): Promise<number> {
  const roots = [...ZONES.map((zone) => project.zones[zone]), project.systemDirectory].filter(
    (location) => !location.startsWith("s3://"),
  );
  let removed = 0;
  for (const root of roots) {
    const children = await readdir(root, { withFileTypes: true }).catch(() => []);
    const tables = children.filter((c) => c.isDirectory() && !c.name.startsWith("."));
    for (const location of [root, ...tables.map((c) => childLocation(root, c.name))])
      removed += (await storeAt(project, location).removeLeftBehind?.()) ?? 0;
  }
  return removed;
}

/** One line saying what a model's build did. */
export function describeResult(m: ModelResult): string {
  if (m.waitingFor) return `${m.table}: waiting for ${m.waitingFor}, which has no table yet`;
  if (!m.rebuilt) return `${m.table}: up to date`;
  const parts = [`${m.rows} rows written`];
  if (m.kind === "incremental") parts.unshift(`${m.inputRows} new input rows`);
  if (m.partitions !== undefined) parts.push(`${m.partitions} partitions recomputed`);
  if (m.newKeys !== undefined) parts.push(`${m.newKeys} new keys`);
  if (m.quarantined > 0) parts.push(`${m.quarantined} quarantined`);
  if (m.retried > 0) parts.push(`${m.retried} released from quarantine`);
  if (m.duplicatesRemoved > 0)
    parts.push(`${m.duplicatesRemoved} ${m.kind === "dimension" ? "superseded" : "duplicates removed"}`);
  const time = m.seconds === undefined ? "" : `, ${m.seconds.toFixed(1)} s`;
  return `${m.table}: ${parts.join(", ")}${time}${m.reason ? ` (rebuilt in full: ${m.reason})` : ""}`;
}

/** The counts the run log keeps: per source and per model. */
function runCounts(result: {
  bronze: ReadonlyArray<{ source: string; files: readonly FileIngest[] }>;
  models: readonly ModelResult[];
}): RunCounts {
  const sum = (files: readonly FileIngest[], pick: (f: FileIngest) => number) =>
    files.filter((f) => f.ingested).reduce((t, f) => t + pick(f), 0);
  return {
    bronze: Object.fromEntries(
      result.bronze.map(({ source, files }) => [
        source,
        {
          files: files.filter((f) => f.ingested).length,
          rows: sum(files, (f) => f.bronzeRows),
          rejects: sum(files, (f) => f.rejects),
        },
      ]),
    ),
    models: Object.fromEntries(
      result.models.map((m) => [
        m.table,
        {
          rebuilt: m.rebuilt,
          inputRows: m.inputRows,
          rows: m.rows,
          quarantined: m.quarantined,
          duplicatesRemoved: m.duplicatesRemoved,
          retried: m.retried,
          ...(m.seconds === undefined ? {} : { seconds: m.seconds }),
          expectations: Object.fromEntries(
            m.expectations.map((e) => [e.name, { action: e.action, failed: e.failed }]),
          ),
        },
      ]),
    ),
  };
}
