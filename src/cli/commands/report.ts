/** `lake report [--out DIR] [--project DIR]`: writes the lake's self-contained HTML report. */
import { writeReport } from "../../lake/index.ts";
import { PROJECT_OPTION, projectFlag } from "../args.ts";
import { CliError } from "../cli-error.ts";
import type { Command } from "../command.ts";

const usage = `Usage: lake report [--out DIR] [--project DIR]

Writes DIR/report.html (default: the project's report/ folder): one HTML file that opens with no
network, holding the key figures (lake.json's "figures"), every chart (lake chart --list) as SVG,
the last run's steps, rows and times, the data quality (rows failing each rule, rejected landing
files), the tables and their lineage. A chart that cannot be drawn yet (its table is not built)
shows why, in the report and here.

Options:
  --out DIR       the folder to write report.html into
  --project DIR   the project folder (default: the current folder or the nearest parent with lake.json)`;

export const report: Command = {
  summary: "write a self-contained HTML report: key figures, charts, last run, data quality, lineage",
  usage,
  options: { out: { type: "string" }, ...PROJECT_OPTION },
  async run(args, io) {
    if (args.positionals.length > 0)
      throw new CliError(`Unexpected argument "${args.positionals[0]}".\n\n${usage}`);
    const out = typeof args.values.out === "string" ? args.values.out : undefined;
    const summary = await writeReport(projectFlag(args), out === undefined ? {} : { outDir: out });
    for (const problem of summary.problems) io.stderr(`lake: chart not drawn: ${problem}\n`);
    io.stdout(
      `Wrote ${summary.path} (${summary.charts} chart${summary.charts === 1 ? "" : "s"}, ${Math.ceil(summary.bytes / 1024)} KiB)\n`,
    );
  },
};
