import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import {
  type DeltaType,
  field,
  isPrimitive,
  parseSchema,
  type StructType,
  struct,
} from "../../src/delta/schema.ts";
import {
  buildStats,
  type ColumnStats,
  type ParsedStats,
  parseStats,
  StatsNumber,
  type StatsOptions,
  statsColumns,
  statsValue,
} from "../../src/delta/stats.ts";
import { CORPUS_DIR, corpusTable } from "../helpers/corpus.ts";

interface LogLine {
  add?: { stats?: string | null };
  metaData?: { schemaString: string; partitionColumns: string[]; configuration?: Record<string, string> };
}

/** Each add's stats in a corpus table's JSON commits, with the metadata in force. */
function corpusStats(table: string): { stats: string; schema: StructType; options: StatsOptions }[] {
  const dir = `${corpusTable(table)}/_delta_log`;
  const out: { stats: string; schema: StructType; options: StatsOptions }[] = [];
  let metaData: LogLine["metaData"];
  for (const name of readdirSync(dir)
    .filter((n) => /^\d{20}\.json$/.test(n))
    .sort()) {
    for (const line of readFileSync(`${dir}/${name}`, "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "")) {
      const action = JSON.parse(line) as LogLine;
      metaData = action.metaData ?? metaData;
      if (!action.add?.stats || !metaData) continue;
      const config = metaData.configuration ?? {};
      const mode = config["delta.columnMapping.mode"];
      const options: StatsOptions = {
        partitionColumns: metaData.partitionColumns,
        columnMappingMode: mode === "name" || mode === "id" ? mode : "none",
        indexedColumns: Number(config["delta.dataSkippingNumIndexedCols"] ?? 32),
      };
      out.push({ stats: action.add.stats, schema: parseSchema(metaData.schemaString), options });
    }
  }
  return out;
}

/** What a writer would have measured, read back from parsed stats. */
function measured(parsed: ParsedStats, schema: StructType, options: StatsOptions): Map<string, ColumnStats> {
  const columns = new Map<string, ColumnStats>();
  for (const c of statsColumns(schema, options)) {
    const nullCount = statsValue(parsed.nullCount, c.path, "long");
    if (typeof nullCount !== "bigint") continue;
    const type: DeltaType = isPrimitive(c.type) ? c.type : "void";
    const min = statsValue(parsed.minValues, c.path, type);
    const max = statsValue(parsed.maxValues, c.path, type);
    columns.set(c.key, {
      nullCount,
      ...(min === undefined ? {} : { min }),
      ...(max === undefined ? {} : { max }),
    });
  }
  return columns;
}

function rebuild(stats: string, schema: StructType, options: StatsOptions): string {
  const parsed = parseStats(stats);
  assert.ok(parsed?.numRecords !== undefined, stats);
  const tight = parsed.tightBounds === undefined ? {} : { tightBounds: parsed.tightBounds };
  return buildStats(parsed.numRecords, measured(parsed, schema, options), schema, { ...options, ...tight });
}

const TABLES = (
  JSON.parse(readFileSync(`${CORPUS_DIR}/index.json`, "utf8")) as { tables: { name: string }[] }
).tables.map((t) => t.name);
// delta-rs copies Parquet statistics: its own key order and boolean bounds Spark does not write.
const DELTA_RS = new Set(["drs_partition-type-primitives", "drs_table_failed_last_checkpoint_update"]);
// Spark writes small decimals with BigDecimal.toString (-3.1661E-8), which older delta-rs cannot read.
const SCIENTIFIC_DECIMALS = "golden_decimal-various-scale-precision";

const long = (name: string) => field(name, "long");
const only = (key: string, stats: ColumnStats) => new Map([[key, stats]]);

describe("buildStats", () => {
  const sparkTables = TABLES.filter(
    (t) => !DELTA_RS.has(t) && t !== SCIENTIFIC_DECIMALS && corpusStats(t).length > 0,
  );
  for (const table of sparkTables) {
    it(`reproduces byte for byte the stats Spark or Databricks wrote in ${table}`, () => {
      for (const { stats, schema, options } of corpusStats(table)) {
        assert.equal(rebuild(stats, schema, options), stats);
      }
    });
  }

  it("writes decimals in plain notation with scale digits where Spark wrote exponents", () => {
    const first = corpusStats(SCIENTIFIC_DECIMALS)[0];
    assert.ok(first);
    const { stats, schema, options } = first;
    const rebuilt = rebuild(stats, schema, options);
    assert.match(stats, /"decimal_25_12":-3\.1661E-8/);
    assert.match(rebuilt, /"decimal_25_12":-0\.000000031661,/);
    const [original, ours] = [parseStats(stats), parseStats(rebuilt)] as [ParsedStats, ParsedStats];
    assert.deepEqual(measured(ours, schema, options), measured(original, schema, options));
  });

  it("cuts a 40-character string to 32 for the min and adds a tie-breaker to the max", () => {
    const schema = struct(field("s", "string"));
    const a40 = "a".repeat(40);
    const json = buildStats(1, only("s", { min: a40, max: a40, nullCount: 0 }), schema);
    assert.equal(
      json,
      `{"numRecords":1,"minValues":{"s":"${"a".repeat(32)}"},"maxValues":{"s":"${"a".repeat(32)}\u007f"},"nullCount":{"s":0}}`,
    );
    const accented = `${"a".repeat(32)}éz`;
    const max = parseStats(
      buildStats(1, only("s", { min: accented, max: accented, nullCount: 0 }), schema),
    )?.maxValues;
    assert.equal(max?.s, `${"a".repeat(32)}\u{10FFFF}`);
  });

  it("keeps a surrogate pair at position 32 whole in both bounds", () => {
    const schema = struct(field("s", "string"));
    const value = `${"a".repeat(31)}😈${"b".repeat(10)}`;
    const parsed = parseStats(buildStats(1, only("s", { min: value, max: value, nullCount: 0 }), schema));
    assert.equal(parsed?.minValues.s, `${"a".repeat(31)}😈`);
    assert.equal(parsed?.maxValues.s, `${"a".repeat(31)}😈\u007f`);
  });

  it("grows the max prefix past U+10FFFF characters and writes no max when 64 units cannot bound it", () => {
    const schema = struct(field("s", "string"));
    const max = (value: string) =>
      parseStats(buildStats(1, only("s", { min: "a", max: value, nullCount: 0 }), schema))?.maxValues.s;
    const top = "\u{10FFFF}";
    assert.equal(max(`${"a".repeat(32)}${top}${top}b`), `${"a".repeat(32)}${top}${top}\u007f`);
    assert.equal(max(`${"a".repeat(32)}${top.repeat(5)}`), `${"a".repeat(32)}${top.repeat(5)}`);
    assert.equal(max(`${"a".repeat(32)}${top.repeat(17)}b`), undefined);
  });

  it("truncates timestamps down to milliseconds, in UTC with Z and without Z for timestamp_ntz", () => {
    const schema = struct(field("ts", "timestamp"), field("ntz", "timestamp_ntz"));
    const columns = new Map<string, ColumnStats>([
      ["ts", { min: -1n, max: 1706695200123999n, nullCount: 0 }],
      ["ntz", { min: 234234000000n, max: 234234000999n, nullCount: 0 }],
    ]);
    assert.equal(
      buildStats(2, columns, schema),
      '{"numRecords":2,"minValues":{"ts":"1969-12-31T23:59:59.999Z","ntz":"1970-01-03T17:03:54.000"},' +
        '"maxValues":{"ts":"2024-01-31T10:00:00.123Z","ntz":"1970-01-03T17:03:54.000"},"nullCount":{"ts":0,"ntz":0}}',
    );
  });

  it("nests struct stats by physical name and addresses a dotted name with backticks", () => {
    const inner = struct(field("a.b", "integer"), field("c", "boolean"));
    const schema = struct(
      field("n", inner),
      field("m", { type: "map", keyType: "string", valueType: "long", valueContainsNull: true }),
    );
    const columns = new Map<string, ColumnStats>([
      ["n.`a.b`", { min: 1, max: 9, nullCount: 0 }],
      ["n.c", { min: false, max: true, nullCount: 1 }],
      ["m", { nullCount: 2 }],
    ]);
    assert.equal(
      buildStats(3, columns, schema),
      '{"numRecords":3,"minValues":{"n":{"a.b":1}},"maxValues":{"n":{"a.b":9}},"nullCount":{"n":{"a.b":0,"c":1},"m":2}}',
    );
  });

  it("collects stats for the first 32 leaf columns only, counting struct leaves and an array as one", () => {
    const schema = struct(
      ...Array.from({ length: 30 }, (_, i) => long(`c${i}`)),
      field("arr", { type: "array", elementType: "long", containsNull: true }),
      field("s", struct(long("x"), long("y"))),
    );
    const keys = statsColumns(schema).map((c) => c.key);
    assert.deepEqual(keys.slice(-3), ["c29", "arr", "s.x"]);
    const all = new Map(
      statsColumns(schema, { indexedColumns: -1 }).map((c) => [c.key, { min: 1n, max: 2n, nullCount: 0 }]),
    );
    all.set("arr", { min: 1n, max: 2n, nullCount: 0 });
    const parsed = parseStats(buildStats(1, all, schema));
    assert.equal(Object.keys(parsed?.nullCount ?? {}).length, 32);
    assert.deepEqual(parsed?.nullCount.s, { x: new StatsNumber("0") });
    assert.equal(parsed?.minValues.arr, undefined);
    assert.equal(
      Object.keys(parseStats(buildStats(1, all, schema, { indexedColumns: 0 }))?.nullCount ?? {}).length,
      0,
    );
  });

  it("leaves out partition columns and uses physical names under column mapping", () => {
    const mapped = { ...field("value", "long"), metadata: { "delta.columnMapping.physicalName": "col-1" } };
    const schema = struct(field("part", "string"), mapped);
    const options: StatsOptions = {
      partitionColumns: ["PART"],
      columnMappingMode: "name",
      tightBounds: true,
    };
    assert.equal(
      buildStats(1, only("col-1", { min: 5n, max: 5n, nullCount: 0 }), schema, options),
      '{"numRecords":1,"minValues":{"col-1":5},"maxValues":{"col-1":5},"nullCount":{"col-1":0},"tightBounds":true}',
    );
  });

  it("writes doubles Java style with NaN as a string, longs and decimals exactly, and all-null columns without bounds", () => {
    const schema = struct(
      field("d", "double"),
      field("l", "long"),
      field("dec", "decimal(38,2)"),
      field("z", "date"),
    );
    const columns = new Map<string, ColumnStats>([
      ["d", { min: 1e10, max: Number.NaN, nullCount: 0 }],
      ["l", { min: -9223372036854775808n, max: 9007199254740993n, nullCount: 0n }],
      ["dec", { min: "-123456789012345678901234567890123456.78", max: "0.50", nullCount: 0 }],
      ["z", { nullCount: 4 }],
    ]);
    assert.equal(
      buildStats(4, columns, schema),
      '{"numRecords":4,"minValues":{"d":1.0E10,"l":-9223372036854775808,"dec":-123456789012345678901234567890123456.78},' +
        '"maxValues":{"d":"NaN","l":9007199254740993,"dec":0.50},"nullCount":{"d":0,"l":0,"dec":0,"z":4}}',
    );
  });

  it("refuses stats for a column the schema does not have or of the wrong type", () => {
    const schema = struct(long("l"));
    assert.throws(() => buildStats(1, only("x", { nullCount: 0 }), schema), {
      message: 'Stats for "x", which is no leaf column of the schema',
    });
    assert.throws(() => buildStats(1, only("l", { min: 1, nullCount: 0 }), schema), {
      message:
        "Invalid stats min for long column l: Cannot write 1 as a long partition value: expected a bigint",
    });
  });
});

describe("parseStats", () => {
  it("returns undefined for null, empty or invalid text rather than failing a read", () => {
    for (const text of [null, undefined, "", "nope", '{"numRecords":1,', "[1]", '{"a":1}x', '{"a":01}']) {
      assert.equal(parseStats(text), undefined, String(text));
    }
  });

  it("tolerates missing parts and reads tightBounds", () => {
    assert.deepEqual(parseStats('{"numRecords":3}'), {
      numRecords: 3,
      minValues: {},
      maxValues: {},
      nullCount: {},
    });
    assert.equal(parseStats('{"numRecords":3,"tightBounds":false}')?.tightBounds, false);
    assert.equal(parseStats('{"minValues":{}}')?.numRecords, undefined);
  });

  it("keeps longs and decimals past double precision exact", () => {
    const parsed = parseStats(
      '{"numRecords":1,"minValues":{"l":9007199254740993,"d":-3.1661E-8},"maxValues":{}}',
    );
    assert.ok(parsed);
    assert.equal(statsValue(parsed.minValues, ["l"], "long"), 9007199254740993n);
    assert.equal(statsValue(parsed.minValues, ["d"], "decimal(25,12)"), "-0.000000031661");
  });

  it("reads the typed bounds of the corpus's nested, timestamp and delta-rs boolean stats", () => {
    const [allTypes] = corpusStats("golden_parquet-all-types");
    const parsed = parseStats(allTypes?.stats);
    assert.ok(parsed);
    assert.equal(statsValue(parsed.minValues, ["TimestampType"], "timestamp"), 23423523000n);
    assert.equal(statsValue(parsed.minValues, ["TimestampNTZType"], "timestamp_ntz"), 234234000000n);
    assert.equal(statsValue(parsed.maxValues, ["nested_struct", "ac", "aca"], "integer"), 199);
    assert.equal(statsValue(parsed.nullCount, ["array_of_prims"], "long"), 200n);
    assert.equal(statsValue(parsed.minValues, ["missing"], "long"), undefined);
    const [rs] = corpusStats("drs_table_failed_last_checkpoint_update");
    assert.equal(statsValue(parseStats(rs?.stats)?.minValues ?? {}, ["deleted"], "boolean"), false);
  });

  it("treats __proto__ as an ordinary column name", () => {
    const parsed = parseStats('{"numRecords":1,"minValues":{"__proto__":7}}');
    assert.equal(statsValue(parsed?.minValues ?? {}, ["__proto__"], "integer"), 7);
    assert.equal(statsValue(parsed?.minValues ?? {}, ["constructor"], "integer"), undefined);
  });
});
