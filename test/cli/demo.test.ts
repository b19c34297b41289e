import assert from "node:assert/strict";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { lake, makeTempDir, removeDir, sortedLines } from "../helpers/cli.ts";

// `lake demo`: the end-to-end walk through create, appends, an idempotent retry, delete, compaction
// and time travel, on 200 rows per batch. Its data is deterministic, so is its output.
describe("lake demo", () => {
  let dir: string;
  before(async () => {
    dir = await makeTempDir();
  });
  after(() => removeDir(dir));

  it("--rows 200 --dir DIR prints every step: idempotent batch skipped, rows now and at version 0", async () => {
    const demoDir = join(dir, "demo");
    const table = join(demoDir, "sales");
    const result = await lake("demo", "--rows", "200", "--dir", demoDir);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, "");
    assert.equal(
      result.stdout,
      [
        `v0: created ${table} with 200 rows in 4 files`,
        "v1: appended batch 1, 200 rows",
        "v2: appended batch 2, 200 rows",
        "v3: appended batch 3, 200 rows",
        "batch 3 again: skipped, already committed (idempotent txn)",
        "v4: deleted 160 rows where quantity = 5",
        "v5: compacted 16 files into 4",
        "read back: 640 rows at version 5, 200 rows at version 0 (time travel)",
        "",
        "Done. Inspect it with:",
        `  npm run lake -- describe ${table}`,
        `  npm run lake -- history ${table}`,
        `  npm run lake -- read ${table} --format table --limit 10`,
        "",
      ].join("\n"),
    );

    const described = JSON.parse((await lake("describe", table, "--json")).stdout) as {
      version: number;
      partitionColumns: string[];
      numFiles: number;
      numRows: number;
    };
    assert.deepEqual(
      [described.version, described.partitionColumns, described.numFiles, described.numRows],
      [5, ["region"], 4, 640],
    );
    const first = await lake("read", table, "--version", "0");
    assert.equal(sortedLines(first.stdout).length, 200);
  });

  it("run again in the same folder replaces the table and prints the same steps", async () => {
    const demoDir = join(dir, "again");
    const once = await lake("demo", "--rows", "20", "--dir", demoDir);
    const twice = await lake("demo", "--rows", "20", "--dir", demoDir);
    assert.equal(twice.code, 0, twice.stderr);
    assert.equal(twice.stdout, once.stdout);
    const history = (await lake("history", join(demoDir, "sales"), "--json")).stdout.trim().split("\n");
    assert.equal(history.length, 6, "versions 0 to 5, none left from the first run");
  });

  it("refuses to touch a DIR/sales that is not a Delta table, and keeps the rest of DIR", async () => {
    const demoDir = join(dir, "precious");
    await mkdir(join(demoDir, "sales"), { recursive: true });
    await writeFile(join(demoDir, "sales", "notes.txt"), "keep me");
    await writeFile(join(demoDir, "other.txt"), "keep me too");
    const result = await lake("demo", "--rows", "20", "--dir", demoDir);
    assert.deepEqual(result, {
      code: 2,
      stdout: "",
      stderr: `lake: ${join(demoDir, "sales")} exists and is not a Delta table; choose another --dir for the demo\n`,
    });
    assert.equal(await readFile(join(demoDir, "sales", "notes.txt"), "utf8"), "keep me");
    assert.equal(await readFile(join(demoDir, "other.txt"), "utf8"), "keep me too");
  });

  it('says "no commit" for steps that commit nothing', async () => {
    const result = await lake("demo", "--rows", "2", "--dir", join(dir, "tiny"));
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(result.stdout, /vundefined/);
    assert.match(result.stdout, /^no commit: deleted 0 rows where quantity = 5$/m);
  });

  it("--rows abc exits 2 naming the flag", async () => {
    const result = await lake("demo", "--rows", "abc", "--dir", join(dir, "never"));
    assert.deepEqual(result, {
      code: 2,
      stdout: "",
      stderr: 'lake: --rows must be a whole number >= 0, got "abc"\n',
    });
  });
});
