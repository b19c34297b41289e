/** The DuckDB type that stores each Delta type (the spec's "Delta Data Type to Parquet Type Mappings"). */
import { type DeltaType, decimalParams } from "../delta/index.ts";
import { sqlIdentifier } from "./duckdb-session.ts";

const PRIMITIVES: Readonly<Record<string, string>> = {
  string: "VARCHAR",
  long: "BIGINT",
  integer: "INTEGER",
  short: "SMALLINT",
  byte: "TINYINT",
  float: "FLOAT",
  double: "DOUBLE",
  boolean: "BOOLEAN",
  binary: "BLOB",
  date: "DATE",
  // Parquet INT64 TIMESTAMP(MICROS, isAdjustedToUTC=true), resp. false for timestamp_ntz.
  timestamp: "TIMESTAMPTZ",
  timestamp_ntz: "TIMESTAMP",
};

/**
 * The DuckDB SQL type for a Delta type.
 * @throws Error for `void`, which is never written to Parquet.
 */
export function duckDbType(type: DeltaType): string {
  if (typeof type === "string") {
    const decimal = decimalParams(type);
    if (decimal) return `DECIMAL(${decimal.precision},${decimal.scale})`;
    const name = PRIMITIVES[type];
    if (name === undefined) throw new Error(`the Delta type ${type} has no Parquet representation`);
    return name;
  }
  switch (type.type) {
    case "struct":
      return `STRUCT(${type.fields.map((f) => `${sqlIdentifier(f.name)} ${duckDbType(f.type)}`).join(", ")})`;
    case "array":
      return `${duckDbType(type.elementType)}[]`;
    case "map":
      return `MAP(${duckDbType(type.keyType)}, ${duckDbType(type.valueType)})`;
  }
}
