/** `lake ingest FILE... [--project DIR] [--json]` */
import { stat } from "node:fs/promises";
import { ingestFiles } from "../../lake/index.ts";
import { JSON_OPTION, PROJECT_OPTION, projectFlag } from "../args.ts";
import { CliError, systemErrorMessage } from "../cli-error.ts";
import type { Command } from "../command.ts";
import { printJson } from "../output.ts";

const usage = `Usage: lake ingest FILE... [--project DIR] [--json]

Copies files into the project's landing zone, each under the source whose file pattern matches its
name (landing/<source>/<file>). Landing is write-once: the same file again is skipped, a different
file under a taken name is refused. Then run "lake run" to load them.

Options:
  --project DIR   the project folder (default: the current folder or the nearest parent with lake.json)
  --json          one JSON document: {"files": [{"file", "source", "key", "copied"}, ...]}`;

export const ingest: Command = {
  summary: "put files into the landing zone (write-once)",
  usage,
  options: { ...PROJECT_OPTION, ...JSON_OPTION },
  async run(args, io) {
    if (args.positionals.length === 0) throw new CliError(`Missing FILE.\n\n${usage}`);
    for (const file of args.positionals) await mustBeFile(file);
    const files = await ingestFiles(projectFlag(args), args.positionals);
    if (args.values.json) {
      printJson(io, { files });
      return;
    }
    for (const landed of files) {
      io.stdout(`${landed.copied ? "landed" : "already landed"} ${landed.file} → landing/${landed.key}\n`);
    }
  },
};

/** Every FILE is checked before any lands, so a typo in the last one lands nothing. */
async function mustBeFile(file: string): Promise<void> {
  const kind = await stat(file).catch((error: unknown) => {
    const system = systemErrorMessage(error);
    if (system === undefined) throw error;
    throw new CliError(system.message, system.exitCode);
  });
  if (!kind.isFile()) throw new CliError(`${file}: is not a file`);
}
