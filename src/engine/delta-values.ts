/**
 * Conversion of DuckDB values (as @duckdb/node-api returns them) into Delta values (delta/values.ts),
 * guided by the Delta type, so that column mapping, nested types and every timestamp flavour come out
 * the same whatever wrote the Parquet file.
 */
import {
  DuckDBBlobValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBListValue,
  DuckDBMapValue,
  DuckDBStructValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  type DuckDBValue,
} from "@duckdb/node-api";
import {
  type ColumnMappingMode,
  type DeltaType,
  type DeltaValue,
  decimalParams,
  MapValue,
  type PrimitiveType,
  physicalName,
} from "../delta/index.ts";

/**
 * The Delta value of a DuckDB value read from a Parquet column of type `type`.
 * @throws Error when the stored value cannot represent the Delta type (a schema/data mismatch).
 */
export function toDeltaValue(value: DuckDBValue, type: DeltaType, mode: ColumnMappingMode): DeltaValue {
  if (value === null || value === undefined) return null;
  if (typeof type === "string") return primitive(value, type);
  switch (type.type) {
    case "struct": {
      if (!(value instanceof DuckDBStructValue)) throw mismatch(value, "struct");
      const out: Record<string, DeltaValue> = {};
      for (const f of type.fields) {
        const inner = value.entries[physicalName(f, mode)] ?? value.entries[f.name] ?? null;
        out[f.name] = toDeltaValue(inner, f.type, mode);
      }
      return out;
    }
    case "array": {
      if (!(value instanceof DuckDBListValue)) throw mismatch(value, "array");
      return value.items.map((item) => toDeltaValue(item, type.elementType, mode));
    }
    case "map": {
      if (!(value instanceof DuckDBMapValue)) throw mismatch(value, "map");
      return new MapValue(
        value.entries.map(
          (e) =>
            [toDeltaValue(e.key, type.keyType, mode), toDeltaValue(e.value, type.valueType, mode)] as const,
        ),
      );
    }
  }
}

function primitive(value: DuckDBValue, type: PrimitiveType): DeltaValue {
  switch (type) {
    case "long":
      if (typeof value === "bigint") return value;
      if (typeof value === "number") return BigInt(value);
      break;
    case "integer":
    case "short":
    case "byte":
      if (typeof value === "number") return value;
      if (typeof value === "bigint") return Number(value);
      break;
    case "float":
    case "double":
      if (typeof value === "number") return value;
      break;
    case "string":
      if (typeof value === "string") return value;
      if (value instanceof DuckDBBlobValue)
        return new TextDecoder("utf-8", { ignoreBOM: true }).decode(value.bytes);
      break;
    case "boolean":
      if (typeof value === "boolean") return value;
      break;
    case "binary":
      if (value instanceof DuckDBBlobValue) return new Uint8Array(value.bytes);
      if (typeof value === "string") return new TextEncoder().encode(value);
      break;
    case "date":
      if (value instanceof DuckDBDateValue) return value.days;
      break;
    case "timestamp":
    case "timestamp_ntz":
      return timestampMicros(value);
    default: {
      const decimal = decimalParams(type);
      if (decimal) return decimalText(value, decimal.scale);
    }
  }
  throw mismatch(value, type);
}

function timestampMicros(value: DuckDBValue): bigint {
  if (value instanceof DuckDBTimestampValue || value instanceof DuckDBTimestampTZValue) return value.micros;
  if (value instanceof DuckDBTimestampMillisecondsValue) return value.millis * 1000n;
  if (value instanceof DuckDBTimestampSecondsValue) return value.seconds * 1_000_000n;
  // Delta is microsecond precision; nanoseconds are truncated toward negative infinity.
  if (value instanceof DuckDBTimestampNanosecondsValue) {
    const micros = value.nanos / 1000n;
    return value.nanos < 0n && value.nanos % 1000n !== 0n ? micros - 1n : micros;
  }
  if (typeof value === "bigint") return value; // INT64 without a logical type: micros by the spec.
  throw mismatch(value, "timestamp");
}

/** Plain decimal text with exactly `scale` fraction digits. */
function decimalText(value: DuckDBValue, scale: number): string {
  let unscaled: bigint;
  let fromScale: number;
  if (value instanceof DuckDBDecimalValue) {
    unscaled = value.value;
    fromScale = value.scale;
  } else if (typeof value === "bigint" || typeof value === "number") {
    unscaled = BigInt(value);
    fromScale = 0;
  } else {
    throw mismatch(value, "decimal");
  }
  if (fromScale < scale) unscaled *= 10n ** BigInt(scale - fromScale);
  else if (fromScale > scale) unscaled /= 10n ** BigInt(fromScale - scale);
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, "0");
  const whole = digits.slice(0, digits.length - scale);
  const fraction = scale > 0 ? `.${digits.slice(digits.length - scale)}` : "";
  return `${negative ? "-" : ""}${whole}${fraction}`;
}

function mismatch(value: DuckDBValue, type: string): Error {
  const shown = typeof value === "object" && value !== null ? value.constructor.name : typeof value;
  return new Error(`a Parquet value of kind ${shown} does not fit the Delta type ${type}`);
}
