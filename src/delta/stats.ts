/**
 * Per-file statistics ("Per-file Statistics"): the `add.stats` JSON text as Spark writes it, and its
 * lossless reading. Stats key columns by physical name, nest structs as objects, and bound the
 * file's values, so a wrong min or max silently drops rows from filtered queries.
 */
import { parsePartitionValue, serializePartitionValue } from "./partition-values.ts";
import {
  type ColumnMappingMode,
  type DeltaType,
  isPrimitive,
  type PrimitiveType,
  physicalName,
  type StructType,
} from "./schema.ts";
import type { DeltaValue } from "./values.ts";

/**
 * What the caller measured for one leaf column of a file. `min` and `max` are bounds of the non-null
 * values in the representation of `values.ts` (strings ordered by UTF-8 bytes, NaN above every
 * number); leave them out (or null) when the column is all null.
 */
export interface ColumnStats {
  min?: DeltaValue;
  max?: DeltaValue;
  nullCount: number | bigint;
}

/** Which columns get statistics, and how their physical names are found. */
export interface StatsOptions {
  /** `delta.dataSkippingNumIndexedCols`: stats for the first N leaf columns; -1 for all. Default 32. */
  indexedColumns?: number;
  /** The table's column mapping mode; `physicalName` metadata is used unless it is `"none"`. */
  columnMappingMode?: ColumnMappingMode;
  /** Top-level partition columns (logical names): excluded, they have no stats. */
  partitionColumns?: readonly string[];
  /** Written as `tightBounds` when given (tables with deletion vectors). */
  tightBounds?: boolean;
}

/** A leaf column that gets statistics, in schema order. */
export interface StatsColumn {
  /** The `columns` key for it: {@link statsColumnKey} of `path`. */
  readonly key: string;
  /** Physical names from the top-level column down to the leaf. */
  readonly path: readonly string[];
  readonly type: DeltaType;
  /** False for types that only get a null count: boolean, binary, void, arrays and maps. */
  readonly minMax: boolean;
}

/**
 * The `columns` key of a leaf: physical names joined by `.`, a name containing `.` or a backtick
 * quoted in backticks (inner backticks doubled): `a.b`, `` `x.y`.z ``.
 */
export function statsColumnKey(path: readonly string[]): string {
  return path.map((name) => (/[.`]/.test(name) ? `\`${name.replaceAll("`", "``")}\`` : name)).join(".");
}

/**
 * The leaf columns Spark collects stats for: depth first through structs, partition columns left
 * out, then the first `indexedColumns` leaves (an array or map is one leaf, like Spark counts it).
 */
export function statsColumns(schema: StructType, options: StatsOptions = {}): StatsColumn[] {
  const mode = options.columnMappingMode ?? "none";
  const partitions = new Set((options.partitionColumns ?? []).map((name) => name.toLowerCase()));
  const out: StatsColumn[] = [];
  const walk = (struct: StructType, parent: readonly string[]) => {
    for (const f of struct.fields) {
      if (parent.length === 0 && partitions.has(f.name.toLowerCase())) continue;
      const path = [...parent, physicalName(f, mode)];
      if (typeof f.type !== "string" && f.type.type === "struct") walk(f.type, path);
      else
        out.push({
          key: statsColumnKey(path),
          path,
          type: f.type,
          minMax: isPrimitive(f.type) && !NO_MIN_MAX.has(f.type),
        });
    }
  };
  walk(schema, []);
  const limit = options.indexedColumns ?? 32;
  return limit < 0 ? out : out.slice(0, limit);
}

/**
 * The `add.stats` text: `{"numRecords":N,"minValues":{…},"maxValues":{…},"nullCount":{…}}` plus
 * `tightBounds` when asked. `columns` is keyed by {@link statsColumnKey} of physical paths; leaves
 * past the indexed limit, partition columns and leaves without an entry are left out. Values are
 * written as Spark's `to_json` does: numbers and decimals as JSON numbers (doubles Java style, NaN
 * and infinities as the strings `"NaN"`, `"Infinity"`), dates `YYYY-MM-DD`, timestamps truncated down
 * to milliseconds as `2024-01-31T10:00:00.123Z` (timestamp_ntz without `Z`), strings cut to 32 UTF-16
 * units (a max gets a tie-breaker, or no max when no 64-unit prefix can bound it).
 * @throws Error for a `columns` key that names no leaf of the schema, or a value of the wrong type.
 */
export function buildStats(
  numRecords: number,
  columns: ReadonlyMap<string, ColumnStats>,
  schema: StructType,
  options: StatsOptions = {},
): string {
  if (!(Number.isSafeInteger(numRecords) && numRecords >= 0))
    throw new Error(`Invalid numRecords ${numRecords}`);
  const known = new Set(
    statsColumns(schema, { ...options, indexedColumns: -1, partitionColumns: [] }).map((c) => c.key),
  );
  for (const key of columns.keys()) {
    if (!known.has(key))
      throw new Error(`Stats for ${JSON.stringify(key)}, which is no leaf column of the schema`);
  }
  const [minValues, maxValues, nullCount] = [new JsonTree(), new JsonTree(), new JsonTree()];
  for (const column of statsColumns(schema, options)) {
    const stats = columns.get(column.key);
    if (stats === undefined) continue;
    const nulls = stats.nullCount;
    if (typeof nulls === "number" ? !Number.isSafeInteger(nulls) || nulls < 0 : nulls < 0n) {
      throw new Error(`Invalid stats nullCount for column ${column.key}: ${nulls}`);
    }
    nullCount.set(column.path, String(nulls));
    if (!column.minMax || !isPrimitive(column.type)) continue;
    const min = statsText(stats.min, column.type, column.key, "min");
    const max = statsText(stats.max, column.type, column.key, "max");
    if (min !== undefined) minValues.set(column.path, min);
    if (max !== undefined) maxValues.set(column.path, max);
  }
  const bounds = options.tightBounds === undefined ? "" : `,"tightBounds":${options.tightBounds}`;
  return `{"numRecords":${numRecords},"minValues":${minValues},"maxValues":${maxValues},"nullCount":${nullCount}${bounds}}`;
}

/** A JSON number from stats, kept as its text so longs and decimals past 2^53 stay exact. */
export class StatsNumber {
  constructor(readonly text: string) {}
}

/** A JSON value inside stats; numbers are {@link StatsNumber}. */
export type StatsJson = StatsNumber | string | boolean | null | readonly StatsJson[] | StatsObject;
/** A JSON object inside stats: column name → value or nested struct. */
export interface StatsObject {
  readonly [key: string]: StatsJson;
}

/** The parts of `add.stats`; a missing or malformed part is absent (objects: empty). */
export interface ParsedStats {
  readonly numRecords?: number;
  readonly minValues: StatsObject;
  readonly maxValues: StatsObject;
  readonly nullCount: StatsObject;
  /** Absent means true ("Per-file Statistics"). */
  readonly tightBounds?: boolean;
}

/**
 * Reads `add.stats`. Never throws: null, empty or invalid JSON gives `undefined`, so a file whose
 * stats cannot be read is simply not skipped.
 */
export function parseStats(json: string | null | undefined): ParsedStats | undefined {
  if (!json) return undefined;
  let root: StatsJson;
  try {
    root = parseJsonKeepingNumbers(json);
  } catch {
    return undefined;
  }
  if (!isObject(root)) return undefined;
  const object = (value: StatsJson | undefined) => (isObject(value) ? value : {});
  const records = root.numRecords instanceof StatsNumber ? Number(root.numRecords.text) : undefined;
  return {
    ...(Number.isSafeInteger(records) ? { numRecords: records } : {}),
    minValues: object(root.minValues),
    maxValues: object(root.maxValues),
    nullCount: object(root.nullCount),
    ...(typeof root.tightBounds === "boolean" ? { tightBounds: root.tightBounds } : {}),
  };
}

/**
 * The typed value at a physical `path` of `minValues` or `maxValues` (or a count in `nullCount` with
 * type `"long"`), or `undefined` when absent or not readable as `type`. Timestamps come back as their
 * millisecond-truncated bounds: widen a max by 999 µs before comparing.
 */
export function statsValue(
  values: StatsObject,
  path: readonly string[],
  type: DeltaType,
): DeltaValue | undefined {
  let value: StatsJson | undefined = values;
  for (const name of path) value = isObject(value) && Object.hasOwn(value, name) ? value[name] : undefined;
  if (typeof type !== "string" || value === undefined || value === null) return undefined;
  if (type === "string") return typeof value === "string" ? value : undefined;
  if (typeof value === "boolean") return type === "boolean" ? value : undefined;
  if (!(value instanceof StatsNumber) && typeof value !== "string") return undefined;
  try {
    return parsePartitionValue(value instanceof StatsNumber ? value.text : value, type);
  } catch {
    return undefined;
  }
}

const PREFIX = 32;
const NO_MIN_MAX = new Set<DeltaType>(["boolean", "binary", "void"]);
const MAX_CHAR = "\u{10FFFF}";
const MICROS_PER_MS = 1000n;
const MARK = "\u0001";
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

function statsText(
  value: DeltaValue | undefined,
  type: PrimitiveType,
  key: string,
  which: string,
): string | undefined {
  if (value === undefined || value === null) return undefined;
  try {
    if (type === "string") {
      if (typeof value !== "string") throw new Error("expected a string");
      const cut = which === "min" ? truncateMin(value) : truncateMax(value);
      return cut === undefined ? undefined : JSON.stringify(cut);
    }
    if (type === "timestamp" || type === "timestamp_ntz") {
      if (typeof value !== "bigint") throw new Error("expected bigint microseconds");
      const floored = value - (((value % MICROS_PER_MS) + MICROS_PER_MS) % MICROS_PER_MS);
      const iso = serializePartitionValue(floored, "timestamp") ?? ""; // 2024-01-31T10:00:00.123000Z
      return JSON.stringify(`${iso.slice(0, 23)}${type === "timestamp" ? "Z" : ""}`);
    }
    const text = serializePartitionValue(value, type);
    if (text === null) return undefined;
    // Numbers and decimals are JSON numbers; dates and Java's NaN / Infinity are strings.
    return type === "date" || !/\d$/.test(text) ? JSON.stringify(text) : text;
  } catch (error) {
    throw new Error(`Invalid stats ${which} for ${type} column ${key}: ${(error as Error).message}`);
  }
}

/** Spark's min prefix: 32 UTF-16 units, 33 rather than split a surrogate pair. */
function truncateMin(value: string): string {
  if (value.length <= PREFIX) return value;
  const split =
    /[\uD800-\uDBFF]/.test(value.charAt(PREFIX - 1)) && /[\uDC00-\uDFFF]/.test(value.charAt(PREFIX));
  return value.slice(0, split ? PREFIX + 1 : PREFIX);
}

/** Spark's max: the prefix grown past U+10FFFF chars plus a tie-breaker, within 2 × 32 units. */
function truncateMax(value: string): string | undefined {
  if (value.length <= PREFIX) return value;
  let length = truncateMin(value).length;
  while (length <= 2 * PREFIX) {
    if (length >= value.length) return value;
    if (value.startsWith(MAX_CHAR, length)) length += 2;
    else return value.slice(0, length) + (value.charCodeAt(length) < 0x7f ? "\u007f" : MAX_CHAR);
  }
  return undefined;
}

/** Nested JSON objects built leaf by leaf, in insertion order, rendered as JSON text. */
class JsonTree {
  private readonly entries = new Map<string, JsonTree | string>();
  set(path: readonly string[], text: string): void {
    const [head, ...rest] = path;
    if (head === undefined) return;
    if (rest.length === 0) {
      this.entries.set(head, text);
      return;
    }
    const existing = this.entries.get(head);
    const child = existing instanceof JsonTree ? existing : new JsonTree();
    this.entries.set(head, child);
    child.set(rest, text);
  }
  toString(): string {
    return `{${[...this.entries].map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(",")}}`;
  }
}

function isObject(value: StatsJson | undefined): value is StatsObject {
  return (
    typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof StatsNumber)
  );
}

/**
 * `JSON.parse` with every number kept as its text: number tokens are first wrapped as
 * `{"\u0001":"<text>"}`, which no object in the input can be unless its text has the escape `\u0001`
 * (then numbers go through doubles).
 */
function parseJsonKeepingNumbers(json: string): StatsJson {
  const exact = !/\\u0001/i.test(json);
  const marked = exact
    ? json.replace(/"(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*/g, (token) =>
        NUMBER.test(token) ? `{"\\u0001":"${token}"}` : token,
      )
    : json;
  return JSON.parse(marked, (_key, value: unknown) => {
    if (!exact) return typeof value === "number" ? new StatsNumber(String(value)) : value;
    if (typeof value !== "object" || value === null || Object.keys(value).length !== 1) return value;
    const text: unknown = (value as Record<string, unknown>)[MARK];
    return typeof text === "string" ? new StatsNumber(text) : value;
  }) as StatsJson;
}
