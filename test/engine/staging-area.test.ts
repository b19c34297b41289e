import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { basename, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { DeltaContext, StagingArea } from "../../src/engine/index.ts";
import { LocalWriteError } from "../../src/storage/index.ts";
import { exitedPid, liveProcess } from "../helpers/processes.ts";

describe("staging areas", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lake-staging-area-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("opening one removes the area of a killed process and keeps a live process's", async () => {
    const root = join(dir, "shared");
    const live = await liveProcess();
    try {
      const deadArea = join(root, `${await exitedPid()}@${hostname()}.aaaa1111`, "ingest-x");
      const liveArea = join(root, `${live.pid}@${hostname()}.bbbb2222`, "write-y");
      for (const folder of [deadArea, liveArea, join(root, "cache")]) {
        await mkdir(folder, { recursive: true });
        await writeFile(join(folder, "0.csv"), "staged");
      }
      const area = await StagingArea.open(root);
      try {
        assert.deepEqual(area.removedLeftBehind, [join(root, basename(join(deadArea, "..")))]);
        assert.deepEqual(
          (await readdir(root)).sort(),
          ["cache", basename(area.path), `${live.pid}@${hostname()}.bbbb2222`].sort(),
        );
        assert.ok(existsSync(join(liveArea, "0.csv")));
      } finally {
        area.close();
      }
      assert.ok(!existsSync(area.path), "closing removes the area");
    } finally {
      await live.stop();
    }
  });

  it("a context stages its writes, scratch files and DuckDB's spills in its own area, removed when it closes", async () => {
    const root = join(dir, "context");
    const ctx = await DeltaContext.open({ stagingRoot: root });
    let area: string;
    try {
      area = ctx.staging.path;
      assert.equal(basename(join(area, "..")), "context");
      const spill = await ctx.session.connection.runAndReadAll("SELECT current_setting('temp_directory')");
      assert.equal(String(spill.getRows()[0]?.[0]), join(area, "duckdb"));
      const folder = await ctx.staging.folder("write");
      assert.ok(folder.startsWith(`${area}/write-`));
    } finally {
      ctx.close();
    }
    assert.deepEqual(await readdir(root), []);
  });

  it("a staging root that is a file is refused with its path", async () => {
    const file = join(dir, "a-file");
    await writeFile(file, "not a folder");
    await assert.rejects(StagingArea.open(file), (error: unknown) => {
      assert.ok(error instanceof LocalWriteError);
      assert.equal(error.path, file);
      assert.match(
        error.message,
        /^Cannot write .*a-file(\/.*)?: a file is in the way where a folder should be \(E(NOTDIR|EXIST)\)$/,
      );
      return true;
    });
  });
});
