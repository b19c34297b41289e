/** `lake optimize URI [--target-size-mb N]` */
import { DeltaContext, optimizeTable, storeForLocation } from "../../lake/index.ts";
import { intFlag, onePositional } from "../args.ts";
import type { Command } from "../command.ts";

const usage = `Usage: lake optimize URI [--target-size-mb N]

Compacts the small data files of the Delta table at URI, partition by partition. The rows do not
change (the commit has dataChange=false), so it never conflicts with concurrent appends.

Options:
  --target-size-mb N   files below N MiB are merged into files of about N MiB (default 128)`;

export const optimize: Command = {
  summary: "compact small data files of a table",
  usage,
  options: { "target-size-mb": { type: "string" } },
  async run(args, io) {
    const uri = onePositional(args, "the table location (URI)", usage);
    const mb = intFlag(args, "target-size-mb");
    const m = await DeltaContext.with((ctx) =>
      optimizeTable(
        ctx,
        storeForLocation(uri),
        mb === undefined ? {} : { targetFileSizeBytes: mb * 1024 * 1024 },
      ),
    );
    io.stdout(
      m.version === undefined
        ? "Nothing to compact.\n"
        : `Version ${m.version}: compacted ${m.filesRemoved} files into ${m.filesAdded} in ${m.partitionsOptimized} partitions.\n`,
    );
  },
};
