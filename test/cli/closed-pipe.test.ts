/**
 * A reader that stops early: `lake read … | head -1` closes the pipe while lake still writes. The
 * command ends quietly (exit 0, nothing on stderr), as the lake executable runs it in a real process.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { DeltaContext, storeForLocation, writeTable } from "../../src/lake/index.ts";
import { lake, makeTempDir, removeDir } from "../helpers/cli.ts";

const MAIN = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));

/** Runs lake, closes its stdout after the first chunk (or at once), and returns that chunk, the exit code and stderr. */
async function readThenClose(argv: string[], atOnce = false): Promise<[string, number | null, string]> {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN, ...argv], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += String(chunk);
  });
  const first = atOnce
    ? ""
    : await new Promise<string>((resolve) => child.stdout.once("data", (chunk) => resolve(String(chunk))));
  child.stdout.destroy();
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  return [first, code, stderr];
}

describe("lake with its output piped into a reader that stops early", () => {
  let dir: string;
  let project: string;
  before(async () => {
    dir = await makeTempDir();
    project = join(dir, "shop");
    await lake("init", project);
    await DeltaContext.with((ctx) =>
      writeTable(ctx, storeForLocation(dir), {
        sql: "SELECT range AS id, 'row ' || range AS name FROM range(200000)",
      }),
    );
  });
  after(() => removeDir(dir));

  for (const format of ["jsonl", "csv", "table"]) {
    it(`lake read --format ${format} | head -1: exit 0, no error, no stack trace`, async () => {
      const [first, code, stderr] = await readThenClose(["read", dir, "--format", format]);
      assert.ok(first.length > 0);
      assert.deepEqual([code, stderr], [0, ""]);
    });
  }

  it("lake query over 1,000,000 rows | head -1: exit 0, no error, no stack trace", async () => {
    const [first, code, stderr] = await readThenClose([
      "query",
      "SELECT range AS i FROM range(1000000)",
      "--project",
      project,
      "--json",
    ]);
    assert.match(first, /^\{"i":"0"\}\n/);
    assert.deepEqual([code, stderr], [0, ""]);
  });

  it("lake status --json into a pipe closed at once: exit 0, no error, no stack trace", async () => {
    const [, code, stderr] = await readThenClose(["status", "--project", project, "--json"], true);
    assert.deepEqual([code, stderr], [0, ""]);
  });
});
