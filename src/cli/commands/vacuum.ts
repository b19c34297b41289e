/** `lake vacuum URI [--dry-run] [--retention-hours H]` */
import { DeltaContext, storeForLocation, vacuum as vacuumTable } from "../../lake/index.ts";
import { intFlag, onePositional } from "../args.ts";
import type { Command } from "../command.ts";

const usage = `Usage: lake vacuum URI [--dry-run] [--retention-hours H]

Deletes data files of the Delta table at URI that no version within the retention period needs
(default: the table's delta.deletedFileRetentionDuration, 7 days).

Options:
  --dry-run             list the files that would be deleted, delete nothing
  --retention-hours H   keep what versions of the last H hours need (below the table's retention
                        this is refused unless --allow-short-retention is given)
  --allow-short-retention`;

export const vacuum: Command = {
  summary: "delete files that no retained version of a table needs",
  usage,
  options: {
    "dry-run": { type: "boolean" },
    "retention-hours": { type: "string" },
    "allow-short-retention": { type: "boolean" },
  },
  async run(args, io) {
    const uri = onePositional(args, "the table location (URI)", usage);
    const hours = intFlag(args, "retention-hours");
    const dryRun = args.values["dry-run"] === true;
    const metrics = await DeltaContext.with((ctx) =>
      vacuumTable(storeForLocation(uri), ctx.parquet, {
        dryRun,
        allowShortRetention: args.values["allow-short-retention"] === true,
        ...(hours === undefined ? {} : { retentionMs: hours * 3_600_000 }),
      }),
    );
    for (const file of metrics.files) io.stdout(`${dryRun ? "would delete" : "deleted"} ${file}\n`);
    io.stdout(
      `${dryRun ? "Would delete" : "Deleted"} ${metrics.files.length} files (${metrics.bytes} bytes).\n`,
    );
  },
};
