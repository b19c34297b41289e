/** `lake read URI [--version N | --timestamp ISO] [--format jsonl|csv|table] [--limit N]` */
import {
  canonicalJson,
  csvLine,
  DeltaContext,
  openTable,
  rowValues,
  scanRows,
  textTable,
} from "../../lake/index.ts";
import { choiceFlag, intFlag, onePositional, timestampFlag } from "../args.ts";
import { CliError } from "../cli-error.ts";
import type { Command } from "../command.ts";

const usage = `Usage: lake read URI [--version N | --timestamp ISO] [--format jsonl|csv|table] [--limit N]

Prints the rows of the Delta table at URI (a folder or file:// URI), at the latest version unless
--version or --timestamp says otherwise.

Options:
  --version N        read version N
  --timestamp ISO    read the version that was current at this instant (e.g. 2024-05-01T12:00:00Z)
  --format FORMAT    jsonl (default; one canonical JSON object per line), csv, or table
  --limit N          print at most N rows`;

export const read: Command = {
  summary: "print the rows of a table, optionally at an older version or timestamp",
  usage,
  options: {
    version: { type: "string" },
    timestamp: { type: "string" },
    format: { type: "string" },
    limit: { type: "string" },
  },
  async run(args, io) {
    const uri = onePositional(args, "the table location (URI)", usage);
    const version = intFlag(args, "version");
    const timestamp = timestampFlag(args, "timestamp");
    if (version !== undefined && timestamp !== undefined)
      throw new CliError("Give --version or --timestamp, not both.");
    const format = choiceFlag(args, "format", ["jsonl", "csv", "table"] as const, "jsonl");
    const limit = intFlag(args, "limit");
    await DeltaContext.with(async (ctx) => {
      const { store, snapshot } = await openTable(ctx, uri, {
        ...(version === undefined ? {} : { version }),
        ...(timestamp === undefined ? {} : { timestamp }),
      });
      const rows = scanRows(snapshot, store, ctx.parquet, limit === undefined ? {} : { limit });
      const header = snapshot.schema.fields.map((f) => f.name);
      if (format === "jsonl") {
        for await (const row of rows) io.stdout(`${canonicalJson(row, snapshot.schema)}\n`);
      } else if (format === "csv") {
        io.stdout(`${csvLine(header)}\n`);
        for await (const row of rows) io.stdout(`${csvLine(rowValues(row, snapshot.schema))}\n`);
      } else {
        const values = [];
        for await (const row of rows) values.push(rowValues(row, snapshot.schema));
        io.stdout(`${textTable(header, values)}\n(${values.length} rows, version ${snapshot.version})\n`);
      }
    });
  },
};
