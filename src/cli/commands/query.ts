/** `lake query "SQL" [--format table|jsonl|csv] [--limit N] [--project DIR]` */
import { csvLine, queryProject, stableStringify, textTable } from "../../lake/index.ts";
import { choiceFlag, intFlag, onePositional } from "../args.ts";
import type { Command } from "../command.ts";

const usage = `Usage: lake query "SQL" [--format table|jsonl|csv] [--limit N] [--project DIR]

Runs SQL (DuckDB's dialect) over the project's tables, named zone.table:
  lake query "SELECT region, sum(revenue) FROM gold.monthly_sales_summary GROUP BY ALL"
Time travel: zone.table@v3 reads version 3, zone.table@2024-05-01T12:00:00Z the version current then:
  lake query "SELECT count(*) FROM silver.sales_enriched@v0"

Options:
  --format FORMAT   table (default), jsonl or csv
  --limit N         at most N rows
  --project DIR     the project folder (default: the current folder or the nearest parent with lake.json)`;

export const query: Command = {
  summary: "SQL over the project's tables, with time travel (table@v3, table@2024-05-01T12:00:00Z)",
  usage,
  options: { format: { type: "string" }, limit: { type: "string" }, project: { type: "string" } },
  async run(args, io) {
    const sql = onePositional(args, "the SQL query", usage);
    const format = choiceFlag(args, "format", ["table", "jsonl", "csv"] as const, "table");
    const limit = intFlag(args, "limit");
    const result = await queryProject(
      typeof args.values.project === "string" ? args.values.project : ".",
      sql,
      limit,
    );
    const values = result.rows.map((row) => result.columns.map((c) => (row[c] ?? null) as never));
    if (format === "jsonl") {
      for (const row of result.rows) io.stdout(`${stableStringify(row as never)}\n`);
    } else if (format === "csv") {
      io.stdout(`${csvLine(result.columns)}\n`);
      for (const row of values) io.stdout(`${csvLine(row)}\n`);
    } else {
      io.stdout(`${textTable(result.columns, values)}\n(${values.length} rows)\n`);
    }
  },
};
