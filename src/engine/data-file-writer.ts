/**
 * Writes the result of a query as Delta data files: Parquet written by DuckDB into a local staging
 * folder with `COPY ... RETURN_STATS`, which reports per file the row count, size, per-column
 * min/max/null counts and partition values that an `add` action needs.
 */
import { randomUUID } from "node:crypto";
import { mkdtemp } from "node:fs/promises";
import { join } from "node:path";
import { DuckDBMapValue, type DuckDBValue } from "@duckdb/node-api";
import {
  type AddFile,
  buildStats,
  type ColumnStats,
  type DeltaType,
  type DeltaValue,
  encodeAddPath,
  inDateRange,
  isPrimitive,
  type PartitionValues,
  type PrimitiveType,
  partitionDirectory,
  type StructType,
  serializePartitionValue,
  statsColumnKey,
  ValueOutOfRangeError,
} from "../delta/index.ts";
import type { ParquetCodec } from "./duckdb-parquet.ts";
import { type DuckDbSession, sqlIdentifier, sqlString } from "./duckdb-session.ts";
import { parseDuckDbText } from "./duckdb-text.ts";

/** One Parquet file written to the staging folder, described for its `add` action. */
export interface StagedDataFile {
  /** Where the file is on the local disk. */
  readonly localPath: string;
  /** Its path relative to the table root (not URI-encoded): `year=2024/part-00000-<uuid>-c000.zstd.parquet`. */
  readonly relativePath: string;
  readonly partitionValues: PartitionValues;
  readonly size: number;
  readonly numRecords: number;
  /** The `add.stats` JSON text. */
  readonly stats: string;
}

/** The `add` action of a staged file once uploaded to its relative path. */
export function addActionFor(file: StagedDataFile, modificationTime: number, dataChange = true): AddFile {
  return {
    path: encodeAddPath(file.relativePath),
    partitionValues: file.partitionValues,
    size: file.size,
    modificationTime,
    dataChange,
    stats: file.stats,
  };
}

/** How to lay out the files. */
export interface DataFileLayout {
  /** The table schema (partition columns included). */
  readonly schema: StructType;
  readonly partitionColumns: readonly string[];
  readonly codec?: ParquetCodec;
  /** Roll over to a new file past about this many bytes (DuckDB's FILE_SIZE_BYTES); unpartitioned writes only. */
  readonly targetFileSizeBytes?: number;
  /** `delta.dataSkippingNumIndexedCols` (default 32). */
  readonly indexedColumns?: number;
}

/**
 * Runs `sourceSql` (whose columns are the schema's, by name) and writes its rows as Parquet files
 * into `staging`. Empty strings in string partition columns become null, as Delta requires. Returns
 * nothing for an empty result.
 */
export async function writeDataFiles(
  session: DuckDbSession,
  sourceSql: string,
  layout: DataFileLayout,
  staging: string,
): Promise<StagedDataFile[]> {
  const codec = layout.codec ?? "zstd";
  // DuckDB refuses to COPY into a non-empty folder: every call gets its own.
  const target = await mkdtemp(join(staging, "copy-"));
  const partitions = new Set(layout.partitionColumns);
  const select = layout.schema.fields.map((f) => {
    const column = sqlIdentifier(f.name);
    return partitions.has(f.name) && f.type === "string" ? `NULLIF(${column}, '') AS ${column}` : column;
  });
  const options = [`FORMAT parquet`, `COMPRESSION ${codec}`, `RETURN_STATS true`];
  if (layout.partitionColumns.length > 0) {
    options.push(
      `PARTITION_BY (${layout.partitionColumns.map(sqlIdentifier).join(", ")})`,
      `FILENAME_PATTERN 'part-{uuid}'`,
    );
  } else if (layout.targetFileSizeBytes !== undefined) {
    options.push(`FILENAME_PATTERN 'part-{uuid}'`);
  }
  // DuckDB 1.5 cannot combine FILE_SIZE_BYTES with PARTITION_BY: partitioned writes get one file per partition.
  if (layout.targetFileSizeBytes !== undefined && layout.partitionColumns.length === 0) {
    options.push(`FILE_SIZE_BYTES ${layout.targetFileSizeBytes}`);
  }
  const single = layout.partitionColumns.length === 0 && layout.targetFileSizeBytes === undefined;
  const destination = single ? join(target, "part.parquet") : target;
  const reader = await session.connection.runAndReadAll(
    `COPY (SELECT ${select.join(", ")} FROM (${sourceSql})) TO ${sqlString(destination)} (${options.join(", ")})`,
  );
  const names = reader.columnNames();
  const col = (name: string) => names.indexOf(name);
  const files: StagedDataFile[] = [];
  reader.getRows().forEach((row, i) => {
    const numRecords = Number(row[col("count")]);
    if (numRecords === 0) return;
    const partitionValues = partitionValuesOf(row[col("partition_keys")] ?? null, layout);
    const directory = partitionDirectory(
      layout.partitionColumns.map((name) => ({ name, value: partitionValues[name] ?? null })),
    );
    const name = `part-${String(i).padStart(5, "0")}-${randomUUID()}-c000.${codec === "uncompressed" ? "" : `${codec}.`}parquet`;
    files.push({
      localPath: String(row[col("filename")]),
      relativePath: `${directory}${name}`,
      partitionValues,
      size: Number(row[col("file_size_bytes")]),
      numRecords,
      stats: buildStats(
        numRecords,
        columnStats(row[col("column_statistics")] ?? null, layout.schema),
        layout.schema,
        {
          partitionColumns: layout.partitionColumns,
          ...(layout.indexedColumns === undefined ? {} : { indexedColumns: layout.indexedColumns }),
        },
      ),
    });
  });
  return files;
}

function partitionValuesOf(value: DuckDBValue, layout: DataFileLayout): PartitionValues {
  const keys = value instanceof DuckDBMapValue ? value.entries : [];
  const result: Record<string, string | null> = {};
  for (const name of layout.partitionColumns) {
    const entry = keys.find((e) => e.key === name);
    const field = layout.schema.fields.find((f) => f.name === name);
    const text = entry?.value;
    if (text === null || text === undefined || field === undefined || !isPrimitive(field.type)) {
      result[name] = null;
      continue;
    }
    result[name] = serializePartitionValue(deltaValueOf(name, String(text), field.type) ?? null, field.type);
  }
  return result;
}

/** DuckDB's per-column statistics keyed the way buildStats expects. */
function columnStats(value: DuckDBValue, schema: StructType): Map<string, ColumnStats> {
  const result = new Map<string, ColumnStats>();
  if (!(value instanceof DuckDBMapValue)) return result;
  for (const { key, value: stats } of value.entries) {
    const path = parseColumnPath(String(key));
    const type = leafType(schema, path);
    // Lists and maps report per element ("li"."element"); Delta keeps no stats for them.
    if (type === undefined || !(stats instanceof DuckDBMapValue)) continue;
    const entries = new Map(
      stats.entries.map((e) => [String(e.key), e.value === null ? null : String(e.value)]),
    );
    const column: ColumnStats = { nullCount: BigInt(entries.get("null_count") ?? "0") };
    const min = entries.get("min");
    const max = entries.get("max");
    // With NaNs present DuckDB's min/max do not bound every value; leave them out.
    if (isPrimitive(type) && entries.get("has_nan") !== "true" && min != null && max != null) {
      const minValue = deltaValueOf(path.join("."), min, type);
      const maxValue = deltaValueOf(path.join("."), max, type);
      if (minValue !== undefined && maxValue !== undefined) {
        column.min = minValue;
        column.max = maxValue;
      }
    }
    result.set(statsColumnKey(path), column);
  }
  return result;
}

/**
 * The Delta value of DuckDB's text for a value of `column` (a min, a max, a partition key).
 * @throws ValueOutOfRangeError for a date or timestamp outside the years 0001-9999 (infinite ones
 * included): checked on every file's min and max, so no such value is ever committed.
 */
function deltaValueOf(column: string, text: string, type: PrimitiveType): DeltaValue | undefined {
  const temporal = type === "date" || type === "timestamp" || type === "timestamp_ntz";
  if (temporal && /^-?infinity$/.test(text)) throw new ValueOutOfRangeError(column, text, type);
  const value = parseDuckDbText(text, type);
  if (value !== undefined && !inDateRange(value, type)) throw new ValueOutOfRangeError(column, text, type);
  return value;
}

/** `"a"."b ""c"""` → ["a", 'b "c"']. */
function parseColumnPath(text: string): string[] {
  const parts: string[] = [];
  const pattern = /"((?:[^"]|"")*)"|([^."]+)/g;
  for (const match of text.matchAll(pattern))
    parts.push(match[1] !== undefined ? match[1].replaceAll('""', '"') : (match[2] ?? ""));
  return parts;
}

function leafType(schema: StructType, path: readonly string[]): DeltaType | undefined {
  let type: DeltaType = schema;
  for (const name of path) {
    if (typeof type === "string" || type.type !== "struct") return undefined;
    const next: DeltaType | undefined = type.fields.find((f) => f.name === name)?.type;
    if (next === undefined) return undefined;
    type = next;
  }
  return typeof type === "string" ? type : undefined;
}
