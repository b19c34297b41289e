import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import {
  decodeAddPath,
  encodeAddPath,
  isAbsoluteUri,
  tableRelativeKey,
} from "../../src/delta/data-file-path.ts";
import { CORPUS_DIR, corpusTable } from "../helpers/corpus.ts";

interface FileAction {
  path: string;
}
interface LogLine {
  add?: FileAction;
  remove?: FileAction;
  cdc?: FileAction;
}

const TABLES = (
  JSON.parse(readFileSync(`${CORPUS_DIR}/index.json`, "utf8")) as { tables: { name: string }[] }
).tables.map((t) => t.name);

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

describe("decodeAddPath", () => {
  it("decodes once, so Spark's double escapes name the escaped directory on disk", () => {
    assert.equal(
      decodeAddPath("letter=%252F%252520%2525f/date=1970-01-01/part-0.parquet"),
      "letter=%2F%2520%25f/date=1970-01-01/part-0.parquet",
    );
    assert.equal(
      decodeAddPath("ts=2024-01-01%2010%253A00%253A00/f.parquet"),
      "ts=2024-01-01 10%3A00%3A00/f.parquet",
    );
  });

  it("leaves raw non-ASCII and + alone and decodes UTF-8 escapes", () => {
    assert.equal(decodeAddPath("data=😈/a+b.parquet"), "data=😈/a+b.parquet");
    assert.equal(decodeAddPath("data=%F0%9F%98%88/f%c3%a9.parquet"), "data=😈/fé.parquet");
  });

  it("keeps the scheme and authority of an absolute URI", () => {
    assert.equal(decodeAddPath("s3://bucket/t/a%20b/f.parquet"), "s3://bucket/t/a b/f.parquet");
  });

  it("maps a relative or absolute path under the table root to its key, one outside to undefined", () => {
    const keys = (location: string, paths: readonly string[]) =>
      paths.map((p) => tableRelativeKey(location, p));
    assert.deepEqual(
      keys("file:///abs/t", [
        "a=1/part%201.parquet",
        "file:///abs/t/part-0.parquet",
        "file:/abs/t/a=1/part%201.parquet",
        "file://localhost/abs/t/x.parquet",
        "FILE:///abs/t/x.parquet",
        "/abs/t/x.parquet",
      ]),
      ["a=1/part 1.parquet", "part-0.parquet", "a=1/part 1.parquet", "x.parquet", "x.parquet", "x.parquet"],
    );
    assert.deepEqual(
      keys("file:///abs/t", [
        "file:///abs/tt/x.parquet",
        "file:///abs/t/../u/x.parquet",
        "file://otherhost/abs/t/x.parquet",
        "file:///abs/t",
        "s3://bucket/abs/t/x.parquet",
      ]),
      [undefined, undefined, undefined, undefined, undefined],
    );
    assert.deepEqual(
      keys("s3://bucket/t", [
        "s3://bucket/t/x.parquet",
        "s3a://bucket/t/x.parquet",
        "/t/x.parquet",
        "s3://bucket/t2/x.parquet",
        "s3://other/t/x.parquet",
      ]),
      ["x.parquet", "x.parquet", "x.parquet", undefined, undefined],
    );
  });

  it("refuses a malformed escape or escapes that are not UTF-8, naming the path", () => {
    assert.throws(() => decodeAddPath("a%2/f"), {
      message: 'Invalid data file path "a%2/f": "%" at 1 is not followed by two hex digits',
    });
    assert.throws(() => decodeAddPath("a%FF/f"), {
      message: 'Invalid data file path "a%FF/f": escapes that are not UTF-8',
    });
  });

  for (const table of TABLES) {
    it(`finds on disk the file of every active add in ${table}`, () => {
      const active = new Set<string>();
      for (const { add, remove } of logLines(table)) {
        if (add) active.add(add.path);
        if (remove) active.delete(remove.path);
      }
      for (const path of active) {
        assert.ok(!isAbsoluteUri(path), path);
        assert.ok(existsSync(`${corpusTable(table)}/${decodeAddPath(path)}`), path);
      }
    });
  }

  it("finds every add of the corpus on disk, except in the tables whose removed files were vacuumed", () => {
    const missing = new Set<string>();
    for (const table of TABLES) {
      for (const { add } of logLines(table)) {
        if (add && !existsSync(`${corpusTable(table)}/${decodeAddPath(add.path)}`)) missing.add(table);
      }
    }
    // Both tables mark the versions that need those files `readable: false` in meta.json.
    assert.deepEqual([...missing].sort(), ["dat_no_replay", "golden_snapshot-vacuumed"]);
  });
});

describe("encodeAddPath", () => {
  it("encodes like Spark's Path.toUri: space, % and URI delimiters escaped; = : @ & + $ , ; kept", () => {
    assert.equal(
      encodeAddPath("letter=%2F%2520%25f/part-0.parquet"),
      "letter=%252F%252520%2525f/part-0.parquet",
    );
    assert.equal(
      encodeAddPath("ts=2024-01-01 10%3A00%3A00/f.parquet"),
      "ts=2024-01-01%2010%253A00%253A00/f.parquet",
    );
    assert.equal(encodeAddPath("a/b=1:2@3&4+5$6,7;8!~*'()-_.parquet"), "a/b=1:2@3&4+5$6,7;8!~*'()-_.parquet");
    assert.equal(
      encodeAddPath('a/"#<>?[\\]^`{|}\u0001\u007f'),
      "a/%22%23%3C%3E%3F%5B%5C%5D%5E%60%7B%7C%7D%01%7F",
    );
    assert.equal(encodeAddPath("test%file%prefix-part-0.parquet"), "test%25file%25prefix-part-0.parquet");
  });

  it("keeps non-ASCII text raw but escapes non-ASCII spaces and controls as UTF-8", () => {
    assert.equal(encodeAddPath("data=😈/é.parquet"), "data=😈/é.parquet");
    assert.equal(encodeAddPath("a\u00a0b\u0085\u2028.parquet"), "a%C2%A0b%C2%85%E2%80%A8.parquet");
  });

  it("escapes a colon in the first segment so the path cannot read as a URI scheme", () => {
    assert.equal(encodeAddPath("a:b/c:d.parquet"), "a%3Ab/c:d.parquet");
    assert.equal(isAbsoluteUri(encodeAddPath("a:b/c.parquet")), false);
  });

  it("refuses empty, rooted and dot segments", () => {
    for (const path of ["", "/a.parquet", "a//b.parquet", "./a.parquet", "a/../b.parquet", "a/"]) {
      assert.throws(() => encodeAddPath(path), {
        message: `Invalid data file path ${JSON.stringify(path)}: expected a relative path without empty, "." or ".." segments`,
      });
    }
  });

  it("round-trips through decodeAddPath", () => {
    for (const path of ["a b/%/%25/😈/x=?#/\u00a0.parquet", "p=a:b/f.parquet", "x%2520y"]) {
      assert.equal(decodeAddPath(encodeAddPath(path)), path);
    }
  });

  for (const table of TABLES) {
    it(`re-encodes every add, remove and cdc path of ${table} to the text its writer logged`, () => {
      for (const line of logLines(table)) {
        for (const action of [line.add, line.remove, line.cdc]) {
          if (action) assert.equal(encodeAddPath(decodeAddPath(action.path)), action.path);
        }
      }
    });
  }
});

describe("isAbsoluteUri", () => {
  it("is true for URIs with a scheme and rooted paths, false for table-relative paths", () => {
    for (const path of [
      "s3://bucket/t/f.parquet",
      "file:/tmp/t/f.parquet",
      "file:///tmp/f",
      "abfss://c@a/f",
      "/tmp/f",
    ]) {
      assert.equal(isAbsoluteUri(path), true, path);
    }
    for (const path of ["part-0.parquet", "a=1/part-0.parquet", "a=x%3Ay/f", "deletion_vector_1.bin"]) {
      assert.equal(isAbsoluteUri(path), false, path);
    }
  });
});
