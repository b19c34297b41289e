/** `lake history URI [--limit N] [--json]` */
import { DeltaContext, openTable, history as tableHistory, textTable } from "../../lake/index.ts";
import { intFlag, onePositional } from "../args.ts";
import type { Command } from "../command.ts";

const usage = `Usage: lake history URI [--limit N] [--json]

Lists the commits of the Delta table at URI, newest first.

Options:
  --limit N   show at most N commits
  --json      one JSON object per commit and line`;

export const history: Command = {
  summary: "the commit log of a table, newest first",
  usage,
  options: { limit: { type: "string" }, json: { type: "boolean" } },
  async run(args, io) {
    const uri = onePositional(args, "the table location (URI)", usage);
    const limit = intFlag(args, "limit");
    const entries = await DeltaContext.with(async (ctx) => {
      const { store, snapshot } = await openTable(ctx, uri);
      return tableHistory(store, snapshot, limit);
    });
    if (args.values.json) {
      for (const e of entries)
        io.stdout(`${JSON.stringify({ ...e, timestamp: new Date(e.timestamp).toISOString() })}\n`);
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
