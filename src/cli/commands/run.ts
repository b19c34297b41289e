/** `lake run [--project DIR] [--json]` */
import { runPipeline } from "../../lake/index.ts";
import type { Command } from "../command.ts";

const usage = `Usage: lake run [--project DIR] [--json]

Runs the pipeline: every landing file not yet loaded goes to its source's bronze table (columns as
text plus _ingested_at, _source_file, _source_row); malformed lines go to <source>_rejects with the
reason. Re-running loads nothing twice.

Options:
  --project DIR   the project folder (default: the current folder or the nearest parent with lake.json)
  --json          print the run summary as JSON`;

export const run: Command = {
  summary: "load new landing files through the pipeline",
  usage,
  options: { project: { type: "string" }, json: { type: "boolean" } },
  async run(args, io) {
    const projectDir = typeof args.values.project === "string" ? args.values.project : ".";
    const json = args.values.json === true;
    const summary = await runPipeline(projectDir, json ? () => {} : (line) => io.stdout(`${line}\n`));
    if (json) {
      io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
      return;
    }
    io.stdout(`Run ${summary.runId}\n`);
    for (const { source, files } of summary.bronze) {
      const loaded = files.filter((f) => f.ingested);
      const rows = loaded.reduce((sum, f) => sum + f.bronzeRows, 0);
      const rejects = loaded.reduce((sum, f) => sum + f.rejects, 0);
      io.stdout(`bronze.${source}: ${loaded.length} new files, ${rows} rows, ${rejects} rejected lines\n`);
    }
  },
};
