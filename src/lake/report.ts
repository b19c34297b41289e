/**
 * `lake report`: gathers what the lake knows (key figures, charts, the run log, the landing log, the
 * tables and their lineage) and has report/ write it as one self-contained HTML file.
 */
import { mkdir, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { DeltaError } from "../delta/index.ts";
import {
  listRuns,
  loadProject,
  type ProjectConfig,
  ProjectConfigError,
  type RunRecord,
} from "../pipeline/index.ts";
import {
  type ReportChart,
  type ReportContent,
  type ReportFigure,
  type ReportRule,
  type ReportStep,
  renderSvg,
  reportHtml,
} from "../report/index.ts";
import { modelCounts, ruleFailures } from "./builtin-charts.ts";
import { chartSpec, listCharts } from "./charts.ts";
import { LakeUsageError } from "./errors.ts";
import { projectLineage } from "./lineage.ts";
import { projectStatus } from "./project.ts";
import { withProjectEngine } from "./project-engine.ts";
import { queryProject } from "./query.ts";

/** The report's file name in its folder. */
export const REPORT_FILE = "report.html";

/** What {@link writeReport} wrote. */
export interface ReportSummary {
  /** The HTML file (absolute). */
  readonly path: string;
  readonly bytes: number;
  readonly charts: number;
  /** Charts that could not be drawn (a table not built yet, a query that fails), with why. */
  readonly problems: readonly string[];
}

/**
 * Writes the report of the project in `projectDir` to `<outDir>/report.html` (default: the project's
 * `report/` folder). A chart or figure that cannot be computed shows its problem in the report rather
 * than stopping it.
 * @throws ProjectConfigError for a project that cannot be loaded; LakeUsageError when `outDir` is a file.
 */
export async function writeReport(
  projectDir: string,
  options: { readonly outDir?: string } = {},
): Promise<ReportSummary> {
  const content = await gatherReport(projectDir);
  const project = await loadProject(projectDir);
  const dir = resolve(options.outDir ?? join(project.root, "report"));
  if ((await stat(dir).catch(() => undefined))?.isDirectory() === false)
    throw new LakeUsageError(`${dir} is a file: give the folder to write ${REPORT_FILE} into`);
  await mkdir(dir, { recursive: true });
  const path = join(dir, REPORT_FILE);
  const html = reportHtml(content);
  await writeFile(path, html);
  const problems = content.charts.flatMap((c) => ("problem" in c ? [`${c.title}: ${c.problem}`] : []));
  return { path, bytes: Buffer.byteLength(html), charts: content.charts.length - problems.length, problems };
}

/** Everything the report shows, read from the project in `projectDir`. */
export async function gatherReport(projectDir: string): Promise<ReportContent> {
  const { project, tables, files } = await projectStatus(projectDir);
  const runs = await withProjectEngine(project, (ctx) => listRuns(ctx, project));
  const charts: ReportChart[] = [];
  for (const { name, title, description } of await listCharts(projectDir)) {
    const about = { title, ...(description ? { description } : {}) };
    try {
      const chart = await chartSpec(projectDir, name);
      charts.push({ ...about, svg: await renderSvg(chart.spec), rows: chart.rows });
    } catch (error) {
      charts.push({ ...about, problem: problemOf(error) });
    }
  }
  const lastRun = runs[0];
  return {
    project: project.name,
    generatedAt: Date.now(),
    figures: await figures(project),
    charts,
    tables,
    ...(lastRun === undefined ? {} : { lastRun: { ...lastRun, steps: steps(lastRun) } }),
    runs: runs.length,
    rules: rules(project, runs),
    rejectedFiles: files
      .filter((f) => f.state === "rejected")
      .map((f) => ({ file: f.file, reason: f.last?.reason ?? "", at: f.last?.at ?? 0 })),
    lineage: await projectLineage(project),
  };
}

async function figures(project: ProjectConfig): Promise<ReportFigure[]> {
  const out: ReportFigure[] = [];
  for (const figure of project.figures) {
    const base = { title: figure.title, ...(figure.format ? { format: figure.format } : {}) };
    try {
      const { columns, rows } = await queryProject(project.root, figure.query, 1);
      const value = rows[0]?.[columns[0] ?? ""];
      out.push({
        ...base,
        value: typeof value === "number" || typeof value === "string" ? value : null,
        ...(figure.description ? { description: figure.description } : {}),
      });
    } catch (error) {
      out.push({ ...base, value: null, description: problemOf(error) });
    }
  }
  return out;
}

/** The steps of a run from its counts: each source's ingest, then each model's build. */
function steps(run: RunRecord): ReportStep[] {
  const sources = Object.entries(run.counts.bronze ?? {}).map(([source, c]) => ({
    step: `bronze.${source}`,
    rows: c.rows ?? 0,
    setAside: c.rejects ?? 0,
    detail: `${c.files ?? 0} new file${c.files === 1 ? "" : "s"} loaded`,
  }));
  const models = Object.entries(modelCounts(run)).map(([table, c]) => ({
    step: table,
    rows: c.rows ?? 0,
    setAside: c.quarantined ?? 0,
    detail: c.rebuilt === false ? "up to date" : `${c.inputRows ?? 0} input rows`,
    ...(c.seconds === undefined ? {} : { seconds: c.seconds }),
  }));
  return [...sources, ...models];
}

/** Every declared rule, with the rows that failed it in the last run and in all recorded runs. */
function rules(project: ProjectConfig, runs: readonly RunRecord[]): ReportRule[] {
  const failed = (run: RunRecord | undefined, table: string, rule: string) =>
    run === undefined
      ? 0
      : (ruleFailures(run).find((f) => f.table === table && f.rule === rule)?.failed ?? 0);
  return project.models.flatMap((model) =>
    model.expectations.map((e) => {
      const table = `${model.zone}.${model.name}`;
      return {
        table,
        rule: e.name,
        action: e.action,
        ...(e.description ? { description: e.description } : {}),
        lastRun: failed(runs[0], table, e.name),
        allRuns: runs.reduce((total, run) => total + failed(run, table, e.name), 0),
      };
    }),
  );
}

/** Why a chart or figure could not be computed; anything but a mistake or a missing table is thrown. */
function problemOf(error: unknown): string {
  if (error instanceof LakeUsageError || error instanceof ProjectConfigError || error instanceof DeltaError)
    return error.message;
  throw error;
}
