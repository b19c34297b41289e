/** `lake demo [--rows N] [--dir DIR] [--json]` */
import { type DemoSummary, runDemo, textTable } from "../../lake/index.ts";
import { intFlag, JSON_OPTION } from "../args.ts";
import type { Command } from "../command.ts";
import { lakeCommand, shellWord } from "../invocation.ts";
import { printJson } from "../output.ts";

const usage = `Usage: lake demo [--rows N] [--dir DIR] [--json]

Runs the whole product on the synthetic retail dataset in DIR (default ./demo-lake): generates
N sales rows (default 1,000,000; 10,000,000 is the reference workload) with customers, products and
locations, creates a project, lands 9 of the 10 sales files and runs landing → bronze → silver →
gold, then lands the last file and runs again incrementally, and prints what each layer holds.
DIR is replaced when it holds an earlier demo; anything else there is refused, never deleted.

Options:
  --rows N    sales rows to generate (default 1000000)
  --dir DIR   the demo project folder (default ./demo-lake)
  --json      print what the demo did as one JSON document instead of progress and a report`;

export const demo: Command = {
  summary: "generate retail data and run the whole pipeline on it",
  usage,
  options: { rows: { type: "string" }, dir: { type: "string" }, ...JSON_OPTION },
  async run(args, io) {
    const rows = intFlag(args, "rows") ?? 1_000_000;
    const dir = typeof args.values.dir === "string" ? args.values.dir : "demo-lake";
    const json = args.values.json === true;
    const summary = await runDemo(dir, rows, json ? () => {} : (line) => io.stdout(`${line}\n`));
    if (json) printJson(io, summary);
    else io.stdout(`\n${report(summary, lakeCommand())}`);
  },
};

/** What the demo did, and commands to explore it that work from any folder (`lake` is how to run lake). */
function report(s: DemoSummary, lake: string): string {
  const project = shellWord(s.projectDir);
  const caught = s.fullRun.models.flatMap((m) =>
    m.expectations.filter((e) => e.failed > 0).map((e) => [m.table, e.name, e.action, e.failed]),
  );
  const tables = s.tables.map((t) => [`${t.zone}.${t.table}`, t.version, t.files, t.rows ?? "unknown"]);
  const regions = s.revenueByRegion.map((r) => [String(r.region), String(r.revenue), String(r.orders)]);
  return [
    `Generated in ${s.seconds.generate.toFixed(1)} s; full run ${s.seconds.fullRun.toFixed(1)} s; incremental run ${s.seconds.incrementalRun.toFixed(1)} s.`,
    "",
    "What the expectations caught in the full run:",
    textTable(["model", "rule", "action", "rows"], caught),
    "",
    "Tables:",
    textTable(["table", "version", "files", "rows"], tables),
    "",
    "Revenue by region (gold.regional_performance):",
    textTable(["region", "revenue", "orders"], regions),
    "",
    `Report: ${s.reportPath}`,
    "",
    "Explore it:",
    `  ${lake} status --project ${project}`,
    `  ${lake} query "SELECT * FROM gold.monthly_sales_summary ORDER BY revenue DESC LIMIT 5" --project ${project}`,
    `  ${lake} query "SELECT * FROM silver.sales_enriched_quarantine LIMIT 5" --project ${project}`,
    `  ${lake} history silver.sales_enriched --project ${project}`,
    `  ${lake} query "SELECT run_id, status, ended_at - started_at AS took FROM _system.runs" --project ${project}`,
    "",
  ].join("\n");
}
