import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { decodeAddPath } from "../../src/delta/data-file-path.ts";
import {
  parsePartitionValue,
  partitionDirectory,
  serializePartitionValue,
} from "../../src/delta/partition-values.ts";
import { type PrimitiveType, parseSchema } from "../../src/delta/schema.ts";
import { type DeltaValue, formatDate, formatTimestampMicros, toHex } from "../../src/delta/values.ts";
import { CORPUS_DIR, corpusTable } from "../helpers/corpus.ts";

interface LogLine {
  add?: { path: string; partitionValues: Record<string, string | null> };
  remove?: { path: string };
  metaData?: { schemaString: string; partitionColumns: string[] };
}

/** The actions of a corpus table's JSON commits, oldest first. */
function logLines(table: string): LogLine[] {
  const dir = `${corpusTable(table)}/_delta_log`;
  return readdirSync(dir)
    .filter((name) => /^\d{20}\.json$/.test(name))
    .sort()
    .flatMap((name) => readFileSync(`${dir}/${name}`, "utf8").split("\n"))
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as LogLine);
}

/** A typed value in the corpus's canonical row format (README "Canonical row format"). */
function canonical(value: DeltaValue, type: PrimitiveType): unknown {
  if (value === null) return null;
  if (type === "date") return formatDate(value as number);
  if (typeof value === "bigint") return type === "long" ? String(value) : formatTimestampMicros(value, true);
  if (value instanceof Uint8Array) return `hex:${toHex(value)}`;
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return value;
}

const PARTITIONED_TABLES = [
  "golden_data-reader-partition-values",
  "drs_partition-type-primitives",
  "dat_multi_partitioned",
  "golden_kernel-timestamp-partition-col-ISO8601",
];

describe("parsePartitionValue", () => {
  for (const table of PARTITIONED_TABLES) {
    it(`reads every partition value of ${table} as its expected rows show them`, () => {
      const lines = logLines(table);
      const metaData = lines.findLast((line) => line.metaData)?.metaData;
      assert.ok(metaData);
      const types = new Map(parseSchema(metaData.schemaString).fields.map((f) => [f.name, f.type]));
      const active = new Map<string, Record<string, string | null>>();
      for (const { add, remove } of lines) {
        if (add) active.set(add.path, add.partitionValues);
        if (remove) active.delete(remove.path);
      }
      const fromLog = [...active.values()].map((values) =>
        JSON.stringify(
          metaData.partitionColumns.map((c) =>
            canonical(
              parsePartitionValue(values[c], types.get(c) as PrimitiveType),
              types.get(c) as PrimitiveType,
            ),
          ),
        ),
      );
      const rows = readFileSync(`${CORPUS_DIR}/${table}/expected/latest.jsonl`, "utf8").trim().split("\n");
      const expected = rows.map((line) => {
        const row = JSON.parse(line) as Record<string, unknown>;
        return JSON.stringify(metaData.partitionColumns.map((c) => row[c]));
      });
      assert.deepEqual([...new Set(fromLog)].sort(), [...new Set(expected)].sort());
    });
  }

  it("treats null, a missing key and the empty string as null for every type", () => {
    for (const type of ["string", "long", "double", "date", "timestamp", "binary", "decimal(5,2)"] as const) {
      assert.equal(parsePartitionValue(null, type), null);
      assert.equal(parsePartitionValue(undefined, type), null);
      assert.equal(parsePartitionValue("", type), null);
    }
  });

  it("keeps the text of string columns, including null, numbers, booleans and dates", () => {
    for (const text of ["null", "2021.0", "true", "2023-01-01", " padded "]) {
      assert.equal(parsePartitionValue(text, "string"), text);
    }
  });

  it("reads integers into numbers and longs into bigints within their ranges", () => {
    assert.equal(parsePartitionValue("-128", "byte"), -128);
    assert.equal(parsePartitionValue("2147483647", "integer"), 2147483647);
    assert.equal(parsePartitionValue("-9223372036854775808", "long"), -9223372036854775808n);
    assert.throws(() => parsePartitionValue("128", "byte"), {
      message: 'Invalid byte partition value "128": out of range',
    });
  });

  it("reads Spark, delta-rs and Java float forms", () => {
    const cases: [string, number][] = [
      ["1.0", 1],
      ["1", 1],
      ["-0.5", -0.5],
      ["1.0E10", 1e10],
      ["10000000000", 1e10],
      ["NaN", Number.NaN],
      ["Infinity", Number.POSITIVE_INFINITY],
      ["-Infinity", Number.NEGATIVE_INFINITY],
      ["inf", Number.POSITIVE_INFINITY],
      ["-inf", Number.NEGATIVE_INFINITY],
    ];
    for (const [text, value] of cases) assert.equal(parsePartitionValue(text, "double"), value, text);
    assert.equal(parsePartitionValue("0.1", "float"), Math.fround(0.1));
  });

  it("reads booleans in any case", () => {
    assert.equal(parsePartitionValue("TRUE", "boolean"), true);
    assert.equal(parsePartitionValue("False", "boolean"), false);
  });

  it("reads zone-less timestamps as UTC and converts offsets to UTC", () => {
    const at = 1631099471000000n; // 2021-09-08T11:11:11Z
    assert.equal(parsePartitionValue("2021-09-08 11:11:11", "timestamp"), at);
    assert.equal(parsePartitionValue("2021-09-08 11:11:11.123456", "timestamp"), at + 123456n);
    assert.equal(parsePartitionValue("2021-09-08T11:11:11.000000Z", "timestamp"), at);
    assert.equal(parsePartitionValue("2021-09-08T03:11:11-08:00", "timestamp"), at);
    assert.equal(parsePartitionValue("2021-09-08T16:41:11+0530", "timestamp"), at);
    assert.equal(parsePartitionValue("2021-09-08T11:11:11.1234567Z", "timestamp"), at + 123456n);
  });

  it("reads timestamp_ntz with a space or a T and refuses a zone", () => {
    assert.equal(parsePartitionValue("1970-01-03 17:03:54.000", "timestamp_ntz"), 234234000000n);
    assert.equal(parsePartitionValue("1970-01-03T17:03:54", "timestamp_ntz"), 234234000000n);
    assert.throws(() => parsePartitionValue("1970-01-03T17:03:54Z", "timestamp_ntz"), {
      message: 'Invalid timestamp_ntz partition value "1970-01-03T17:03:54Z": timestamp_ntz has no time zone',
    });
  });

  it("normalises decimals to exactly scale fraction digits, accepting exponent forms", () => {
    const cases: [string, string][] = [
      ["0", "0.000"],
      ["-0.00", "0.000"],
      ["1.5", "1.500"],
      ["007.25", "7.250"],
      ["1.0E+3", "1000.000"],
      ["1E-3", "0.001"],
      ["-3.1E-2", "-0.031"],
    ];
    for (const [text, value] of cases) assert.equal(parsePartitionValue(text, "decimal(10,3)"), value, text);
    assert.equal(parsePartitionValue("-3.1661E-8", "decimal(25,12)"), "-0.000000031661");
    assert.equal(parsePartitionValue("200", "decimal(20,0)"), "200");
    assert.throws(() => parsePartitionValue("1.2345", "decimal(10,3)"), {
      message: 'Invalid decimal(10,3) partition value "1.2345": has more than 3 fraction digits',
    });
    assert.throws(() => parsePartitionValue("123456789", "decimal(10,3)"), {
      message: 'Invalid decimal(10,3) partition value "123456789": does not fit decimal(10,3)',
    });
  });

  it("reads binary as the UTF-8 bytes of the text", () => {
    assert.deepEqual(parsePartitionValue("😈", "binary"), new Uint8Array([0xf0, 0x9f, 0x98, 0x88]));
  });

  it("throws an error naming the type and the text for unparseable input", () => {
    assert.throws(() => parsePartitionValue("abc", "integer"), {
      message: 'Invalid integer partition value "abc"',
    });
    assert.throws(() => parsePartitionValue("yes", "boolean"), {
      message: 'Invalid boolean partition value "yes"',
    });
    assert.throws(() => parsePartitionValue("2021-02-30", "date"), {
      message: 'Invalid date partition value "2021-02-30"',
    });
    assert.throws(() => parsePartitionValue("2021-09-08 25:00:00", "timestamp"), {
      message: 'Invalid timestamp partition value "2021-09-08 25:00:00": invalid time of day',
    });
  });
});

describe("serializePartitionValue", () => {
  it("writes doubles and floats as Java's toString does", () => {
    const doubles: [number, string][] = [
      [1, "1.0"],
      [-0.5, "-0.5"],
      [1e10, "1.0E10"],
      [1e7, "1.0E7"],
      [9999999, "9999999.0"],
      [0.001, "0.001"],
      [0.0001, "1.0E-4"],
      [123.456, "123.456"],
      [-0, "-0.0"],
      [Number.NaN, "NaN"],
      [Number.POSITIVE_INFINITY, "Infinity"],
      [Number.NEGATIVE_INFINITY, "-Infinity"],
      [Number.MIN_VALUE, "4.9E-324"],
      [46612611.77, "4.661261177E7"],
    ];
    for (const [value, text] of doubles) assert.equal(serializePartitionValue(value, "double"), text);
    assert.equal(serializePartitionValue(Math.fround(0.1), "float"), "0.1");
    assert.equal(serializePartitionValue(Math.fround(3.4028235e38), "float"), "3.4028235E38");
  });

  it("writes timestamps as ISO-8601 UTC with microseconds and timestamp_ntz as Spark casts it", () => {
    assert.equal(serializePartitionValue(1706695200123456n, "timestamp"), "2024-01-31T10:00:00.123456Z");
    assert.equal(serializePartitionValue(1704103200000000n, "timestamp"), "2024-01-01T10:00:00.000000Z");
    assert.equal(serializePartitionValue(234234000000n, "timestamp_ntz"), "1970-01-03 17:03:54");
    assert.equal(serializePartitionValue(234234120000n, "timestamp_ntz"), "1970-01-03 17:03:54.12");
  });

  it("writes integers, booleans, dates and decimals in Spark's forms", () => {
    assert.equal(serializePartitionValue(-12, "integer"), "-12");
    assert.equal(serializePartitionValue(9223372036854775807n, "long"), "9223372036854775807");
    assert.equal(serializePartitionValue(true, "boolean"), "true");
    assert.equal(serializePartitionValue(18878, "date"), "2021-09-08");
    assert.equal(serializePartitionValue("200", "decimal(38,18)"), "200.000000000000000000");
  });

  it("writes the empty string and empty binary as null, since Delta cannot store them", () => {
    assert.equal(serializePartitionValue("", "string"), null);
    assert.equal(serializePartitionValue(new Uint8Array(), "binary"), null);
    assert.equal(serializePartitionValue(null, "long"), null);
  });

  it("round-trips every type through parsePartitionValue", () => {
    const cases: [DeltaValue, PrimitiveType][] = [
      ["null", "string"],
      ["a/b=c%20 😈", "string"],
      [-128, "byte"],
      [32767, "short"],
      [-2147483648, "integer"],
      [-9223372036854775808n, "long"],
      [Math.fround(0.1), "float"],
      [Math.fround(-1.5e-40), "float"],
      [0.1 + 0.2, "double"],
      [-0, "double"],
      [Number.NaN, "double"],
      [1e300, "double"],
      [false, "boolean"],
      [new TextEncoder().encode("😈"), "binary"],
      // values.ts parseDate reads years 0..99 as 1900..1999 (Date.UTC), so the round trip starts at 1000.
      [-354285, "date"],
      [2932896, "date"],
      [-30610224000000000n, "timestamp"],
      [253402300799999999n, "timestamp"],
      [1706695200123456n, "timestamp_ntz"],
      ["-0.000000031661", "decimal(25,12)"],
      ["99999999999999999999999999999999999999", "decimal(38,0)"],
    ];
    for (const [value, type] of cases) {
      const text = serializePartitionValue(value, type);
      assert.deepEqual(parsePartitionValue(text, type), value, `${type} ${text}`);
    }
  });

  it("refuses a value that is not the representation of the type", () => {
    assert.throws(() => serializePartitionValue(5, "long"), {
      message: "Cannot write 5 as a long partition value: expected a bigint",
    });
    assert.throws(() => serializePartitionValue(128, "byte"), {
      message: "Cannot write 128 as a byte partition value: out of range",
    });
    assert.throws(() => serializePartitionValue(new Uint8Array([0xff]), "binary"), {
      message: "Cannot write Uint8Array(1) as a binary partition value: the bytes are not UTF-8 text",
    });
    assert.throws(() => serializePartitionValue("1.234", "decimal(5,2)"), {
      message: 'Cannot write "1.234" as a decimal(5,2) partition value: has more than 2 fraction digits',
    });
  });
});

describe("partitionDirectory", () => {
  it("escapes as Spark's escapePathName: the Hive set, DEL and controls, not space or non-ASCII", () => {
    assert.equal(partitionDirectory([{ name: "letter", value: "/%20%f" }]), "letter=%2F%2520%25f/");
    assert.equal(
      partitionDirectory([{ name: "ts", value: "2021-09-08 11:11:11" }]),
      "ts=2021-09-08 11%3A11%3A11/",
    );
    assert.equal(
      partitionDirectory([{ name: "a=b", value: `"#'*:=?\\{[]^\u0001\u001f\u007f<>| 😈}` }]),
      "a%3Db=%22%23%27%2A%3A%3D%3F%5C%7B%5B%5D%5E%01%1F%7F<>| 😈}/",
    );
  });

  it("names null and empty values __HIVE_DEFAULT_PARTITION__, and no columns the table root", () => {
    assert.equal(
      partitionDirectory([
        { name: "a", value: null },
        { name: "b", value: "" },
      ]),
      "a=__HIVE_DEFAULT_PARTITION__/b=__HIVE_DEFAULT_PARTITION__/",
    );
    assert.equal(partitionDirectory([]), "");
  });

  for (const table of [
    "dat_multi_partitioned",
    "golden_data-reader-partition-values",
    "drs_partition-type-primitives",
  ]) {
    it(`names the directories of ${table} as its writer did`, () => {
      const lines = logLines(table);
      const columns = lines.findLast((line) => line.metaData)?.metaData?.partitionColumns ?? [];
      for (const { add } of lines) {
        if (!add) continue;
        const dir = decodeAddPath(add.path.slice(0, add.path.lastIndexOf("/") + 1));
        const values = columns.map((name) => ({ name, value: add.partitionValues[name] ?? null }));
        assert.equal(partitionDirectory(values), dir);
      }
    });
  }
});
