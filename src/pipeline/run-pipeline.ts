/**
 * One pipeline run: Landing → Bronze for every source, then the project's models in dependency order,
 * each consuming only what is new (or everything with a full refresh), with the row accounting of
 * each step enforced. The run is recorded in the run log whatever its outcome.
 */
import { type DeltaContext, withQueryProgress } from "../engine/index.ts";
import { type FileIngest, ingestSource } from "./bronze-ingest.ts";
import type { ModelResult } from "./model-build.ts";
import { ModelGraphError, modelId, nearest } from "./model-graph.ts";
import type { ProjectConfig } from "./project-config.ts";
import { recordRun } from "./run-log.ts";
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
 * @throws the first error of any step (ExpectationFailedError, AccountingError,
 *   ModelError, ModelGraphError for a cycle or an unknown selector, ...)
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
  // Long steps say they are still working: every 5 s, the time so far and DuckDB's estimate.
  const step = <T>(label: string, work: () => Promise<T>) =>
    withQueryProgress(
      ctx.session,
      ({ elapsedMs, percent }) =>
        progress(
          `${label}: working, ${Math.round(elapsedMs / 1000)} s${percent === undefined ? "" : ` (current query ${percent} %)`}`,
        ),
      work,
    );
  const record = (status: "succeeded" | "failed", error: string | null) =>
    recordRun(ctx, project, {
      runId: options.runId,
      startedAt: options.startedAt,
      endedAt: Date.now(),
      status,
      error,
      counts: runCounts(result),
    });
  try {
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
        ingestSource(ctx, project, source, { runId: options.runId, startedAt: options.startedAt }, progress),
      );
      result.bronze.push({ source: source.name, files, seconds: (performance.now() - started) / 1000 });
    }
    if (options.select === undefined || (modelSelectors?.length ?? 0) > 0) {
      await runModels(
        { ctx, project, runId: options.runId, fullRefresh: options.fullRefresh ?? false },
        planned,
        modelSelectors,
        step,
        (model) => {
          result.models.push(model);
          progress(describeResult(model));
        },
      );
    }
  } catch (error) {
    await record("failed", error instanceof Error ? error.message : String(error));
    throw error;
  }
  await record("succeeded", null);
  return result;
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
}): Record<string, unknown> {
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
