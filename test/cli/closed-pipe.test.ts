/**
 * A reader that stops early: `lake read … | head -1` closes the pipe while lake still writes. The
 * command ends quietly (exit 0, nothing on stderr), as the lake executable runs it in a real process.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { DeltaContext, storeForLocation, writeTable } from "../../src/lake/index.ts";
import { makeTempDir, removeDir } from "../helpers/cli.ts";

const MAIN = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));

describe("lake with its output piped into a reader that stops early", () => {
  let dir: string;
  before(async () => {
    dir = await makeTempDir();
    await DeltaContext.with((ctx) =>
      writeTable(ctx, storeForLocation(dir), {
        sql: "SELECT range AS id, 'row ' || range AS name FROM range(200000)",
      }),
    );
  });
  after(() => removeDir(dir));

  it("lake read | head -1: exit 0, no error, no stack trace", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", MAIN, "read", dir, "--format", "jsonl"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += String(chunk);
    });
    const first = await new Promise<string>((resolve) =>
      child.stdout.once("data", (chunk) => resolve(String(chunk))),
    );
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    assert.match(first, /^\{"id":/);
    assert.deepEqual([code, stderr], [0, ""]);
  });
});
