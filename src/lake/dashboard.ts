/**
 * The data behind `lake serve`: one project, loaded once, read through one engine that stays open
 * (so each table's log is replayed once and only new commits are read after), and a confined SQL
 * console beside it. Calls are served one at a time on the engine; nothing here writes.
 */
import { DeltaError } from "../delta/index.ts";
import { DeltaContext } from "../engine/index.ts";
import {
  currentLeaseHolder,
  type LeaseRecord,
  listRuns,
  loadProject,
  type ProjectConfig,
  type RunRecord,
  runLeaseStore,
} from "../pipeline/index.ts";
import { type ChartResult, type ChartSummary, chartSpec, listCharts } from "./charts.ts";
import { type QualityReport, qualityReport } from "./dashboard-quality.ts";
import {
  type TableDetail,
  type TableDetailLimits,
  type TableSummary,
  tableDetail,
  tableSummaries,
} from "./dashboard-tables.ts";
import { LakeUsageError } from "./errors.ts";
import { type Lineage, projectLineage } from "./lineage.ts";
import type { TableAt } from "./open-table.ts";
import { projectEngineOptions } from "./project-engine.ts";
import { SqlConsole, type SqlConsoleLimits, type SqlConsoleResult } from "./sql-console.ts";

/** What the overview page shows. */
export interface LakeOverview {
  readonly projectName: string;
  readonly projectRoot: string;
  readonly tables: readonly TableSummary[];
  /** The most recent runs, newest first. */
  readonly runs: readonly RunRecord[];
  /** The run holding the project now, if any. */
  readonly running: LeaseRecord | undefined;
  /** The built-in chart of the runs' times (none before the first run). */
  readonly runTimes: ChartResult | undefined;
}

/** A chart of the Marts page: drawn, or why it could not be. */
export type MartChart = ChartSummary & ({ readonly result: ChartResult } | { readonly error: string });

/** How much the pages show at most. */
export const DASHBOARD_LIMITS = {
  runs: 30,
  qualityRuns: 10,
  quarantineSamples: 5,
  table: { previewRows: 50, historyLimit: 50, fileLimit: 200 } satisfies TableDetailLimits,
} as const;

/** A project opened for the dashboard. Call {@link close} when done. */
export class Dashboard {
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly project: ProjectConfig,
    private readonly ctx: DeltaContext,
    private readonly console: SqlConsole,
  ) {}

  /**
   * Opens the project in `projectDir` (or its nearest parent with lake.json).
   * @throws ProjectConfigError when there is no project or its lake.json is wrong.
   */
  static async open(projectDir: string): Promise<Dashboard> {
    const project = await loadProject(projectDir);
    const ctx = await DeltaContext.open(projectEngineOptions(project));
    try {
      return new Dashboard(project, ctx, await SqlConsole.open(project));
    } catch (error) {
      ctx.close();
      throw error;
    }
  }

  /** Tables with rows, size and freshness; recent runs and a chart of their times; the run in progress. */
  async overview(): Promise<LakeOverview> {
    const data = await this.#serial(async () => ({
      projectName: this.project.name,
      projectRoot: this.project.root,
      tables: await tableSummaries(this.ctx, this.project),
      runs: (await listRuns(this.ctx, this.project)).slice(0, DASHBOARD_LIMITS.runs),
      running: await currentLeaseHolder(runLeaseStore(this.project)),
    }));
    return {
      ...data,
      runTimes: data.runs.length === 0 ? undefined : await chartSpec(this.project.root, "run_times"),
    };
  }

  /**
   * The charts lake.json declares, each drawn with those of `filters` it takes (region, category,
   * from/to…). A chart that cannot be drawn (its table not built yet, its query failing) carries the
   * reason instead, so the others still show.
   */
  async marts(filters: Readonly<Record<string, string>>): Promise<MartChart[]> {
    const charts = (await listCharts(this.project.root)).filter((c) => c.source === "project");
    // Each chart opens an engine of its own: drawing them side by side costs about one chart's time.
    return Promise.all(
      charts.map(async (chart): Promise<MartChart> => {
        try {
          return { ...chart, result: await chartSpec(this.project.root, chart.name, { filters }) };
        } catch (error) {
          // A chart over a table no run has built yet shows why, like one whose query fails.
          if (!(error instanceof LakeUsageError || error instanceof DeltaError)) throw error;
          return { ...chart, error: error.message };
        }
      }),
    );
  }

  /** A built-in chart of the run log (`data_quality`, `run_times`). */
  builtinChart(name: "data_quality" | "run_times"): Promise<ChartResult> {
    return chartSpec(this.project.root, name);
  }

  /** One table (`zone.table`) at a version or instant (see dashboard-tables.ts). */
  table(name: string, at: TableAt = {}): Promise<TableDetail> {
    return this.#serial(() => tableDetail(this.ctx, this.project, name, at, DASHBOARD_LIMITS.table));
  }

  /** Expectations with counts per run, quarantine samples, rejected files. */
  quality(): Promise<QualityReport> {
    return this.#serial(() =>
      qualityReport(this.ctx, this.project, {
        runLimit: DASHBOARD_LIMITS.qualityRuns,
        sampleRows: DASHBOARD_LIMITS.quarantineSamples,
      }),
    );
  }

  /** The lineage graph from the project's models. */
  lineage(): Promise<Lineage> {
    return projectLineage(this.project);
  }

  /** Runs read-only SQL in the confined console (see sql-console.ts). */
  sql(text: string, limits: SqlConsoleLimits): Promise<SqlConsoleResult> {
    return this.console.run(text, limits);
  }

  /** Closes both DuckDB instances. */
  close(): void {
    this.console.close();
    this.ctx.close();
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work);
    this.#queue = next.catch(() => {});
    return next;
  }
}
