/** `lake describe TABLE [--json] [--project DIR]` */
import { DeltaContext, describeTable, formatBytes, openTable, typeToString } from "../../lake/index.ts";
import { JSON_OPTION, onePositional, PROJECT_OPTION, projectFlag, TABLE_ARGUMENT } from "../args.ts";
import type { Command } from "../command.ts";
import { printJson } from "../output.ts";

const usage = `Usage: lake describe TABLE [--json] [--project DIR]

Shows the schema, protocol, partitioning, files, size and row count of TABLE.
${TABLE_ARGUMENT}

Options:
  --json          print the description as one JSON document
  --project DIR   the project of a zone.table name`;

export const describe: Command = {
  summary: "schema, protocol, partitioning, files, size and rows of a table",
  usage,
  options: { ...JSON_OPTION, ...PROJECT_OPTION },
  async run(args, io) {
    const target = onePositional(args, "TABLE (zone.table or a location)", usage);
    const d = await DeltaContext.with(async (ctx) =>
      describeTable((await openTable(ctx, target, {}, projectFlag(args))).snapshot),
    );
    if (args.values.json) {
      printJson(io, d);
      return;
    }
    const p = d.protocol;
    const features = [...(p.readerFeatures ?? []), ...(p.writerFeatures ?? [])];
    const lines = [
      `Table       ${d.location}`,
      `Version     ${d.version} (committed ${d.lastCommit})`,
      `Protocol    reader ${p.minReaderVersion}, writer ${p.minWriterVersion}${features.length ? ` (features: ${[...new Set(features)].join(", ")})` : ""}`,
      `Partitions  ${d.partitionColumns.length ? d.partitionColumns.join(", ") : "(none)"}`,
      `Files       ${d.numFiles} (${formatBytes(d.sizeBytes)})`,
      `Rows        ${d.numRows ?? "unknown (some files have no stats)"}`,
      "Schema",
      ...d.schema.fields.map((f) => `  ${f.name}: ${typeToString(f.type)}${f.nullable ? "" : " not null"}`),
    ];
    const config = Object.entries(d.configuration);
    if (config.length) lines.push("Properties", ...config.map(([k, v]) => `  ${k} = ${v}`));
    io.stdout(`${lines.join("\n")}\n`);
  },
};
