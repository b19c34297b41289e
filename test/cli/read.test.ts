import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  copyCorpusTable,
  corpusCommitTimes,
  expectedLines,
  lake,
  locationOf,
  makeTempDir,
  removeDir,
  setCommitMtimes,
  sortedLines,
} from "../helpers/cli.ts";
import { CORPUS_DIR, corpusTable } from "../helpers/corpus.ts";

// `lake read` on corpus tables: every format, time travel by version and timestamp, and its errors.
const APPEND = "dat_basic_append";
const PARTITIONED = "dat_basic_partitioned";
const TIME_TRAVEL = "golden_time-travel-start-start20-start40";

describe("lake read", () => {
  for (const name of [APPEND, PARTITIONED, TIME_TRAVEL]) {
    it(`prints the latest rows of ${name} as the corpus's canonical JSON lines`, async () => {
      const result = await lake("read", corpusTable(name));
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(sortedLines(result.stdout), await expectedLines(name, "latest.jsonl"));
    });
  }

  for (const [name, version] of [
    [APPEND, 0],
    [PARTITIONED, 0],
    [TIME_TRAVEL, 0],
    [TIME_TRAVEL, 1],
  ] as const) {
    it(`--version ${version} of ${name} prints the rows of expected/v${version}.jsonl`, async () => {
      const result = await lake("read", corpusTable(name), "--version", String(version));
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(sortedLines(result.stdout), await expectedLines(name, `v${version}.jsonl`));
    });
  }

  it("--limit 2 prints two of the table's rows, --limit 0 none", async () => {
    const expected = await expectedLines(APPEND, "latest.jsonl");
    const two = await lake("read", corpusTable(APPEND), "--limit", "2");
    assert.equal(two.code, 0, two.stderr);
    const lines = sortedLines(two.stdout);
    assert.equal(lines.length, 2);
    for (const line of lines) assert.ok(expected.includes(line), line);
    assert.deepEqual(await lake("read", corpusTable(APPEND), "--limit", "0"), {
      code: 0,
      stdout: "",
      stderr: "",
    });
  });

  it("--format csv prints a header line, then one line per row", async () => {
    const result = await lake("read", corpusTable(PARTITIONED), "--format", "csv");
    assert.equal(result.code, 0, result.stderr);
    const [header, ...rows] = result.stdout.split("\n").slice(0, -1);
    assert.equal(header, "letter,number,a_float");
    assert.deepEqual(rows.sort(), ["a,1,1.1", "a,4,4.4", "b,2,2.2", "c,3,3.3", "e,5,5.5", "f,6,6.6"]);
  });

  it("--format csv quotes nested values as JSON text with doubled quotes and leaves nulls empty", async () => {
    const result = await lake("read", corpusTable("golden_parquet-all-types"), "--format", "csv");
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.split("\n");
    assert.equal(
      lines[0],
      "ByteType,ShortType,IntegerType,LongType,FloatType,DoubleType,decimal,BooleanType,StringType,BinaryType,DateType,TimestampType,TimestampNTZType,nested_struct,array_of_prims,array_of_arrays,array_of_structs,map_of_prims,map_of_rows,map_of_arrays",
    );
    assert.ok(
      lines.includes(
        '1,1,1,2,0.23399999737739563,234234.23,123.52,false,1,hex:31,1970-01-01,1970-01-01T06:30:23.523000Z,1970-01-03T17:03:54.000200,"{""aa"":""1"",""ac"":{""aca"":1}}",,,,,,',
      ),
    );
    assert.ok(lines.includes(",".repeat(19)), "the all-null row is a line of empty fields");
  });

  it("--format table aligns the columns under a header and ends with the row count and version", async () => {
    const result = await lake("read", corpusTable(PARTITIONED), "--format", "table");
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stdout,
      [
        "letter  number  a_float",
        "------  ------  -------",
        "a       4       4.4",
        "a       1       1.1",
        "b       2       2.2",
        "c       3       3.3",
        "e       5       5.5",
        "f       6       6.6",
        "(6 rows, version 1)",
        "",
      ].join("\n"),
    );
  });

  it("--format table --version 0 reports the version it read", async () => {
    const result = await lake("read", corpusTable(TIME_TRAVEL), "--format", "table", "--version", "0");
    assert.equal(result.code, 0, result.stderr);
    assert.ok(result.stdout.endsWith("\n(10 rows, version 0)\n"), result.stdout);
  });

  it("--version and --timestamp together exit 2", async () => {
    const result = await lake(
      "read",
      corpusTable(APPEND),
      "--version",
      "0",
      "--timestamp",
      "2024-01-01T00:00:00Z",
    );
    assert.deepEqual(result, {
      code: 2,
      stdout: "",
      stderr: "lake: Give --version or --timestamp, not both.\n",
    });
  });

  it("--version abc exits 2 naming the flag and the value", async () => {
    const result = await lake("read", corpusTable(APPEND), "--version", "abc");
    assert.deepEqual(result, {
      code: 2,
      stdout: "",
      stderr: 'lake: --version must be a whole number >= 0, got "abc"\n',
    });
  });

  it("--timestamp that is not a timestamp exits 2 with an example of one", async () => {
    const result = await lake("read", corpusTable(APPEND), "--timestamp", "yesterday");
    assert.equal(result.code, 2);
    assert.equal(
      result.stderr,
      'lake: --timestamp must be an ISO-8601 timestamp like 2024-05-01T12:00:00Z, got "yesterday"\n',
    );
  });

  it("--format xml exits 2 listing the formats", async () => {
    const result = await lake("read", corpusTable(APPEND), "--format", "xml");
    assert.equal(result.code, 2);
    assert.equal(result.stderr, 'lake: --format must be one of jsonl, csv, table, got "xml"\n');
  });

  it("a version past the latest exits 1 naming the latest version", async () => {
    const result = await lake("read", corpusTable(APPEND), "--version", "7");
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr,
      `lake: Cannot load version 7 of the Delta table at ${locationOf(corpusTable(APPEND))}: the latest version is 1\n`,
    );
  });

  it("a folder without a Delta table exits 1 with No Delta table at its location", async () => {
    const dir = await makeTempDir();
    try {
      const result = await lake("read", join(dir, "missing"));
      assert.deepEqual(result, {
        code: 1,
        stdout: "",
        stderr: `lake: No Delta table at ${locationOf(join(dir, "missing"))}: there is no _delta_log/ with commits\n`,
      });
    } finally {
      await removeDir(dir);
    }
  });
});

const meta = JSON.parse(await readFile(join(CORPUS_DIR, TIME_TRAVEL, "meta.json"), "utf8")) as {
  timestamp_time_travel: { timestamp_ms: number; expected_version?: number }[];
};

describe("lake read --timestamp (commit file mtimes set from meta.json)", () => {
  let dir: string;
  let table: string;
  before(async () => {
    dir = await makeTempDir();
    table = await copyCorpusTable(TIME_TRAVEL, dir);
    await setCommitMtimes(table, await corpusCommitTimes(TIME_TRAVEL));
  });
  after(() => removeDir(dir));

  for (const { timestamp_ms, expected_version } of meta.timestamp_time_travel) {
    if (expected_version === undefined) continue;
    const iso = new Date(timestamp_ms).toISOString();
    it(`--timestamp ${iso} prints the rows of version ${expected_version}`, async () => {
      const result = await lake("read", table, "--timestamp", iso);
      assert.equal(result.code, 0, result.stderr);
      const file = expected_version === 2 ? "latest.jsonl" : `v${expected_version}.jsonl`;
      assert.deepEqual(sortedLines(result.stdout), await expectedLines(TIME_TRAVEL, file));
    });
  }

  it("a timestamp before the first commit exits 1 naming the earliest commit", async () => {
    const result = await lake("read", table, "--timestamp", "2018-10-24T21:14:17.999Z");
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr,
      `lake: Cannot load the version at 2018-10-24T21:14:17.999Z of the Delta table at ${locationOf(table)}: the earliest available commit is version 0 at 2018-10-24T21:14:18.000Z\n`,
    );
  });
});
