/**
 * How commands print: one JSON document for `--json`, and rows in a row format (JSON Lines, CSV or
 * an aligned table) written batch by batch with backpressure, so any number of rows prints in
 * bounded memory.
 */
import { csvLine, type Json, stableStringify, TextTableStream } from "../lake/index.ts";
import type { CliIo } from "./command.ts";

/** The formats rows print in. */
export const ROW_FORMATS = ["jsonl", "csv", "table"] as const;
export type RowFormat = (typeof ROW_FORMATS)[number];

/** Prints `value` as one JSON document (indented, newline-terminated). */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Prints rows (values in `columns` order) as they arrive and returns how many there were. `jsonl`:
 * one object per line with keys sorted; `csv`: a header line, then RFC 4180 lines; `table`: aligned
 * columns whose widths the first 1,000 rows decide (see TextTableStream).
 */
export async function printRows(
  io: CliIo,
  format: RowFormat,
  columns: readonly string[],
  batches: AsyncIterable<readonly (readonly Json[])[]>,
): Promise<number> {
  let count = 0;
  const table = format === "table" ? new TextTableStream(columns) : undefined;
  if (format === "csv") io.stdout(`${csvLine(columns)}\n`);
  for await (const batch of batches) {
    let text = "";
    for (const values of batch) {
      if (table !== undefined) text += table.push(values);
      else if (format === "csv") text += `${csvLine(values)}\n`;
      else text += `${stableStringify(Object.fromEntries(columns.map((c, i) => [c, values[i] ?? null])))}\n`;
    }
    count += batch.length;
    if (text !== "") {
      io.stdout(text);
      await io.drained();
    }
  }
  if (table !== undefined) io.stdout(table.end());
  return count;
}
