/** The Delta schema of a DuckDB query's result, from the column types DuckDB reports. */
import {
  DuckDBDecimalType,
  DuckDBListType,
  DuckDBMapType,
  DuckDBStructType,
  type DuckDBType,
  DuckDBTypeId,
} from "@duckdb/node-api";
import { type DeltaType, field, type StructType, struct } from "../delta/index.ts";
import type { DuckDbSession } from "./duckdb-session.ts";

const PRIMITIVE: Partial<Record<DuckDBTypeId, DeltaType>> = {
  [DuckDBTypeId.VARCHAR]: "string",
  [DuckDBTypeId.BIGINT]: "long",
  [DuckDBTypeId.INTEGER]: "integer",
  [DuckDBTypeId.SMALLINT]: "short",
  [DuckDBTypeId.TINYINT]: "byte",
  [DuckDBTypeId.FLOAT]: "float",
  [DuckDBTypeId.DOUBLE]: "double",
  [DuckDBTypeId.BOOLEAN]: "boolean",
  [DuckDBTypeId.BLOB]: "binary",
  [DuckDBTypeId.DATE]: "date",
  [DuckDBTypeId.TIMESTAMP_TZ]: "timestamp",
  [DuckDBTypeId.TIMESTAMP]: "timestamp_ntz",
};

/**
 * The Delta schema of the result of `sql` (without running it to completion).
 * @throws Error naming a column whose DuckDB type has no Delta equivalent (e.g. UBIGINT, INTERVAL).
 */
export async function sourceSchema(session: DuckDbSession, sql: string): Promise<StructType> {
  const reader = await session.connection.runAndReadAll(`SELECT * FROM (${sql}) LIMIT 0`);
  const names = reader.columnNames();
  const types = reader.columnTypes();
  return struct(...names.map((name, i) => field(name, deltaTypeOf(types[i] as DuckDBType, name))));
}

/** The Delta type for a DuckDB type. @throws Error for types Delta cannot store. */
export function deltaTypeOf(type: DuckDBType, column: string): DeltaType {
  const primitive = PRIMITIVE[type.typeId];
  if (primitive !== undefined) return primitive;
  if (type instanceof DuckDBDecimalType) return `decimal(${type.width},${type.scale})`;
  if (type instanceof DuckDBListType) {
    return { type: "array", elementType: deltaTypeOf(type.valueType, `${column}[]`), containsNull: true };
  }
  if (type instanceof DuckDBMapType) {
    return {
      type: "map",
      keyType: deltaTypeOf(type.keyType, `${column} key`),
      valueType: deltaTypeOf(type.valueType, `${column} value`),
      valueContainsNull: true,
    };
  }
  if (type instanceof DuckDBStructType) {
    return struct(
      ...type.entryNames.map((name, i) =>
        field(name, deltaTypeOf(type.entryTypes[i] as DuckDBType, `${column}.${name}`)),
      ),
    );
  }
  throw new Error(
    `column ${column} has the DuckDB type ${type.toString()}, which a Delta table cannot store; cast it first`,
  );
}
