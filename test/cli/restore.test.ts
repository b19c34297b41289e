import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { lake, locationOf, makeTempDir, removeDir, sortedLines, writeBatches } from "../helpers/cli.ts";

// `lake restore` on a table created at version 0 and appended to at versions 1 and 2.
const batch = (first: number) => ({
  sql: `SELECT (${first} + i)::BIGINT AS id, 'batch ${first}' AS label FROM range(5) t(i)`,
});

describe("lake restore", () => {
  let dir: string;
  before(async () => {
    dir = await makeTempDir();
  });
  after(() => removeDir(dir));

  it("--version 0 after two appends makes the rows equal version 0's, as a new version", async () => {
    const table = join(dir, "appended");
    await writeBatches(table, [batch(0), batch(10), batch(20)]);
    const atVersion0 = sortedLines((await lake("read", table, "--version", "0")).stdout);
    assert.equal(atVersion0.length, 5);

    const result = await lake("restore", table, "--version", "0");
    assert.deepEqual(result, {
      code: 0,
      stdout: "Restored version 0 as version 3 (0 files re-added, 2 removed).\n",
      stderr: "",
    });
    assert.deepEqual(sortedLines((await lake("read", table)).stdout), atVersion0);
    const [latest] = (
      JSON.parse((await lake("history", table, "--json", "--limit", "1")).stdout) as {
        commits: Array<{ version: number; operation: string; operationParameters: unknown }>;
      }
    ).commits;
    assert.deepEqual(
      [latest?.version, latest?.operation, latest?.operationParameters],
      [3, "RESTORE", { version: 0, timestamp: null }],
    );
    assert.equal(
      sortedLines((await lake("read", table, "--version", "2")).stdout).length,
      15,
      "history is kept",
    );
  });

  it("a restore can itself be undone by restoring the version before it", async () => {
    const table = join(dir, "undo");
    await writeBatches(table, [batch(0), batch(10)]);
    const atVersion1 = sortedLines((await lake("read", table)).stdout);
    assert.equal((await lake("restore", table, "--version", "0")).code, 0);
    const result = await lake("restore", table, "--version", "1");
    assert.equal(result.stdout, "Restored version 1 as version 3 (1 files re-added, 0 removed).\n");
    assert.deepEqual(sortedLines((await lake("read", table)).stdout), atVersion1);
  });

  it("restoring to the latest version is refused with exit 1 naming the latest version", async () => {
    const table = join(dir, "latest");
    await writeBatches(table, [batch(0), batch(10)]);
    const result = await lake("restore", table, "--version", "1");
    assert.deepEqual(result, {
      code: 1,
      stdout: "",
      stderr: `lake: Cannot restore ${locationOf(table)} to version 1: the latest version is 1\n`,
    });
    assert.equal(sortedLines((await lake("read", table)).stdout).length, 10, "nothing changed");
  });

  it("without --version exits 2 with the usage", async () => {
    const result = await lake("restore", join(dir, "any"));
    assert.equal(result.code, 2);
    assert.ok(
      result.stderr.startsWith("lake: Missing --version N.\n\nUsage: lake restore TABLE --version N"),
    );
  });
});
