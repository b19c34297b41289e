/** `lake ingest FILE... [--project DIR]` */
import { ingestFiles } from "../../lake/index.ts";
import { CliError } from "../cli-error.ts";
import type { Command } from "../command.ts";

const usage = `Usage: lake ingest FILE... [--project DIR]

Copies files into the project's landing zone, each under the source whose file pattern matches its
name (landing/<source>/<file>). Landing is write-once: the same file again is skipped, a different
file under a taken name is refused. Then run "lake run" to load them.

Options:
  --project DIR   the project folder (default: the current folder or the nearest parent with lake.json)`;

export const ingest: Command = {
  summary: "put files into the landing zone (write-once)",
  usage,
  options: { project: { type: "string" } },
  async run(args, io) {
    if (args.positionals.length === 0) throw new CliError(`Missing FILE.\n\n${usage}`);
    const projectDir = typeof args.values.project === "string" ? args.values.project : ".";
    for (const landed of await ingestFiles(projectDir, args.positionals)) {
      io.stdout(`${landed.copied ? "landed" : "already landed"} ${landed.file} → landing/${landed.key}\n`);
    }
  },
};
