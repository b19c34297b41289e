import assert from "node:assert/strict";
import { stat, utimes } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  dataFiles,
  lake,
  locationOf,
  makeTempDir,
  removeDir,
  sortedLines,
  writeBatches,
} from "../helpers/cli.ts";

// `lake vacuum` on a table whose first files were replaced by an overwrite eight days ago: they are
// past the default retention of seven days, so vacuum may delete them; the live files never.
const DAY = 86_400_000;
const CREATE = "SELECT i::BIGINT AS id, ['a', 'b'][1 + i % 2] AS part FROM range(10) t(i)";
const OVERWRITE = "SELECT (100 + i)::BIGINT AS id, 'a' AS part FROM range(3) t(i)";
const LATEST_ROWS = ['{"id":"100","part":"a"}', '{"id":"101","part":"a"}', '{"id":"102","part":"a"}'];

/** A table at `path` with two files removed eight days ago, written nine days ago; returns their keys. */
async function tableWithOldRemovedFiles(path: string): Promise<string[]> {
  const now = Date.now();
  await writeBatches(path, [
    { sql: CREATE, options: { partitionBy: ["part"], commitOptions: { clock: () => now - 9 * DAY } } },
  ]);
  const old = await dataFiles(path);
  await writeBatches(path, [
    { sql: OVERWRITE, options: { mode: "overwrite", commitOptions: { clock: () => now - 8 * DAY } } },
  ]);
  const nineDaysAgo = new Date(now - 9 * DAY);
  for (const key of old) await utimes(join(path, key), nineDaysAgo, nineDaysAgo);
  return old;
}

async function totalSize(path: string, keys: readonly string[]): Promise<number> {
  let bytes = 0;
  for (const key of keys) bytes += (await stat(join(path, key))).size;
  return bytes;
}

describe("lake vacuum", () => {
  let dir: string;
  before(async () => {
    dir = await makeTempDir();
  });
  after(() => removeDir(dir));

  it("--dry-run lists the removed files past retention and deletes nothing", async () => {
    const table = join(dir, "dry-run");
    const old = await tableWithOldRemovedFiles(table);
    assert.equal(old.length, 2);
    const filesBefore = await dataFiles(table);
    const bytes = await totalSize(table, old);
    const result = await lake("vacuum", table, "--dry-run");
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stdout,
      `${old.map((key) => `would delete ${key}\n`).join("")}Would delete 2 files (${bytes} bytes).\n`,
    );
    assert.deepEqual(await dataFiles(table), filesBefore);
    const history = await lake("history", table, "--limit", "1", "--json");
    const { commits } = JSON.parse(history.stdout) as { commits: Array<{ version: number }> };
    assert.equal(commits[0]?.version, 1, "a dry run commits nothing");
  });

  it("deletes the removed files past retention, keeps the live ones, and the latest version still reads", async () => {
    const table = join(dir, "real");
    const old = await tableWithOldRemovedFiles(table);
    const live = (await dataFiles(table)).filter((key) => !old.includes(key));
    const bytes = await totalSize(table, old);
    const result = await lake("vacuum", table);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stdout,
      `${old.map((key) => `deleted ${key}\n`).join("")}Deleted 2 files (${bytes} bytes).\n`,
    );
    assert.deepEqual(await dataFiles(table), live);
    const read = await lake("read", table);
    assert.equal(read.code, 0, read.stderr);
    assert.deepEqual(sortedLines(read.stdout), LATEST_ROWS);
    const history = await lake("history", table, "--json", "--limit", "2");
    assert.deepEqual(
      (JSON.parse(history.stdout) as { commits: Array<{ operation: string }> }).commits.map(
        (c) => c.operation,
      ),
      ["VACUUM END", "VACUUM START"],
    );
  });

  it("reading a version whose files were vacuumed exits 1 naming the missing file", async () => {
    const table = join(dir, "time-travel");
    const old = await tableWithOldRemovedFiles(table);
    assert.equal((await lake("vacuum", table)).code, 0);
    const result = await lake("read", table, "--version", "0");
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      new RegExp(`^lake: Data file (${old.join("|")}) of version 0 is missing from ${locationOf(table)} `),
    );
  });

  it("a second vacuum finds nothing to delete", async () => {
    const table = join(dir, "twice");
    await tableWithOldRemovedFiles(table);
    assert.equal((await lake("vacuum", table)).code, 0);
    const result = await lake("vacuum", table, "--dry-run");
    assert.deepEqual(result, { code: 0, stdout: "Would delete 0 files (0 bytes).\n", stderr: "" });
  });

  it("refuses a retention shorter than the table's with exit 1 and deletes nothing", async () => {
    const table = join(dir, "short");
    await tableWithOldRemovedFiles(table);
    const filesBefore = await dataFiles(table);
    const result = await lake("vacuum", table, "--retention-hours", "1");
    assert.equal(result.code, 1);
    assert.equal(result.stdout, "");
    assert.equal(
      result.stderr,
      `lake: Refusing to vacuum ${locationOf(table)} with a retention of 1 hours, below the table's 168 hours: files that time travel or running readers need could be deleted. Allow a short retention explicitly to proceed.\n`,
    );
    assert.deepEqual(await dataFiles(table), filesBefore);
  });

  it("accepts a short retention with --allow-short-retention", async () => {
    const table = join(dir, "short-allowed");
    const old = await tableWithOldRemovedFiles(table);
    const result = await lake(
      "vacuum",
      table,
      "--retention-hours",
      "1",
      "--allow-short-retention",
      "--dry-run",
    );
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(
      result.stdout.split("\n").filter((line) => line.startsWith("would delete ")),
      old.map((key) => `would delete ${key}`),
    );
  });

  it("keeps removed files that are still within the retention period", async () => {
    const table = join(dir, "recent");
    await writeBatches(table, [{ sql: CREATE, options: { partitionBy: ["part"] } }]);
    await writeBatches(table, [{ sql: OVERWRITE, options: { mode: "overwrite" } }]);
    const result = await lake("vacuum", table, "--dry-run");
    assert.deepEqual(result, { code: 0, stdout: "Would delete 0 files (0 bytes).\n", stderr: "" });
  });
});
