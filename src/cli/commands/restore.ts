/** `lake restore URI --version N` */
import { DeltaContext, restore as restoreTable, storeForLocation } from "../../lake/index.ts";
import { intFlag, onePositional } from "../args.ts";
import { CliError } from "../cli-error.ts";
import type { Command } from "../command.ts";

const usage = `Usage: lake restore URI --version N

Makes the content of version N the current content of the Delta table at URI, as a new commit
(history is kept: the restore itself can be undone).`;

export const restore: Command = {
  summary: "make an old version of a table the current one",
  usage,
  options: { version: { type: "string" } },
  async run(args, io) {
    const uri = onePositional(args, "the table location (URI)", usage);
    const version = intFlag(args, "version");
    if (version === undefined) throw new CliError(`Missing --version N.\n\n${usage}`);
    const m = await DeltaContext.with((ctx) => restoreTable(storeForLocation(uri), ctx.parquet, version));
    io.stdout(
      `Restored version ${m.restoredVersion} as version ${m.version} (${m.filesRestored} files re-added, ${m.filesRemoved} removed).\n`,
    );
  },
};
