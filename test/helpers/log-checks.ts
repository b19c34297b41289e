/**
 * Assertions of the Delta writer rules in shared/DELTA-CHECKLIST.md, applied to one commit file of a
 * table we wrote: action shapes and fields, partition value serialization, path encoding, and stats
 * that really bound the data file's values (checked by reading the file with DuckDB).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  type Action,
  type AddFile,
  commitKey,
  decodeAddPath,
  encodeAddPath,
  isPrimitive,
  parseActions,
  parsePartitionValue,
  parseStats,
  StatsNumber,
  type StructType,
  serializePartitionValue,
} from "../../src/delta/index.ts";
import { type DeltaContext, parquetScan, sqlIdentifier, sqlString } from "../../src/engine/index.ts";
import type { LocalStore } from "../../src/storage/index.ts";

/** Parses commit `version` and checks the rules every commit must follow; returns its actions. */
export async function checkCommit(store: LocalStore, version: number): Promise<Action[]> {
  const text = new TextDecoder().decode(await store.get(commitKey(version)));
  assert.ok(text.endsWith("\n"), "a commit ends with a newline");
  for (const line of text.trimEnd().split("\n")) {
    const parsed = JSON.parse(line) as Record<string, unknown>;
    assert.equal(Object.keys(parsed).length, 1, `one action per line: ${line.slice(0, 80)}`);
  }
  const actions = parseActions(text);
  const info = actions.find((a) => "commitInfo" in a);
  assert.ok(info && "commitInfo" in info, "every commit records commitInfo");
  const ci = info.commitInfo;
  assert.equal(typeof ci.timestamp, "number");
  assert.equal(typeof ci.operation, "string");
  assert.equal(typeof ci.operationParameters, "object");
  assert.match(ci.engineInfo ?? "", /^medallion-lake\/\d+\.\d+\.\d+/);
  assert.equal(typeof ci.isBlindAppend, "boolean");
  if (version > 0) assert.equal(typeof ci.readVersion, "number");
  const count = (kind: string) => actions.filter((a) => kind in a).length;
  assert.ok(count("metaData") <= 1 && count("protocol") <= 1, "at most one metaData and one protocol");
  if (version === 0)
    assert.ok(count("metaData") === 1 && count("protocol") === 1, "version 0 has protocol and metaData");
  const paths = actions.flatMap((a) =>
    "add" in a ? [`add ${a.add.path}`] : "remove" in a ? [`remove ${a.remove.path}`] : [],
  );
  assert.equal(new Set(paths).size, paths.length, "no two file actions of one kind for a path");
  return actions;
}

/** Checks an add's fields, its path encoding and partition values, and its stats against the file. */
export async function checkAdd(
  ctx: DeltaContext,
  store: LocalStore,
  add: AddFile,
  schema: StructType,
  partitionColumns: readonly string[],
) {
  assert.ok(!add.path.startsWith("/") && !/^[a-z]+:/.test(add.path), "paths are relative");
  const relative = decodeAddPath(add.path);
  assert.equal(encodeAddPath(relative), add.path, "the path is URI-encoded exactly once");
  const local = join(new URL(store.location).pathname, relative);
  const meta = await store.head(relative);
  assert.equal(add.size, meta.size, "size is the file's size in bytes");
  assert.equal(typeof add.modificationTime, "number");
  assert.equal(typeof add.dataChange, "boolean");
  assert.deepEqual(
    Object.keys(add.partitionValues).sort(),
    [...partitionColumns].sort(),
    "every partition column is a key",
  );
  for (const name of partitionColumns) {
    const type = schema.fields.find((f) => f.name === name)?.type;
    assert.ok(type !== undefined && isPrimitive(type));
    const text = add.partitionValues[name] ?? null;
    assert.notEqual(text, "", "an empty partition value is written as null");
    assert.equal(
      serializePartitionValue(parsePartitionValue(text, type), type),
      text,
      `canonical form of ${name}=${text}`,
    );
  }
  const columns = (
    await ctx.session.connection.runAndReadAll(`SELECT * FROM ${parquetScan(local)} LIMIT 0`)
  ).columnNames();
  for (const name of partitionColumns)
    assert.ok(!columns.includes(name), `partition column ${name} is not in the data file`);
  const stats = parseStats(add.stats);
  assert.ok(stats, "every add carries stats");
  const [count] =
    (await ctx.session.connection.runAndReadAll(`SELECT count(*) FROM ${parquetScan(local)}`)).getRows()[0] ??
    [];
  assert.equal(stats.numRecords, Number(count), "numRecords is the file's row count");
  await checkBounds(ctx, local, add.stats ?? "", schema, partitionColumns);
}

/** Min/max stats of top-level primitive columns must bound the file's values; nullCount must be exact. */
async function checkBounds(
  ctx: DeltaContext,
  local: string,
  statsText: string,
  schema: StructType,
  partitionColumns: readonly string[],
) {
  // Lossless parse: decimals and longs past 2^53 keep their exact text.
  const stats = parseStats(statsText);
  assert.ok(stats);
  for (const f of schema.fields) {
    if (partitionColumns.includes(f.name) || !isPrimitive(f.type)) continue;
    const column = sqlIdentifier(f.name);
    const [nulls] =
      (
        await ctx.session.connection.runAndReadAll(
          `SELECT count(*) FILTER (WHERE ${column} IS NULL) FROM ${parquetScan(local)}`,
        )
      ).getRows()[0] ?? [];
    assert.equal(Number(jsonText(stats.nullCount[f.name])), Number(nulls), `nullCount of ${f.name}`);
    const min = jsonText(stats.minValues[f.name]);
    const max = jsonText(stats.maxValues[f.name]);
    if (min === undefined || max === undefined) continue;
    const bound = boundExpression(f.type, column);
    if (bound === undefined) continue;
    const [below, above] =
      (
        await ctx.session.connection.runAndReadAll(
          `SELECT count(*) FILTER (WHERE ${bound} < ${literal(min, f.type)}), count(*) FILTER (WHERE ${bound} > ${literal(max, f.type)}) FROM ${parquetScan(local)}`,
        )
      ).getRows()[0] ?? [];
    assert.equal(Number(below), 0, `min of ${f.name} (${String(min)}) bounds every value`);
    assert.equal(Number(above), 0, `max of ${f.name} (${String(max)}) bounds every value`);
  }
}

/** The text of a stats value (a StatsNumber's exact digits, or the string). */
function jsonText(value: unknown): string | undefined {
  if (value instanceof StatsNumber) return value.text;
  return typeof value === "string" ? value : undefined;
}

/** Compare timestamps at the stats' millisecond precision (min truncated down, max widened by 1 ms). */
function boundExpression(type: string, column: string): string | undefined {
  if (type === "timestamp" || type === "timestamp_ntz") return `date_trunc('millisecond', ${column})`;
  if (type === "float" || type === "double") return `CASE WHEN isnan(${column}) THEN NULL ELSE ${column} END`;
  return column;
}

function literal(value: string, type: string): string {
  if (value === "NaN" || value === "Infinity" || value === "-Infinity")
    return `${sqlString(String(value))}::DOUBLE`;
  if (type === "timestamp") return `${sqlString(String(value))}::TIMESTAMPTZ`;
  if (type === "timestamp_ntz") return `${sqlString(String(value))}::TIMESTAMP`;
  if (type === "date") return `${sqlString(String(value))}::DATE`;
  if (type === "string") return sqlString(String(value));
  return String(value);
}
