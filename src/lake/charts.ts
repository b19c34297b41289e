/**
 * The project's charts: those lake.json declares (SQL over `zone.table` names) and the built-in ones
 * over the run log. Rows come from the project's query path; report/ turns them into Vega-Lite
 * specifications and draws them. `lake chart`, the report and the dashboard all go through here.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { TopLevelSpec } from "vega-lite";
import {
  type ChartConfig,
  CONFIG_FILE,
  FILTERS_PLACEHOLDER,
  listRuns,
  loadProject,
  nearest,
  type ProjectConfig,
  ProjectConfigError,
} from "../pipeline/index.ts";
import {
  buildChartSpec,
  type ChannelDesign,
  type ChartData,
  type ChartDesign,
  type ChartMark,
  ReportError,
} from "../report/index.ts";
import { BUILTIN_CHARTS, type BuiltinChart } from "./builtin-charts.ts";
import { applyChartFilters } from "./chart-filters.ts";
import { LakeUsageError } from "./errors.ts";
import { withProjectEngine } from "./project-engine.ts";
import { queryProject } from "./query.ts";

/** A Vega-Lite specification with its rows inline: what the dashboard's browser and renderChart draw. */
export type ChartSpec = TopLevelSpec;
export { CHART_MARKS, type ChartFormat, renderChart } from "../report/index.ts";

/** A chart the project offers, for a list or a menu. */
export interface ChartSummary {
  readonly name: string;
  readonly title: string;
  readonly description?: string;
  /** The filters it takes (`from`/`to`: a date range, YYYY-MM or YYYY-MM-DD; others: equal to a value). */
  readonly filters: ReadonlyArray<{ readonly name: string; readonly match: "equals" | "from" | "to" }>;
  /** Declared in lake.json, or built into the lake (drawn from the run log). */
  readonly source: "project" | "builtin";
}

/** A chart ready to draw: a Vega-Lite specification with its rows inline. */
export interface ChartResult {
  readonly name: string;
  readonly title: string;
  readonly spec: ChartSpec;
  /** How many rows the chart was drawn from (one point, bar or cell each). */
  readonly rows: number;
  /** The filters that restricted it, by name. */
  readonly filters: Readonly<Record<string, string>>;
}

/** Options of {@link chartSpec}. */
export interface ChartOptions {
  /** Values by filter name; empty values are ignored, and so are filters the chart does not declare. */
  readonly filters?: Readonly<Record<string, string>>;
  /** Refuse a filter the chart does not declare, rather than ignore it (a user naming one by hand). */
  readonly strictFilters?: boolean;
}

/** The project's charts, those of lake.json first (in their order), then the built-in ones. */
export async function listCharts(projectDir: string): Promise<ChartSummary[]> {
  const project = await loadProject(projectDir);
  return allCharts(project).map((c) => ({
    name: c.name,
    title: c.design.title,
    ...(c.design.description ? { description: c.design.description } : {}),
    filters: c.config?.filters.map(({ name, match }) => ({ name, match })) ?? [],
    source: c.config ? "project" : "builtin",
  }));
}

/**
 * The chart `name` of the project in `projectDir`, drawn from its current rows.
 * @throws LakeUsageError for an unknown chart (with the nearest name), a bad filter value, a query
 *   that fails, or a channel naming a column the query does not return (with its columns).
 * @throws ProjectConfigError when a chart's SQL file cannot be read or has no `{{filters}}` for its filters.
 */
export async function chartSpec(
  projectDir: string,
  name: string,
  options: ChartOptions = {},
): Promise<ChartResult> {
  const project = await loadProject(projectDir);
  const charts = allCharts(project);
  const chart = charts.find((c) => c.name === name);
  if (chart === undefined) {
    const names = charts.map((c) => c.name);
    // A chart named by its beginning (monthly_revenue) is as likely as a typo.
    const near = nearest(name, names) ?? names.find((n) => n.startsWith(name));
    throw new LakeUsageError(
      `no chart is called ${name}${near ? `; did you mean ${near}?` : ""} (lake chart --list shows them)`,
    );
  }
  const declared = chart.config?.filters.map((f) => f.name) ?? [];
  const unknown = Object.keys(options.filters ?? {}).find((f) => !declared.includes(f));
  if (options.strictFilters && unknown !== undefined)
    throw new LakeUsageError(
      `chart ${name} has no filter ${unknown}; ${declared.length === 0 ? "it takes none" : `its filters are ${declared.join(", ")}`}`,
    );
  if (chart.config === undefined) {
    const runs = await withProjectEngine(project, (ctx) => listRuns(ctx, project));
    return result(name, chart.design, chart.data([...runs].reverse()), {});
  }
  const { sql, applied } = applyChartFilters(
    chart.config,
    await chartSql(project, chart.config),
    options.filters ?? {},
  );
  const data = await queryProject(projectDir, sql);
  return result(name, chart.design, data, applied);
}

/** What `lake chart --sql` draws: any query's result, with the columns for x, y and colour. */
export interface SqlChartOptions {
  readonly x: string;
  readonly y: string;
  readonly color?: string;
  readonly mark?: ChartMark;
  readonly title?: string;
}

/**
 * A chart of any query over the project's tables.
 * @throws LakeUsageError for a query that fails, or x, y or colour naming a column it does not return.
 */
export async function sqlChartSpec(
  projectDir: string,
  sql: string,
  options: SqlChartOptions,
): Promise<ChartResult> {
  const data = await queryProject(projectDir, sql);
  const channel = (field: string): ChannelDesign => ({ field });
  const design: ChartDesign = {
    title: options.title ?? `${options.y} by ${options.x}`,
    mark: options.mark ?? "line",
    x: channel(options.x),
    y: channel(options.y),
    ...(options.color ? { color: channel(options.color) } : {}),
  };
  return result("query", design, data, {});
}

/** A chart lake.json declares, or a built-in one (with no config, and its rows from the run log). */
type ProjectChart =
  | { readonly name: string; readonly design: ChartDesign; readonly config: ChartConfig }
  | (BuiltinChart & { readonly config?: undefined });

/** lake.json's charts, then the built-in ones whose names the project does not use. */
function allCharts(project: ProjectConfig): ProjectChart[] {
  const declared = project.charts.map((config) => ({ name: config.name, design: designOf(config), config }));
  const taken = new Set(declared.map((c) => c.name));
  return [...declared, ...BUILTIN_CHARTS.filter((b) => !taken.has(b.name))];
}

function designOf(config: ChartConfig): ChartDesign {
  return {
    title: config.title,
    ...(config.description ? { description: config.description } : {}),
    mark: config.mark,
    x: config.x,
    y: config.y,
    ...(config.color ? { color: config.color } : {}),
    ...(config.stack === undefined ? {} : { stack: config.stack }),
  };
}

/** The chart's SQL, inline or from its file; a chart with filters must say where they go. */
async function chartSql(project: ProjectConfig, chart: ChartConfig): Promise<string> {
  const file = resolve(project.root, CONFIG_FILE);
  let sql = chart.query;
  if (sql === undefined) {
    const path = resolve(project.root, chart.sqlFile ?? "");
    try {
      sql = await readFile(path, "utf8");
    } catch (error) {
      throw new ProjectConfigError(
        file,
        `charts.${chart.name}.sqlFile`,
        `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); write the chart's SQL there or give "query"`,
      );
    }
  }
  if (chart.filters.length > 0 && !sql.includes(FILTERS_PLACEHOLDER))
    throw new ProjectConfigError(
      file,
      `charts.${chart.name}.filters`,
      `the chart's SQL has no ${FILTERS_PLACEHOLDER}; put it where the filters' condition goes (WHERE ${FILTERS_PLACEHOLDER})`,
    );
  return sql;
}

function result(
  name: string,
  design: ChartDesign,
  data: ChartData,
  filters: Readonly<Record<string, string>>,
): ChartResult {
  try {
    return { name, title: design.title, spec: buildChartSpec(design, data), rows: data.rows.length, filters };
  } catch (error) {
    if (error instanceof ReportError) throw new LakeUsageError(error.message);
    throw error;
  }
}
