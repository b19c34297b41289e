/**
 * SQL text for Delta values, so rows held in JavaScript can become a DuckDB relation
 * (`SELECT * FROM (VALUES ...)`) with exact types. Meant for small inputs (tests, demos, metadata);
 * bulk data stays inside DuckDB.
 */
import {
  type DeltaType,
  type DeltaValue,
  decimalParams,
  MapValue,
  type Row,
  type StructType,
  toHex,
} from "../delta/index.ts";
import { sqlIdentifier, sqlString } from "./duckdb-session.ts";
import { duckDbType } from "./duckdb-types.ts";

/**
 * A SELECT returning `rows` with the columns and types of `schema` (an empty result for no rows).
 * @throws Error when a value does not fit its column's type.
 */
export function valuesSql(rows: readonly Row[], schema: StructType): string {
  const columns = schema.fields.map((f) => sqlIdentifier(f.name));
  const typed = schema.fields.map((f) => `CAST(NULL AS ${duckDbType(f.type)}) AS ${sqlIdentifier(f.name)}`);
  if (rows.length === 0) return `SELECT ${typed.join(", ")} WHERE false`;
  const tuples = rows.map(
    (row) => `(${schema.fields.map((f) => sqlLiteral(row[f.name] ?? null, f.type)).join(", ")})`,
  );
  const casts = schema.fields.map(
    (f) => `CAST(${sqlIdentifier(f.name)} AS ${duckDbType(f.type)}) AS ${sqlIdentifier(f.name)}`,
  );
  return `SELECT ${casts.join(", ")} FROM (VALUES ${tuples.join(", ")}) AS v(${columns.join(", ")})`;
}

/** The SQL literal of one value of `type`. */
export function sqlLiteral(value: DeltaValue, type: DeltaType): string {
  if (value === null || value === undefined) return `CAST(NULL AS ${duckDbType(type)})`;
  if (typeof type === "string") {
    switch (type) {
      case "string":
        return sqlString(expect(value, "string", type));
      case "long":
        return `CAST(${expect(value, "bigint", type)} AS BIGINT)`;
      case "integer":
      case "short":
      case "byte":
        return `CAST(${expect(value, "number", type)} AS ${duckDbType(type)})`;
      case "float":
      case "double": {
        const n = expect(value, "number", type);
        return `CAST(${sqlString(Number.isFinite(n) ? String(n) : n > 0 ? "inf" : n < 0 ? "-inf" : "nan")} AS ${duckDbType(type)})`;
      }
      case "boolean":
        return expect(value, "boolean", type) ? "true" : "false";
      case "binary":
        if (!(value instanceof Uint8Array))
          throw new Error(`a binary value must be a Uint8Array, got ${typeof value}`);
        return `unhex(${sqlString(toHex(value))})`;
      case "date": {
        // Day arithmetic, not a date literal: DuckDB reads no literal for years past 9999, and every
        // day number must reach the writer, which names the column of one outside 0001-9999.
        const days = expect(value, "number", type);
        if (!Number.isInteger(days))
          throw new Error(`a date value must be a whole number of days, got ${days}`);
        return `(DATE '1970-01-01' + ${days})`;
      }
      case "timestamp":
        return `make_timestamp(${expect(value, "bigint", type)})::TIMESTAMPTZ`;
      case "timestamp_ntz":
        return `make_timestamp(${expect(value, "bigint", type)})`;
      default:
        if (decimalParams(type))
          return `CAST(${sqlString(expect(value, "string", type))} AS ${duckDbType(type)})`;
        throw new Error(`cannot write values of type ${type}`);
    }
  }
  switch (type.type) {
    case "struct": {
      const record = value as Record<string, DeltaValue>;
      return `{${type.fields.map((f) => `${sqlString(f.name)}: ${sqlLiteral(record[f.name] ?? null, f.type)}`).join(", ")}}`;
    }
    case "array":
      return `[${(value as DeltaValue[]).map((item) => sqlLiteral(item, type.elementType)).join(", ")}]::${duckDbType(type)}`;
    case "map": {
      if (!(value instanceof MapValue)) throw new Error("a map value must be a MapValue");
      const entries = value.entries.map(
        ([k, v]) => `${sqlLiteral(k, type.keyType)}: ${sqlLiteral(v, type.valueType)}`,
      );
      return `MAP {${entries.join(", ")}}::${duckDbType(type)}`;
    }
  }
}

function expect<T extends "string" | "number" | "bigint" | "boolean">(
  value: DeltaValue,
  js: T,
  type: string,
): T extends "string" ? string : T extends "number" ? number : T extends "bigint" ? bigint : boolean {
  if (typeof value !== js) throw new Error(`a ${type} value must be a JS ${js}, got ${typeof value}`);
  return value as never;
}
