/** `lake demo [--rows N] [--dir DIR]` */
import { runDemo } from "../../lake/index.ts";
import { intFlag } from "../args.ts";
import type { Command } from "../command.ts";

const usage = `Usage: lake demo [--rows N] [--dir DIR]

Writes a small partitioned Delta table of synthetic sales to DIR/sales (default ./demo-lake),
appends, deletes, compacts, and reads it back at the latest and the first version. A sales table
left by an earlier demo is replaced; anything else at DIR/sales is refused, never deleted.

Options:
  --rows N    rows per batch (default 10000)
  --dir DIR   where to write (default ./demo-lake)`;

export const demo: Command = {
  summary: "write and read a small Delta table end to end",
  usage,
  options: { rows: { type: "string" }, dir: { type: "string" } },
  async run(args, io) {
    const rows = intFlag(args, "rows") ?? 10_000;
    const dir = typeof args.values.dir === "string" ? args.values.dir : "demo-lake";
    const summary = await runDemo(dir, rows, (line) => io.stdout(`${line}\n`));
    io.stdout(
      `\nDone. Inspect it with:\n  npm run lake -- describe ${summary.tablePath}\n  npm run lake -- history ${summary.tablePath}\n  npm run lake -- read ${summary.tablePath} --format table --limit 10\n`,
    );
  },
};
