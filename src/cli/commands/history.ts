/** `lake history TABLE [--limit N] [--json] [--project DIR]` */
import { DeltaContext, openTable, history as tableHistory, textTable } from "../../lake/index.ts";
import { intFlag, JSON_OPTION, onePositional, PROJECT_OPTION, projectFlag, TABLE_ARGUMENT } from "../args.ts";
import type { Command } from "../command.ts";
import { printJson } from "../output.ts";

const usage = `Usage: lake history TABLE [--limit N] [--json] [--project DIR]

Lists the commits of TABLE, newest first.
${TABLE_ARGUMENT}

Options:
  --limit N       show at most N commits
  --json          one JSON document: {"table": location, "commits": [...]}, newest first
  --project DIR   the project of a zone.table name`;

export const history: Command = {
  summary: "the commit log of a table, newest first",
  usage,
  options: { limit: { type: "string" }, ...JSON_OPTION, ...PROJECT_OPTION },
  async run(args, io) {
    const target = onePositional(args, "TABLE (zone.table or a location)", usage);
    const limit = intFlag(args, "limit");
    const { location, entries } = await DeltaContext.with(async (ctx) => {
      const { store, snapshot } = await openTable(ctx, target, {}, projectFlag(args));
      return { location: snapshot.location, entries: await tableHistory(store, snapshot, limit) };
    });
    if (args.values.json) {
      const commits = entries.map((e) => ({ ...e, timestamp: new Date(e.timestamp).toISOString() }));
      printJson(io, { table: location, commits });
      return;
    }
    const rows = entries.map((e) => [
      e.version,
      new Date(e.timestamp).toISOString(),
      e.operation ?? "",
      `+${e.adds} -${e.removes}`,
      JSON.stringify(e.operationParameters),
      e.engineInfo ?? "",
    ]);
    io.stdout(`${textTable(["version", "timestamp", "operation", "files", "parameters", "engine"], rows)}\n`);
  },
};
