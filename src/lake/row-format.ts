/**
 * Text forms of table rows for people and scripts: canonical JSON lines (the Delta conformance
 * corpus's format: sorted keys, exact decimals and longs as strings, UTC timestamps with microseconds),
 * CSV and an aligned text table.
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

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

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

/** An aligned plain-text table of rows, header first. */
export function textTable(header: readonly string[], rows: readonly (readonly Json[])[]): string {
  const cells = [
    header,
    ...rows.map((r) =>
      r.map((v) => (v === null ? "null" : typeof v === "object" ? stableStringify(v) : String(v))),
    ),
  ];
  // Widths count code points, not UTF-16 units, so text beyond the BMP (e.g. "𝔘") stays aligned.
  const width = (text: string) => [...text].length;
  const widths = header.map((_, i) => Math.max(...cells.map((r) => width(r[i] ?? ""))));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => c + " ".repeat(Math.max(0, (widths[i] ?? 0) - width(c))))
      .join("  ")
      .trimEnd();
  return [
    line(cells[0] ?? []),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...cells.slice(1).map(line),
  ].join("\n");
}
