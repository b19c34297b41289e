/** `lake restore TABLE --version N [--json] [--project DIR]` */
import { DeltaContext, restore as restoreTable, tableStoreFor } from "../../lake/index.ts";
import { intFlag, JSON_OPTION, onePositional, PROJECT_OPTION, projectFlag, TABLE_ARGUMENT } from "../args.ts";
import { CliError } from "../cli-error.ts";
import type { Command } from "../command.ts";
import { printJson } from "../output.ts";

const usage = `Usage: lake restore TABLE --version N [--json] [--project DIR]

Makes the content of version N the current content of TABLE, as a new commit (history is kept: the
restore itself can be undone).
${TABLE_ARGUMENT}

Options:
  --version N     the version to restore
  --json          print what it did as one JSON document
  --project DIR   the project of a zone.table name`;

export const restore: Command = {
  summary: "make an old version of a table the current one",
  usage,
  options: { version: { type: "string" }, ...JSON_OPTION, ...PROJECT_OPTION },
  async run(args, io) {
    const target = onePositional(args, "TABLE (zone.table or a location)", usage);
    const version = intFlag(args, "version");
    if (version === undefined) throw new CliError(`Missing --version N.\n\n${usage}`);
    const store = await tableStoreFor(target, projectFlag(args));
    const m = await DeltaContext.with((ctx) => restoreTable(store, ctx.parquet, version));
    if (args.values.json) {
      printJson(io, m);
      return;
    }
    io.stdout(
      `Restored version ${m.restoredVersion} as version ${m.version} (${m.filesRestored} files re-added, ${m.filesRemoved} removed).\n`,
    );
  },
};
