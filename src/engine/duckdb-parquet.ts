/**
 * The Delta layer's Parquet port implemented with DuckDB: checkpoint rows through `to_json`, data
 * files through typed values, Parquet writing through `COPY ... TO`.
 */
import { readFile, rm, writeFile } from "node:fs/promises";
import type { DuckDBValue } from "@duckdb/node-api";
import type { DataFileRequest, ParquetPort, Row, StructType } from "../delta/index.ts";
import { fieldId, physicalName } from "../delta/index.ts";
import type { ObjectStore } from "../storage/index.ts";
import { toDeltaValue } from "./delta-values.ts";
import { type DuckDbSession, parquetScan, sqlString } from "./duckdb-session.ts";
import { duckDbType } from "./duckdb-types.ts";
import { localFile } from "./local-files.ts";
import type { ReadCache } from "./read-cache.ts";
import type { StagingArea } from "./staging-area.ts";

/** Parquet compression codecs DuckDB writes. */
export type ParquetCodec = "snappy" | "zstd" | "uncompressed";

export class DuckDbParquet implements ParquetPort {
  constructor(
    private readonly session: DuckDbSession,
    private readonly cache: ReadCache,
    private readonly staging: StagingArea,
    private readonly codec: ParquetCodec = "snappy",
  ) {}

  async readRows(store: ObjectStore, key: string): Promise<Record<string, unknown>[]> {
    const file = await localFile(store, key, this.cache);
    try {
      const reader = await this.session.connection.runAndReadAll(
        `SELECT to_json(t)::VARCHAR AS j FROM ${parquetScan(file.path)} t`,
      );
      return reader.getRows().map((row) => JSON.parse(String(row[0])) as Record<string, unknown>);
    } finally {
      await file.release();
    }
  }

  async writeRows(rows: readonly Record<string, unknown>[], schema: StructType): Promise<Uint8Array> {
    const input = this.staging.file(".ndjson");
    const output = this.staging.file(".parquet");
    try {
      await writeFile(input, rows.map((row) => JSON.stringify(row)).join("\n"));
      const columns = schema.fields
        .map((f) => `${sqlString(f.name)}: ${sqlString(duckDbType(f.type))}`)
        .join(", ");
      await this.session.connection.run(
        `COPY (SELECT * FROM read_json(${sqlString(input)}, format = 'newline_delimited', columns = {${columns}}))
         TO ${sqlString(output)} (FORMAT parquet, COMPRESSION ${this.codec})`,
      );
      return new Uint8Array(await readFile(output));
    } finally {
      await rm(input, { force: true });
      await rm(output, { force: true });
    }
  }

  async readDataFile(store: ObjectStore, request: DataFileRequest): Promise<Row[]> {
    const file = await localFile(store, request.key, this.cache);
    try {
      const withRowNumber = request.deletedRows !== undefined;
      // Deleted rows are left out below, so a limit must leave room for every one of them.
      const limit =
        request.limit === undefined ? "" : ` LIMIT ${request.limit + (request.deletedRows?.size ?? 0)}`;
      const reader = await this.session.connection.runAndReadAll(
        `SELECT * FROM ${parquetScan(file.path, { fileRowNumber: withRowNumber })}${limit}`,
      );
      const names = reader.columnNames();
      const index = new Map(names.map((name, i) => [name, i]));
      const lowerIndex = new Map(names.map((name, i) => [name.toLowerCase(), i]));
      const byFieldId =
        request.columnMapping === "id" ? await this.fieldIds(file.path) : new Map<number, string>();
      const columnOf = request.columns.map((f) => {
        const name = physicalName(f, request.columnMapping);
        const id = fieldId(f);
        const viaId = id === undefined ? undefined : byFieldId.get(id);
        return (
          index.get(name) ??
          (viaId === undefined ? undefined : index.get(viaId)) ??
          lowerIndex.get(name.toLowerCase())
        );
      });
      const rowNumberColumn = withRowNumber ? index.get("file_row_number") : undefined;
      const rows: Row[] = [];
      for (const values of reader.getRows()) {
        if (rowNumberColumn !== undefined && request.deletedRows?.has(Number(values[rowNumberColumn])))
          continue;
        const row: Row = {};
        request.columns.forEach((f, i) => {
          const column = columnOf[i];
          const value: DuckDBValue = column === undefined ? null : (values[column] ?? null);
          row[f.name] = toDeltaValue(value, f.type, request.columnMapping);
        });
        rows.push(row);
        if (rows.length === request.limit) break;
      }
      return rows;
    } finally {
      await file.release();
    }
  }

  /** Top-level Parquet column names by field id (column mapping `id` mode resolves by id). */
  private async fieldIds(path: string): Promise<Map<number, string>> {
    const reader = await this.session.connection.runAndReadAll(
      `SELECT name, field_id FROM parquet_schema(${sqlString(path)}) WHERE field_id IS NOT NULL`,
    );
    return new Map(reader.getRows().map((row) => [Number(row[1]), String(row[0])]));
  }
}
