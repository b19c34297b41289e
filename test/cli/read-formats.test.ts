import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { lake, makeTempDir, removeDir, writeBatches } from "../helpers/cli.ts";

// `lake read --format csv|table` on values that need care: separators, quotes, line breaks, the
// empty string next to null, and characters outside the Basic Multilingual Plane.
describe("lake read --format csv and table on awkward strings", () => {
  let dir: string;
  let strings: string;
  let wide: string;
  before(async () => {
    dir = await makeTempDir();
    strings = join(dir, "strings");
    wide = join(dir, "wide");
    await writeBatches(strings, [
      {
        sql: `SELECT * FROM (VALUES (1::BIGINT, 'plain'), (2, ''), (3, NULL), (4, 'a,b'), (5, 'say "hi"'),
          (6, 'line' || chr(10) || 'break')) t(id, s) ORDER BY id`,
      },
    ]);
    await writeBatches(wide, [
      { sql: "SELECT * FROM (VALUES ('𝔘', 1), ('abc', 2), ('naïve', 3)) t(name, n) ORDER BY n" },
    ]);
  });
  after(() => removeDir(dir));

  it("csv quotes fields with commas, quotes or line breaks and doubles the quotes (RFC 4180)", async () => {
    const result = await lake("read", strings, "--format", "csv");
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'id,s\n1,plain\n2,""\n3,\n4,"a,b"\n5,"say ""hi"""\n6,"line\nbreak"\n');
  });

  it('csv tells the empty string ("") from null (an empty field)', async () => {
    const result = await lake("read", strings, "--format", "csv");
    const lines = result.stdout.split("\n");
    assert.equal(lines[2], '2,""');
    assert.equal(lines[3], "3,");
  });

  it("jsonl keeps the empty string, null and the escapes apart", async () => {
    const result = await lake("read", strings);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stdout,
      [
        '{"id":"1","s":"plain"}',
        '{"id":"2","s":""}',
        '{"id":"3","s":null}',
        '{"id":"4","s":"a,b"}',
        '{"id":"5","s":"say \\"hi\\""}',
        '{"id":"6","s":"line\\nbreak"}',
        "",
      ].join("\n"),
    );
  });

  it("table aligns columns by characters, also for characters beyond the BMP", async () => {
    const result = await lake("read", wide, "--format", "table");
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stdout,
      ["name   n", "-----  -", "𝔘      1", "abc    2", "naïve  3", "(3 rows, version 0)", ""].join("\n"),
    );
  });
});
