/** `lake query "SQL" | -f FILE [--format table|jsonl|csv] [--json] [--limit N] [--project DIR]` */
import { readFile } from "node:fs/promises";
import { streamQuery } from "../../lake/index.ts";
import { intFlag, JSON_OPTION, PROJECT_OPTION, projectFlag, rowFormatFlag } from "../args.ts";
import { CliError } from "../cli-error.ts";
import type { Command } from "../command.ts";
import { printRows, ROW_FORMATS } from "../output.ts";

const usage = `Usage: lake query "SQL" [--format table|jsonl|csv] [--limit N] [--project DIR]
       lake query -f FILE.sql [...]

Runs SQL (DuckDB's dialect) over the project's tables, named zone.table:
  lake query "SELECT region, sum(revenue) FROM gold.monthly_sales_summary GROUP BY ALL"
Time travel: zone.table@v3 reads version 3, zone.table@2024-05-01T12:00:00Z the version current then:
  lake query "SELECT count(*) FROM silver.sales_enriched@v0"
The run log is the table _system.runs (run_id, started_at, ended_at, status, error, counts as JSON):
  lake query "SELECT run_id, status, ended_at - started_at AS took FROM _system.runs ORDER BY started_at DESC"
Rows stream: any number of them prints in bounded memory.

Options:
  -f, --file FILE   read the SQL from FILE
  --format FORMAT   table (default; column widths from the first 1,000 rows, a longer
                    value widens its column from there), jsonl (one JSON object per line) or csv
  --json            the same as --format jsonl
  --limit N         at most N rows
  --project DIR     the project folder (default: the current folder or the nearest parent with lake.json)`;

export const query: Command = {
  summary: "SQL over the project's tables, with time travel (table@v3, table@2024-05-01T12:00:00Z)",
  usage,
  options: {
    file: { type: "string", short: "f" },
    format: { type: "string" },
    limit: { type: "string" },
    ...JSON_OPTION,
    ...PROJECT_OPTION,
  },
  async run(args, io) {
    const sql = await sqlOf(args.values.file, args.positionals);
    const format = rowFormatFlag(args, ROW_FORMATS, "table");
    const limit = intFlag(args, "limit");
    await streamQuery(projectFlag(args), sql, limit === undefined ? {} : { limit }, async (result) => {
      const count = await printRows(io, format, result.columns, result.batches);
      if (format === "table") io.stdout(`(${count} rows)\n`);
    });
  },
};

/** The SQL given as the argument or in the file of `-f`. */
async function sqlOf(file: unknown, positionals: readonly string[]): Promise<string> {
  if (typeof file === "string") {
    if (positionals.length > 0)
      throw new CliError(`Give the SQL as an argument or with -f FILE, not both.\n\n${usage}`);
    try {
      return await readFile(file, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new CliError(
        code === "ENOENT"
          ? `-f ${file}: no such file`
          : `-f ${file}: cannot read it (${(error as Error).message})`,
      );
    }
  }
  const [sql, ...extra] = positionals;
  if (sql === undefined) throw new CliError(`Missing the SQL query (or -f FILE).\n\n${usage}`);
  if (extra.length > 0) throw new CliError(`Unexpected argument "${extra[0]}".\n\n${usage}`);
  return sql;
}
