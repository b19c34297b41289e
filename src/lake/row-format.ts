/**
 * Text forms of table rows for people and scripts: canonical JSON lines (the Delta conformance
 * corpus's format: sorted keys, exact decimals and longs as strings, UTC timestamps with microseconds),
 * CSV and an aligned text table, whole ({@link textTable}) or streamed ({@link TextTableStream}).
 */
import {
  type DeltaType,
  type DeltaValue,
  decimalParams,
  formatDate,
  formatTimestampMicros,
  type MapValue,
  type Row,
  type StructType,
  toHex,
} from "../delta/index.ts";
import { compareKeys } from "../storage/index.ts";

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The canonical JSON value of a Delta value of type `type` (see the corpus README's table). */
export function canonicalValue(value: DeltaValue, type: DeltaType): Json {
  if (value === null || value === undefined) return null;
  if (typeof type === "string") {
    switch (type) {
      case "long":
        return String(value);
      case "float":
      case "double":
        return Number.isFinite(value) ? (value as number) : String(value);
      case "binary":
        return `hex:${toHex(value as Uint8Array)}`;
      case "date":
        return formatDate(value as number);
      case "timestamp":
        return formatTimestampMicros(value as bigint, true);
      case "timestamp_ntz":
        return formatTimestampMicros(value as bigint, false);
      default:
        if (decimalParams(type)) return String(value);
        return value as Json;
    }
  }
  switch (type.type) {
    case "struct": {
      const record = value as Record<string, DeltaValue>;
      return Object.fromEntries(
        type.fields.map((f) => [f.name, canonicalValue(record[f.name] ?? null, f.type)]),
      );
    }
    case "array":
      return (value as DeltaValue[]).map((item) => canonicalValue(item, type.elementType));
    case "map": {
      const pairs = (value as MapValue).entries.map(
        ([k, v]) => [canonicalValue(k, type.keyType), canonicalValue(v, type.valueType)] as Json[],
      );
      const sorted = pairs
        .map((pair) => [stableStringify(pair), pair] as const)
        .sort((a, b) => compareKeys(a[0], b[0]))
        .map(([, pair]) => pair);
      return { $map: sorted };
    }
  }
}

/** One row as a canonical JSON line (without the newline). */
export function canonicalJson(row: Row, schema: StructType): string {
  return stableStringify(canonicalValue(row, schema));
}

/** JSON text with object keys sorted by UTF-8 bytes at every level. */
export function stableStringify(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort(compareKeys);
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(value[k] ?? null)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * A CSV line (RFC 4180 quoting) of a row's canonical values; nested values as JSON text. Null is an
 * empty field and the empty string a quoted one (`""`), so the two stay distinct.
 */
export function csvLine(values: readonly Json[]): string {
  return values
    .map((value) => {
      if (value === null) return "";
      const text = typeof value === "object" ? stableStringify(value) : String(value);
      return text === "" || /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
    })
    .join(",");
}

/** The canonical values of a row in schema order. */
export function rowValues(row: Row, schema: StructType): Json[] {
  return schema.fields.map((f) => canonicalValue(row[f.name] ?? null, f.type));
}

/** An aligned plain-text table of rows, header first, each column as wide as its widest cell. */
export function textTable(header: readonly string[], rows: readonly (readonly Json[])[]): string {
  const table = new TextTableStream(header, rows.length);
  return [...rows.map((row) => table.push(row)), table.end()].join("").replace(/\n$/, "");
}

/**
 * An aligned plain-text table written as rows arrive, in bounded memory: the first `sample` rows
 * decide the column widths (a column is at least as wide as its header); later rows are padded to
 * them, and a longer value later widens its column from its row on (values are never cut).
 */
export class TextTableStream {
  private pending: string[][] | undefined = [];
  private widths: number[] = [];

  constructor(
    private readonly header: readonly string[],
    private readonly sample = 1000,
  ) {}

  /** Adds a row; returns the lines that are ready (none while the sample is still being gathered). */
  push(row: readonly Json[]): string {
    const cells = row.map(cellText);
    if (this.pending === undefined) return this.line(cells);
    this.pending.push(cells);
    return this.pending.length >= this.sample ? this.flush() : "";
  }

  /** The lines not yet returned (all of them, header first, when fewer rows than the sample came). */
  end(): string {
    return this.pending === undefined ? "" : this.flush();
  }

  private flush(): string {
    const pending = this.pending ?? [];
    this.pending = undefined;
    this.widths = this.header.map((name, i) =>
      pending.reduce((widest, cells) => Math.max(widest, width(cells[i] ?? "")), width(name)),
    );
    const rule = this.widths.map((w) => "-".repeat(w)).join("  ");
    return [this.line(this.header), `${rule}\n`, ...pending.map((cells) => this.line(cells))].join("");
  }

  private line(cells: readonly string[]): string {
    const padded = this.widths.map((w, i) => {
      const cell = cells[i] ?? "";
      const cellWidth = width(cell);
      if (cellWidth > w) this.widths[i] = cellWidth;
      return cell + " ".repeat(Math.max(0, w - cellWidth));
    });
    return `${padded.join("  ").trimEnd()}\n`;
  }
}

function cellText(value: Json): string {
  return value === null ? "null" : typeof value === "object" ? stableStringify(value) : String(value);
}

// Widths count code points, not UTF-16 units, so text beyond the BMP (e.g. "𝔘") stays aligned.
function width(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** A byte count in B, KiB, MiB, GiB or TiB, one decimal above bytes (`1.5 MiB`). */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
