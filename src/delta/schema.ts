/**
 * Delta table schemas, in the spec's own JSON shape ("Schema Serialization Format"): a primitive type
 * is its name (`"long"`, `"decimal(10,2)"`), a nested type is an object. Parsing validates the shape
 * so the rest of the code can trust it.
 */

/** Primitive type names of the spec ("Primitive Types"); decimals are `decimal(p,s)`. */
export const PRIMITIVE_TYPES = [
  "string",
  "long",
  "integer",
  "short",
  "byte",
  "float",
  "double",
  "boolean",
  "binary",
  "date",
  "timestamp",
  "timestamp_ntz",
  "void",
] as const;

export type PrimitiveTypeName = (typeof PRIMITIVE_TYPES)[number];
/** A primitive type: one of {@link PRIMITIVE_TYPES} or `decimal(p,s)`. */
export type PrimitiveType = PrimitiveTypeName | `decimal(${number},${number})`;

export interface StructField {
  readonly name: string;
  readonly type: DeltaType;
  readonly nullable: boolean;
  readonly metadata: Readonly<Record<string, unknown>>;
}
export interface StructType {
  readonly type: "struct";
  readonly fields: readonly StructField[];
}
export interface ArrayType {
  readonly type: "array";
  readonly elementType: DeltaType;
  readonly containsNull: boolean;
}
export interface MapType {
  readonly type: "map";
  readonly keyType: DeltaType;
  readonly valueType: DeltaType;
  readonly valueContainsNull: boolean;
}
export type DeltaType = PrimitiveType | StructType | ArrayType | MapType;

/** Column mapping modes ("Column Mapping"). */
export type ColumnMappingMode = "none" | "name" | "id";

const DECIMAL = /^decimal\(\s*(\d+)\s*,\s*(\d+)\s*\)$/;

/** Precision and scale of a `decimal(p,s)` type, or `undefined` for any other type. */
export function decimalParams(type: DeltaType): { precision: number; scale: number } | undefined {
  if (typeof type !== "string") return undefined;
  const match = DECIMAL.exec(type);
  return match ? { precision: Number(match[1]), scale: Number(match[2]) } : undefined;
}

/** True for a primitive (non-nested) type. */
export function isPrimitive(type: DeltaType): type is PrimitiveType {
  return typeof type === "string";
}

/**
 * Parses a `schemaString` into a struct type.
 * @throws Error describing the first invalid element (the caller wraps it with the log location).
 */
export function parseSchema(schemaString: string): StructType {
  const parsed: unknown = JSON.parse(schemaString);
  const type = parseType(parsed, "schema");
  if (typeof type === "string" || type.type !== "struct") throw new Error("the schema is not a struct");
  return type;
}

/** The `schemaString` text for a struct type (Spark's field order and key order). */
export function serializeSchema(schema: StructType): string {
  return JSON.stringify(schema, (_key, value: unknown) => value);
}

/** Builds a struct field with empty metadata; a convenience for writers and tests. */
export function field(name: string, type: DeltaType, nullable = true): StructField {
  return { name, type, nullable, metadata: {} };
}

/** A struct type from fields. */
export function struct(...fields: StructField[]): StructType {
  return { type: "struct", fields };
}

/** The name a field has in data files, partition values and stats under the table's mapping mode. */
export function physicalName(f: StructField, mode: ColumnMappingMode): string {
  if (mode === "none") return f.name;
  const name = f.metadata["delta.columnMapping.physicalName"];
  return typeof name === "string" ? name : f.name;
}

/** The Parquet field id of a column under `id` mapping, if present. */
export function fieldId(f: StructField): number | undefined {
  const id = f.metadata["delta.columnMapping.id"];
  return typeof id === "number" ? id : undefined;
}

/** Finds a top-level field by name, case-insensitively as Delta column names are. */
export function findField(schema: StructType, name: string): StructField | undefined {
  const lower = name.toLowerCase();
  return schema.fields.find((f) => f.name.toLowerCase() === lower);
}

/** A short human form of a type for messages: `struct<a: long>`, `array<string>`. */
export function typeToString(type: DeltaType): string {
  if (typeof type === "string") return type;
  switch (type.type) {
    case "struct":
      return `struct<${type.fields.map((f) => `${f.name}: ${typeToString(f.type)}`).join(", ")}>`;
    case "array":
      return `array<${typeToString(type.elementType)}>`;
    case "map":
      return `map<${typeToString(type.keyType)}, ${typeToString(type.valueType)}>`;
  }
}

function parseType(value: unknown, where: string): DeltaType {
  if (typeof value === "string") {
    if ((PRIMITIVE_TYPES as readonly string[]).includes(value)) return value as PrimitiveTypeName;
    const decimal = DECIMAL.exec(value);
    if (decimal) {
      const precision = Number(decimal[1]);
      const scale = Number(decimal[2]);
      if (precision < 1 || precision > 38 || scale > precision) {
        throw new Error(`${where}: invalid ${value} (precision 1..38, scale <= precision)`);
      }
      return `decimal(${precision},${scale})`;
    }
    throw new Error(`${where}: unknown type ${JSON.stringify(value)}`);
  }
  if (!isObject(value)) throw new Error(`${where}: a type must be a string or an object`);
  switch (value.type) {
    case "struct": {
      if (!Array.isArray(value.fields)) throw new Error(`${where}: struct without fields`);
      const fields = value.fields.map((f: unknown, i: number) => parseField(f, `${where}.fields[${i}]`));
      const seen = new Set<string>();
      for (const f of fields) {
        const lower = f.name.toLowerCase();
        if (seen.has(lower)) throw new Error(`${where}: duplicate column name ${JSON.stringify(f.name)}`);
        seen.add(lower);
      }
      return { type: "struct", fields };
    }
    case "array":
      return {
        type: "array",
        elementType: parseType(value.elementType, `${where}.elementType`),
        containsNull: value.containsNull !== false,
      };
    case "map":
      return {
        type: "map",
        keyType: parseType(value.keyType, `${where}.keyType`),
        valueType: parseType(value.valueType, `${where}.valueType`),
        valueContainsNull: value.valueContainsNull !== false,
      };
    default:
      throw new Error(`${where}: unknown type ${JSON.stringify(value.type)}`);
  }
}

function parseField(value: unknown, where: string): StructField {
  if (!isObject(value) || typeof value.name !== "string") throw new Error(`${where}: a field needs a name`);
  const metadata = isObject(value.metadata) ? value.metadata : {};
  return {
    name: value.name,
    type: parseType(value.type, `${where} (${value.name})`),
    nullable: value.nullable !== false,
    metadata,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
