/** `lake chart NAME | --sql "SQL" --x COL --y COL | --list`: draws a chart as SVG or PNG. */
import { writeFile } from "node:fs/promises";
import {
  CHART_MARKS,
  type ChartResult,
  chartSpec,
  listCharts,
  renderChart,
  sqlChartSpec,
  textTable,
} from "../../lake/index.ts";
import { choiceFlag, JSON_OPTION, PROJECT_OPTION, projectFlag } from "../args.ts";
import { CliError } from "../cli-error.ts";
import type { Command, CommandArgs } from "../command.ts";
import { printJson } from "../output.ts";

const usage = `Usage: lake chart NAME [--out FILE.svg|FILE.png] [--filter NAME=VALUE]... [--project DIR]
       lake chart --sql "SQL" --x COLUMN --y COLUMN [--color COLUMN] [--mark line|bar|point|area|rect]
                  [--title TEXT] [--out FILE.svg|FILE.png] [--project DIR]
       lake chart --list [--json] [--project DIR]

Draws one of the project's charts (those of lake.json's "charts", and the built-in data_quality and
run_times), or the result of any query over the project's tables, named zone.table:
  lake chart monthly_revenue_by_region --out revenue.png
  lake chart monthly_revenue_by_region --filter region=North --filter from=2024-01
  lake chart --sql "SELECT category, sum(revenue) AS revenue FROM gold.monthly_sales_summary GROUP BY ALL" \\
             --x category --y revenue --mark bar
Without --out the SVG goes to standard output.

Options:
  --out FILE          write the chart to FILE: .svg, or .png (twice the size, for screens and slides)
  --filter NAME=VALUE restrict the chart by one of its filters (lake chart --list names them; from
                      and to take a date: 2024-05 or 2024-05-31)
  --sql SQL           draw this query's result instead of a named chart, with --x, --y, --color
  --mark MARK         --sql: line (default), bar, point, area or rect
  --title TEXT        --sql: the chart's title (default: "Y by X")
  --list              list the charts, their titles and filters
  --json              --list: as one JSON document
  --project DIR       the project folder (default: the current folder or the nearest parent with lake.json)`;

export const chart: Command = {
  summary: "draw a chart of the marts (or of any query) as SVG or PNG",
  usage,
  options: {
    out: { type: "string" },
    filter: { type: "string", multiple: true },
    sql: { type: "string" },
    x: { type: "string" },
    y: { type: "string" },
    color: { type: "string" },
    mark: { type: "string" },
    title: { type: "string" },
    list: { type: "boolean" },
    ...JSON_OPTION,
    ...PROJECT_OPTION,
  },
  async run(args, io) {
    const project = projectFlag(args);
    if (args.values.list === true) {
      if (args.positionals.length > 0) throw new CliError(`--list takes no chart name.\n\n${usage}`);
      const charts = await listCharts(project);
      if (args.values.json === true) printJson(io, charts);
      else {
        const rows = charts.map((c) => [c.name, c.title, c.filters.map((f) => f.name).join(", ")]);
        io.stdout(`${textTable(["chart", "title", "filters"], rows)}\n`);
      }
      return;
    }
    const out = outFlag(args);
    const result =
      typeof args.values.sql === "string" ? await sqlChart(args, project) : await namedChart(args, project);
    if (out === undefined) {
      io.stdout(await renderChart(result.spec, "svg"));
      return;
    }
    await writeFile(out.file, await renderChart(result.spec, out.format));
    io.stdout(
      `Wrote ${out.file}: ${result.title}, drawn from ${result.rows} row${result.rows === 1 ? "" : "s"}\n`,
    );
  },
};

async function namedChart(args: CommandArgs, project: string): Promise<ChartResult> {
  for (const flag of ["x", "y", "color", "mark", "title"])
    if (args.values[flag] !== undefined) throw new CliError(`--${flag} goes with --sql.\n\n${usage}`);
  const [name, ...extra] = args.positionals;
  if (name === undefined) throw new CliError(`Missing the chart's name (or --sql, or --list).\n\n${usage}`);
  if (extra.length > 0) throw new CliError(`Unexpected argument "${extra[0]}".\n\n${usage}`);
  const filters: Record<string, string> = {};
  for (const given of (args.values.filter as string[] | undefined) ?? []) {
    const at = given.indexOf("=");
    if (at < 1) throw new CliError(`--filter takes NAME=VALUE, got "${given}"`);
    filters[given.slice(0, at)] = given.slice(at + 1);
  }
  return chartSpec(project, name, { filters, strictFilters: true });
}

async function sqlChart(args: CommandArgs, project: string): Promise<ChartResult> {
  if (args.positionals.length > 0)
    throw new CliError(`Give a chart's name or --sql, not both ("${args.positionals[0]}").\n\n${usage}`);
  if (args.values.filter !== undefined)
    throw new CliError("--filter applies to a named chart; put the condition in the SQL");
  const column = (flag: string) => {
    const value = args.values[flag];
    if (typeof value !== "string" || value === "")
      throw new CliError(`--sql needs --${flag} COLUMN.\n\n${usage}`);
    return value;
  };
  const color = args.values.color;
  const title = args.values.title;
  return sqlChartSpec(project, args.values.sql as string, {
    x: column("x"),
    y: column("y"),
    ...(typeof color === "string" ? { color } : {}),
    ...(typeof title === "string" ? { title } : {}),
    mark: choiceFlag(args, "mark", CHART_MARKS, "line"),
  });
}

/** Where --out writes and in which format, from its extension. */
function outFlag(args: CommandArgs): { file: string; format: "svg" | "png" } | undefined {
  const file = args.values.out;
  if (file === undefined) return undefined;
  const format = typeof file === "string" ? /\.(svg|png)$/i.exec(file)?.[1]?.toLowerCase() : undefined;
  if (format !== "svg" && format !== "png")
    throw new CliError(`--out must name a .svg or .png file, got "${String(file)}"`);
  return { file: file as string, format };
}
