/**
 * Output streams: 500,000 rows print in every format from `lake query` and `lake read`, with the
 * right count and the right first and last rows; table widths come from the first rows; and a
 * process with a small JS heap prints them all (rows are never gathered in memory).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { TextTableStream } from "../../src/lake/index.ts";
import { lake, makeTempDir, removeDir, writeBatches } from "../helpers/cli.ts";

const MAIN = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));
const ROWS = 500_000;
const SQL = `SELECT range AS i, 'row ' || range AS s FROM range(${ROWS}) ORDER BY i`;

describe("lake query and lake read print 500,000 rows in every format", () => {
  let dir: string;
  let project: string;
  let table: string;
  before(async () => {
    dir = await makeTempDir();
    project = join(dir, "shop");
    table = join(dir, "big");
    await lake("init", project);
    await writeBatches(table, [{ sql: SQL }]);
  });
  after(() => removeDir(dir));

  const expected = {
    jsonl: { first: '{"i":"0","s":"row 0"}', last: `{"i":"${ROWS - 1}","s":"row ${ROWS - 1}"}`, extra: 0 },
    csv: { first: "0,row 0", last: `${ROWS - 1},row ${ROWS - 1}`, extra: 1 },
  } as const;

  for (const command of ["query", "read"] as const) {
    const run = (...flags: string[]) =>
      command === "query"
        ? lake("query", SQL, "--project", project, ...flags)
        : lake("read", table, ...flags);

    for (const format of ["jsonl", "csv"] as const) {
      it(`lake ${command} --format ${format}: ${ROWS} rows, first and last exact`, async () => {
        const result = await run("--format", format);
        assert.equal(result.code, 0, result.stderr);
        const lines = result.stdout.split("\n");
        assert.equal(lines.pop(), "");
        assert.equal(lines.length, ROWS + expected[format].extra);
        if (format === "csv") assert.equal(lines[0], "i,s");
        assert.equal(lines[expected[format].extra], expected[format].first);
        assert.equal(lines.at(-1), expected[format].last);
      });
    }

    it(`lake ${command} --format table: ${ROWS} rows aligned by the widths of the first 1,000, then a count`, async () => {
      const result = await run("--format", "table");
      assert.equal(result.code, 0, result.stderr);
      const lines = result.stdout.split("\n");
      assert.equal(lines.pop(), "");
      assert.equal(lines.length, ROWS + 3);
      assert.deepEqual(lines.slice(0, 3), ["i    s", "---  -------", "0    row 0"]);
      assert.equal(lines.at(-2), `${ROWS - 1}  row ${ROWS - 1}`);
      assert.equal(lines.at(-1), command === "query" ? `(${ROWS} rows)` : `(${ROWS} rows, version 0)`);
    });
  }

  it("--json on read and query prints JSON Lines, the same as --format jsonl", async () => {
    const sql = "SELECT 1 AS a, 'x' AS b UNION ALL SELECT 2, 'y' ORDER BY a";
    const json = await lake("query", sql, "--project", project, "--json");
    assert.deepEqual(json, { code: 0, stdout: '{"a":1,"b":"x"}\n{"a":2,"b":"y"}\n', stderr: "" });
    assert.equal((await lake("read", table, "--json", "--limit", "1")).stdout, '{"i":"0","s":"row 0"}\n');
    const both = await lake("read", table, "--json", "--format", "csv");
    assert.deepEqual(
      [both.code, both.stderr],
      [2, "lake: --json prints JSON Lines; it does not go with --format csv\n"],
    );
  });

  it("prints 500,000 rows as a table with a 40 MB JS heap (rows stream, nothing gathers them)", async () => {
    const child = spawn(
      process.execPath,
      ["--max-old-space-size=40", "--import", "tsx", MAIN, "query", SQL, "--project", project],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let lines = 0;
    let tail = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      const text = chunk.toString();
      for (const c of text) if (c === "\n") lines++;
      tail = (tail + text).slice(-100);
    });
    child.stderr.on("data", (chunk) => {
      stderr += String(chunk);
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    assert.deepEqual([code, stderr], [0, ""]);
    assert.equal(lines, ROWS + 3);
    assert.ok(tail.endsWith(`${ROWS - 1}  row ${ROWS - 1}\n(${ROWS} rows)\n`), tail);
  });
});

describe("TextTableStream (the streamed table layout)", () => {
  it("a value wider than the first rows widens its column from its row on, never cut", () => {
    const table = new TextTableStream(["n", "s"], 2);
    const text = [
      table.push([1, "a"]),
      table.push([2, "bb"]),
      table.push([3, "a much longer value"]),
      table.push([4, "c"]),
      table.end(),
    ].join("");
    assert.equal(text, ["n  s", "-  --", "1  a", "2  bb", "3  a much longer value", "4  c", ""].join("\n"));
  });
});
