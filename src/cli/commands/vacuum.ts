/** `lake vacuum TABLE [--dry-run] [--retention-hours H] [--json] [--project DIR]` */
import { DeltaContext, tableStoreFor, vacuum as vacuumTable } from "../../lake/index.ts";
import { intFlag, JSON_OPTION, onePositional, PROJECT_OPTION, projectFlag, TABLE_ARGUMENT } from "../args.ts";
import type { Command } from "../command.ts";
import { printJson } from "../output.ts";

const usage = `Usage: lake vacuum TABLE [--dry-run] [--retention-hours H] [--json] [--project DIR]

Deletes data files of TABLE that no version within the retention period needs (default: the
table's delta.deletedFileRetentionDuration, 7 days).
${TABLE_ARGUMENT}

Options:
  --dry-run             list the files that would be deleted, delete nothing
  --retention-hours H   keep what versions of the last H hours need (below the table's retention
                        this is refused unless --allow-short-retention is given)
  --allow-short-retention
  --json                print what it deleted (or would) as one JSON document
  --project DIR         the project of a zone.table name`;

export const vacuum: Command = {
  summary: "delete files that no retained version of a table needs",
  usage,
  options: {
    "dry-run": { type: "boolean" },
    "retention-hours": { type: "string" },
    "allow-short-retention": { type: "boolean" },
    ...JSON_OPTION,
    ...PROJECT_OPTION,
  },
  async run(args, io) {
    const target = onePositional(args, "TABLE (zone.table or a location)", usage);
    const hours = intFlag(args, "retention-hours");
    const dryRun = args.values["dry-run"] === true;
    const store = await tableStoreFor(target, projectFlag(args));
    const metrics = await DeltaContext.with((ctx) =>
      vacuumTable(store, ctx.parquet, {
        dryRun,
        allowShortRetention: args.values["allow-short-retention"] === true,
        ...(hours === undefined ? {} : { retentionMs: hours * 3_600_000 }),
      }),
    );
    if (args.values.json) {
      printJson(io, metrics);
      return;
    }
    for (const file of metrics.files) io.stdout(`${dryRun ? "would delete" : "deleted"} ${file}\n`);
    io.stdout(
      `${dryRun ? "Would delete" : "Deleted"} ${metrics.files.length} files (${metrics.bytes} bytes).\n`,
    );
  },
};
