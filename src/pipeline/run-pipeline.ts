/**
 * One pipeline run: Landing → Bronze for every source, then the Silver dimensions and sales, then the
 * Gold marts, each step consuming only what is new (or everything with a full refresh), with the row
 * accounting of each step enforced. The run is recorded in the run log whatever its outcome.
 */
import { type DeltaContext, withQueryProgress } from "../engine/index.ts";
import { type FileIngest, ingestSource } from "./bronze-ingest.ts";
import type { ExpectationResult } from "./expectations.ts";
import type { ProjectConfig, Zone } from "./project-config.ts";
import { buildDimension, DIMENSIONS, type DimensionResult } from "./retail/dimensions.ts";
import { buildMarts, MARTS, type MartResult } from "./retail/marts.ts";
import { buildSales, type SalesResult } from "./retail/sales.ts";
import { recordRun } from "./run-log.ts";
import { buildUserModels, type ModelResult } from "./user-models.ts";

export interface RunOptions {
  readonly runId: string;
  readonly startedAt: number;
  /** Re-process everything from bronze (surrogate keys stay as they are). */
  readonly fullRefresh?: boolean;
  /**
   * Only these layers or models (`bronze`, `silver`, `gold`, `dim_customer`, `sales_enriched`,
   * `marts`, a user model's name, ...).
   */
  readonly select?: readonly string[];
}

/** Every table a run of this project writes, by zone, in pipeline order. */
export function projectTables(project: ProjectConfig): Array<{ zone: Zone; table: string }> {
  return [
    ...project.sources.flatMap((s) =>
      [s.name, `${s.name}_rejects`].map((table) => ({ zone: "bronze" as const, table })),
    ),
    ...DIMENSIONS.flatMap((d) =>
      [d.name, `${d.name}_keys`, `${d.name}_quarantine`].map((table) => ({ zone: "silver" as const, table })),
    ),
    { zone: "silver", table: "sales_enriched" },
    { zone: "silver", table: "sales_quarantine" },
    ...MARTS.map((m) => ({ zone: "gold" as const, table: m.name })),
    ...project.models.map((m) => ({ zone: m.zone, table: m.name })),
  ];
}

/** Everything a run did, per layer. */
export interface PipelineResult {
  readonly runId: string;
  readonly bronze: ReadonlyArray<{ readonly source: string; readonly files: readonly FileIngest[] }>;
  readonly dimensions: readonly DimensionResult[];
  readonly sales: SalesResult | undefined;
  readonly marts: readonly MartResult[];
  readonly models: readonly ModelResult[];
}

/**
 * Runs the pipeline and records the run; a failure is recorded with its message, then rethrown.
 * @throws the first error of any step (ExpectationFailedError, AccountingError, HeaderMismatchError, ...)
 */
export async function runPipeline(
  ctx: DeltaContext,
  project: ProjectConfig,
  options: RunOptions,
  progress: (line: string) => void = () => {},
): Promise<PipelineResult> {
  const selected = (layer: string, model: string) =>
    options.select === undefined || options.select.includes(layer) || options.select.includes(model);
  const fullRefresh = options.fullRefresh ?? false;
  const result: {
    runId: string;
    bronze: Array<{ source: string; files: FileIngest[] }>;
    dimensions: DimensionResult[];
    sales: SalesResult | undefined;
    marts: MartResult[];
    models: ModelResult[];
  } = { runId: options.runId, bronze: [], dimensions: [], sales: undefined, marts: [], models: [] };
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
    for (const source of project.sources) {
      if (!selected("bronze", source.name)) continue;
      result.bronze.push({
        source: source.name,
        files: await step(`bronze.${source.name}`, () =>
          ingestSource(ctx, project, source, options.startedAt, progress),
        ),
      });
    }
    for (const spec of DIMENSIONS) {
      if (!selected("silver", spec.name)) continue;
      const built = await step(`silver.${spec.name}`, () => buildDimension(ctx, project, spec, fullRefresh));
      if (built) {
        result.dimensions.push(built);
        if (built.rebuilt)
          progress(
            `silver.${spec.name}: ${built.rows} rows (${built.newKeys} new keys, ${built.quarantined} quarantined)`,
          );
      }
    }
    if (selected("silver", "sales_enriched")) {
      result.sales = await step("silver.sales_enriched", () =>
        buildSales(ctx, project, options.runId, fullRefresh),
      );
      const s = result.sales;
      if (s?.rebuildReason)
        progress(`silver.sales_enriched: rebuilt from all of bronze.sales (${s.rebuildReason})`);
      if (s && s.newBronzeRows > 0) {
        progress(
          `silver.sales_enriched: ${s.inserted} rows merged, ${s.quarantined} quarantined, ${s.duplicatesRemoved} duplicates removed`,
        );
      }
    }
    if (selected("gold", "marts")) {
      result.marts = await step("gold", () => buildMarts(ctx, project, fullRefresh));
      for (const mart of result.marts) {
        if (mart.rebuildReason) progress(`gold.${mart.table}: recomputed in full (${mart.rebuildReason})`);
        if (mart.months > 0) progress(`gold.${mart.table}: ${mart.months} months recomputed`);
      }
    }
    result.models = await step("models", () =>
      buildUserModels(ctx, project, (model) => selected(model.zone, model.name), fullRefresh),
    );
    for (const model of result.models)
      progress(`${model.table}: ${model.rebuilt ? `${model.rows} rows` : "up to date"} (user model)`);
  } catch (error) {
    await record("failed", error instanceof Error ? error.message : String(error));
    throw error;
  }
  await record("succeeded", null);
  return result;
}

/** The per-layer counts the run log keeps. */
function runCounts(result: {
  bronze: ReadonlyArray<{ source: string; files: readonly FileIngest[] }>;
  dimensions: readonly DimensionResult[];
  sales: SalesResult | undefined;
  marts: readonly MartResult[];
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
    silver: {
      ...Object.fromEntries(
        result.dimensions.map((d) => [
          d.table,
          { rows: d.rows, quarantined: d.quarantined, newKeys: d.newKeys },
        ]),
      ),
      ...(result.sales
        ? {
            sales_enriched: {
              newBronzeRows: result.sales.newBronzeRows,
              inserted: result.sales.inserted,
              quarantined: result.sales.quarantined,
              duplicatesRemoved: result.sales.duplicatesRemoved,
              expectations: Object.fromEntries(
                result.sales.expectations.map((e: ExpectationResult) => [
                  e.name,
                  { action: e.action, failed: e.failed },
                ]),
              ),
            },
          }
        : {}),
    },
    gold: Object.fromEntries(result.marts.map((m) => [m.table, { months: m.months, rows: m.rows }])),
    models: Object.fromEntries(result.models.map((m) => [m.table, { rows: m.rows, rebuilt: m.rebuilt }])),
  };
}
