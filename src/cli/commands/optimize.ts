/** `lake optimize TABLE [--target-size-mb N] [--json] [--project DIR]` */
import { DeltaContext, optimizeTable, tableStoreFor } from "../../lake/index.ts";
import { intFlag, JSON_OPTION, onePositional, PROJECT_OPTION, projectFlag, TABLE_ARGUMENT } from "../args.ts";
import type { Command } from "../command.ts";
import { printJson } from "../output.ts";

const usage = `Usage: lake optimize TABLE [--target-size-mb N] [--json] [--project DIR]

Compacts the small data files of TABLE, partition by partition. The rows do not change (the commit
has dataChange=false), so it never conflicts with concurrent appends.
${TABLE_ARGUMENT}

Options:
  --target-size-mb N   files below N MiB are merged into files of about N MiB (default 128)
  --json               print what it did as one JSON document
  --project DIR        the project of a zone.table name`;

export const optimize: Command = {
  summary: "compact small data files of a table",
  usage,
  options: { "target-size-mb": { type: "string" }, ...JSON_OPTION, ...PROJECT_OPTION },
  async run(args, io) {
    const target = onePositional(args, "TABLE (zone.table or a location)", usage);
    const mb = intFlag(args, "target-size-mb");
    const store = await tableStoreFor(target, projectFlag(args));
    const m = await DeltaContext.with((ctx) =>
      optimizeTable(ctx, store, mb === undefined ? {} : { targetFileSizeBytes: mb * 1024 * 1024 }),
    );
    if (args.values.json) {
      printJson(io, { ...m, version: m.version ?? null });
      return;
    }
    io.stdout(
      m.version === undefined
        ? "Nothing to compact.\n"
        : `Version ${m.version}: compacted ${m.filesRemoved} files into ${m.filesAdded} in ${m.partitionsOptimized} partitions.\n`,
    );
  },
};
