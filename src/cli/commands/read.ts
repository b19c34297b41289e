/** `lake read TABLE [--version N | --timestamp ISO] [--format jsonl|csv|table] [--json] [--limit N] [--project DIR]` */
import { DeltaContext, openTable, rowValues, tableRowBatches } from "../../lake/index.ts";
import {
  intFlag,
  JSON_OPTION,
  onePositional,
  PROJECT_OPTION,
  projectFlag,
  rowFormatFlag,
  TABLE_ARGUMENT,
  timestampFlag,
} from "../args.ts";
import { CliError } from "../cli-error.ts";
import type { Command } from "../command.ts";
import { printRows, ROW_FORMATS } from "../output.ts";

const usage = `Usage: lake read TABLE [--version N | --timestamp ISO] [--format jsonl|csv|table] [--limit N]

Prints the rows of TABLE, at the latest version unless --version or --timestamp says otherwise.
Rows stream: any number of them prints in bounded memory.
${TABLE_ARGUMENT}

Options:
  --version N        read version N
  --timestamp ISO    read the version that was current at this instant (e.g. 2024-05-01T12:00:00Z)
  --format FORMAT    jsonl (default; one canonical JSON object per line), csv, or table (column
                     widths from the first 1,000 rows; a longer value widens its column from there)
  --json             the same as --format jsonl
  --limit N          print at most N rows
  --project DIR      the project of a zone.table name`;

export const read: Command = {
  summary: "print the rows of a table, optionally at an older version or timestamp",
  usage,
  options: {
    version: { type: "string" },
    timestamp: { type: "string" },
    format: { type: "string" },
    limit: { type: "string" },
    ...JSON_OPTION,
    ...PROJECT_OPTION,
  },
  async run(args, io) {
    const target = onePositional(args, "TABLE (zone.table or a location)", usage);
    const version = intFlag(args, "version");
    const timestamp = timestampFlag(args, "timestamp");
    if (version !== undefined && timestamp !== undefined)
      throw new CliError("Give --version or --timestamp, not both.");
    const format = rowFormatFlag(args, ROW_FORMATS, "jsonl");
    const limit = intFlag(args, "limit");
    await DeltaContext.with(async (ctx) => {
      const at = {
        ...(version === undefined ? {} : { version }),
        ...(timestamp === undefined ? {} : { timestamp }),
      };
      const { store, snapshot } = await openTable(ctx, target, at, projectFlag(args));
      const columns = snapshot.schema.fields.map((f) => f.name);
      const batches = async function* () {
        for await (const rows of tableRowBatches(ctx, snapshot, store, limit))
          yield rows.map((row) => rowValues(row, snapshot.schema));
      };
      const count = await printRows(io, format, columns, batches());
      if (format === "table") io.stdout(`(${count} rows, version ${snapshot.version})\n`);
    });
  },
};
