import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { field, MapValue, struct } from "../../src/delta/index.ts";
import { DeltaContext, sqlString, writeTable } from "../../src/engine/index.ts";
import { LocalStore } from "../../src/storage/index.ts";

let dir: string;
let ctx: DeltaContext;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "lake-types-"));
  ctx = await DeltaContext.open({ threads: 1 });
});
after(async () => {
  ctx.close();
  await rm(dir, { recursive: true, force: true });
});

// The spec's "Delta Data Type to Parquet Type Mappings" (checklist 1.16), as Spark and delta-rs read them.
it("writes each Delta type with the Parquet physical and logical type the spec maps it to", async () => {
  const schema = struct(
    field("l", "long"),
    field("i", "integer"),
    field("sh", "short"),
    field("b", "byte"),
    field("f", "float"),
    field("d", "double"),
    field("dec9", "decimal(9,2)"),
    field("dec18", "decimal(18,3)"),
    field("dec38", "decimal(38,6)"),
    field("bo", "boolean"),
    field("bin", "binary"),
    field("s", "string"),
    field("da", "date"),
    field("ts", "timestamp"),
    field("ntz", "timestamp_ntz"),
    field("st", struct(field("a", "long"))),
    field("ar", { type: "array", elementType: "integer", containsNull: true }),
    field("m", { type: "map", keyType: "string", valueType: "long", valueContainsNull: true }),
  );
  const row = {
    l: 1n,
    i: 1,
    sh: 1,
    b: 1,
    f: 1,
    d: 1,
    dec9: "1.00",
    dec18: "1.000",
    dec38: "1.000000",
    bo: true,
    bin: new Uint8Array([1]),
    s: "x",
    da: 1,
    ts: 1n,
    ntz: 1n,
    st: { a: 1n },
    ar: [1],
    m: new MapValue([["k", 1n]]),
  };
  await writeTable(ctx, new LocalStore(dir), { rows: [row], schema });
  const file = (await readdir(dir)).find((name) => name.endsWith(".parquet"));
  assert.ok(file);
  const reader = await ctx.session.connection.runAndReadAll(
    `SELECT name, type, repetition_type, converted_type, logical_type FROM parquet_schema(${sqlString(join(dir, file))})`,
  );
  const columns = reader
    .getRows()
    .slice(1)
    .map((r) => r.map((v) => (v === null ? "-" : String(v))).join(" "));
  const utc = (adjusted: number) =>
    `TimestampType(isAdjustedToUTC=${adjusted}, unit=TimeUnit(MILLIS=<null>, MICROS=MicroSeconds(), NANOS=<null>))`;
  assert.deepEqual(columns, [
    "l INT64 OPTIONAL INT_64 -",
    "i INT32 OPTIONAL INT_32 -",
    "sh INT32 OPTIONAL INT_16 -",
    "b INT32 OPTIONAL INT_8 -",
    "f FLOAT OPTIONAL - -",
    "d DOUBLE OPTIONAL - -",
    "dec9 INT32 OPTIONAL DECIMAL DecimalType(scale=2, precision=9)",
    "dec18 INT64 OPTIONAL DECIMAL DecimalType(scale=3, precision=18)",
    "dec38 FIXED_LEN_BYTE_ARRAY OPTIONAL DECIMAL DecimalType(scale=6, precision=38)",
    "bo BOOLEAN OPTIONAL - -",
    "bin BYTE_ARRAY OPTIONAL - -",
    "s BYTE_ARRAY OPTIONAL UTF8 -",
    "da INT32 OPTIONAL DATE -",
    `ts INT64 OPTIONAL TIMESTAMP_MICROS ${utc(1)}`,
    `ntz INT64 OPTIONAL TIMESTAMP_MICROS ${utc(0)}`,
    "st - OPTIONAL - -",
    "a INT64 OPTIONAL INT_64 -",
    "ar - OPTIONAL LIST -",
    "list - REPEATED - -",
    "element INT32 OPTIONAL INT_32 -",
    "m - OPTIONAL MAP -",
    "key_value - REPEATED - -",
    "key BYTE_ARRAY REQUIRED UTF8 -",
    "value INT64 OPTIONAL INT_64 -",
  ]);
});
