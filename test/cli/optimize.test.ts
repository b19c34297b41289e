import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { dataFiles, lake, makeTempDir, removeDir, sortedLines, writeBatches } from "../helpers/cli.ts";

// `lake optimize` on a table of three appends, each of which wrote one small file per partition.
const batch = (first: number) => ({
  sql: `SELECT (${first} + i)::BIGINT AS id, ['a', 'b'][1 + i % 2] AS part, 'row ' || (${first} + i) AS label
    FROM range(10) t(i)`,
  options: { partitionBy: ["part"] },
});

async function describeJson(table: string): Promise<{ version: number; numFiles: number; numRows: number }> {
  const result = await lake("describe", table, "--json");
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as { version: number; numFiles: number; numRows: number };
}

describe("lake optimize", () => {
  let dir: string;
  before(async () => {
    dir = await makeTempDir();
  });
  after(() => removeDir(dir));

  it("compacts the small files of each partition into one and leaves the rows unchanged", async () => {
    const table = join(dir, "small-files");
    await writeBatches(table, [batch(0), batch(10), batch(20)]);
    assert.equal((await describeJson(table)).numFiles, 6);
    const rowsBefore = sortedLines((await lake("read", table)).stdout);
    assert.equal(rowsBefore.length, 30);

    const result = await lake("optimize", table);
    assert.deepEqual(result, {
      code: 0,
      stdout: "Version 3: compacted 6 files into 2 in 2 partitions.\n",
      stderr: "",
    });
    const described = await describeJson(table);
    assert.deepEqual([described.version, described.numFiles, described.numRows], [3, 2, 30]);
    assert.deepEqual(sortedLines((await lake("read", table)).stdout), rowsBefore);
    const partitions = (await dataFiles(table)).map((key) => key.split("/")[0]);
    assert.deepEqual([...new Set(partitions)].sort(), ["part=a", "part=b"]);
  });

  it("records an OPTIMIZE commit whose earlier versions still read as before", async () => {
    const table = join(dir, "history");
    await writeBatches(table, [batch(0), batch(10)]);
    const atVersion1 = sortedLines((await lake("read", table, "--version", "1")).stdout);
    assert.equal((await lake("optimize", table)).code, 0);
    const history = await lake("history", table, "--json", "--limit", "1");
    const [latest] = (
      JSON.parse(history.stdout) as {
        commits: Array<{ version: number; operation: string; adds: number; removes: number }>;
      }
    ).commits;
    assert.deepEqual(
      {
        version: latest?.version,
        operation: latest?.operation,
        adds: latest?.adds,
        removes: latest?.removes,
      },
      { version: 2, operation: "OPTIMIZE", adds: 2, removes: 4 },
    );
    assert.deepEqual(sortedLines((await lake("read", table, "--version", "1")).stdout), atVersion1);
  });

  it("says there is nothing to compact when each partition has a single file", async () => {
    const table = join(dir, "compact-already");
    await writeBatches(table, [batch(0)]);
    assert.deepEqual(await lake("optimize", table), { code: 0, stdout: "Nothing to compact.\n", stderr: "" });
    assert.equal((await describeJson(table)).version, 0, "no commit was made");
  });

  it("--target-size-mb 0 leaves every file alone (none is below the target)", async () => {
    const table = join(dir, "target-zero");
    await writeBatches(table, [batch(0), batch(10)]);
    const result = await lake("optimize", table, "--target-size-mb", "0");
    assert.deepEqual(result, { code: 0, stdout: "Nothing to compact.\n", stderr: "" });
    assert.equal((await describeJson(table)).numFiles, 4);
  });

  it("--target-size-mb abc exits 2 naming the flag", async () => {
    const result = await lake("optimize", join(dir, "any"), "--target-size-mb", "abc");
    assert.equal(result.code, 2);
    assert.equal(result.stderr, 'lake: --target-size-mb must be a whole number >= 0, got "abc"\n');
  });
});
