/** `lake init [DIR]` */
import { initProject } from "../../lake/index.ts";
import { CliError } from "../cli-error.ts";
import type { Command } from "../command.ts";

const usage = `Usage: lake init [DIR]

Creates a Medallion Lake project in DIR (default: the current folder): a lake.json with the retail
pipeline's sources (sales, customers, products, locations) and the zone folders lake/landing,
lake/bronze, lake/silver and lake/gold. Edit lake.json to add sources or move zones.`;

export const init: Command = {
  summary: "create a project with the retail pipeline",
  usage,
  options: {},
  async run(args, io) {
    if (args.positionals.length > 1)
      throw new CliError(`Unexpected argument "${args.positionals[1]}".\n\n${usage}`);
    const project = await initProject(args.positionals[0] ?? ".");
    io.stdout(
      `Created ${project.root}/lake.json with sources ${project.sources.map((s) => s.name).join(", ")}.\n`,
    );
    io.stdout(`Next: lake ingest FILE... (or lake generate), then lake run.\n`);
  },
};
