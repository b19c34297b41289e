/** `lake describe URI [--json]` */
import { DeltaContext, describeTable, openTable, typeToString } from "../../lake/index.ts";
import { onePositional } from "../args.ts";
import type { Command } from "../command.ts";

const usage = `Usage: lake describe URI [--json]

Shows the schema, protocol, partitioning, files, size and row count of the Delta table at URI.

Options:
  --json    print the description as one JSON object`;

export const describe: Command = {
  summary: "schema, protocol, partitioning, files, size and rows of a table",
  usage,
  options: { json: { type: "boolean" } },
  async run(args, io) {
    const uri = onePositional(args, "the table location (URI)", usage);
    const d = await DeltaContext.with(async (ctx) => describeTable((await openTable(ctx, uri)).snapshot));
    if (args.values.json) {
      io.stdout(`${JSON.stringify(d, null, 2)}\n`);
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

function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
