import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { runLake } from "../../scripts/crash/lake-process.ts";
import { leftBehindStaging } from "../../scripts/crash/left-behind.ts";
import { lake, writeBatches } from "../helpers/cli.ts";
import { exitedPid, liveProcess } from "../helpers/processes.ts";
import { landedRetailProject } from "../helpers/retail-project.ts";

/** A killed run's lease lasts 60 s: the re-run's clock goes this far ahead instead of waiting. */
const AFTER_LEASE_MS = 120_000;

describe("staging left behind by killed processes", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lake-left-behind-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("a run killed with SIGKILL mid-ingest leaves its staging, and the next run removes all of it", async () => {
    const project = await landedRetailProject(dir, "killed", { rows: 5_000 });
    // Killed right after its first data file is published (put 1 is the run lease): the staged CSV
    // copies, the staged Parquet and the published file's temporary name are all still there.
    const killed = await runLake(["run", "--project", project.root], {
      kill: { kind: "event", event: "put", at: 2 },
    });
    assert.ok(killed.killed, killed.stderr);
    const left = await leftBehindStaging(project.root);
    const area = `${killed.pid}@${hostname()}.`;
    assert.ok(
      left.some((p) => p.startsWith(`lake/.tmp/${area}`)),
      left.join(", "),
    );
    assert.ok(
      left.some((p) => p.startsWith(`lake/bronze/sales/.lake-tmp/${area}`)),
      left.join(", "),
    );
    const staged = await readdir(join(project.root, left.find((p) => p.startsWith("lake/.tmp/")) as string));
    assert.ok(
      staged.some((name) => name.startsWith("ingest-")) && staged.some((name) => name.startsWith("write-")),
    );

    const rerun = await runLake(["run", "--project", project.root], { clockOffsetMs: AFTER_LEASE_MS });
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.match(rerun.stdout, /Removed 1 temporary files that killed runs left in the tables/);
    assert.deepEqual(await leftBehindStaging(project.root), []);
  });

  it("lake optimize killed mid-write leaves staging in TMPDIR that the next command removes; vacuum tidies the table", async () => {
    const table = join(dir, "small-files");
    await writeBatches(
      table,
      [1, 2, 3].map((n) => ({ sql: `SELECT range + ${n * 1000} AS id FROM range(1000)` })),
    );
    const temp = join(dir, "TMPDIR");
    await mkdir(temp);
    const env = { TMPDIR: temp };
    const killed = await runLake(["optimize", table], { kill: { kind: "event", event: "put", at: 1 }, env });
    assert.ok(killed.killed, killed.stderr);
    const staging = join(temp, "medallion-lake-staging");
    assert.deepEqual(
      (await readdir(staging)).map((name) => name.split(".")[0]),
      [`${killed.pid}@${hostname()}`],
    );
    assert.equal((await readdir(join(table, ".lake-tmp"))).length, 1);

    const vacuum = await runLake(["vacuum", table, "--retention-hours", "0", "--allow-short-retention"], {
      env,
    });
    assert.equal(vacuum.code, 0, vacuum.stderr);
    assert.deepEqual(await readdir(staging), []);
    assert.deepEqual(await readdir(join(table, ".lake-tmp")), []);
  });

  it("a run leaves the staging of a live process untouched", async () => {
    const project = await landedRetailProject(dir, "shared", { rows: 2_000 });
    const live = await liveProcess();
    try {
      const dead = await exitedPid();
      const liveArea = join(project.engine.tempDirectory, `${live.pid}@${hostname()}.live0001`, "ingest-a");
      const deadArea = join(project.engine.tempDirectory, `${dead}@${hostname()}.dead0001`, "ingest-b");
      const tableTemp = join(project.zones.bronze, "sales", ".lake-tmp");
      const liveTemp = join(tableTemp, `${live.pid}@${hostname()}.0d1c5f7e-1b2a-4c3d-9e8f-0a1b2c3d4e5f`);
      const deadTemp = join(tableTemp, `${dead}@${hostname()}.1d1c5f7e-1b2a-4c3d-9e8f-0a1b2c3d4e5f`);
      for (const folder of [liveArea, deadArea, tableTemp]) await mkdir(folder, { recursive: true });
      for (const file of [join(liveArea, "0.csv"), join(deadArea, "0.csv"), liveTemp, deadTemp])
        await writeFile(file, "staged");

      assert.equal((await lake("run", "--project", project.root)).code, 0);

      assert.ok(existsSync(join(liveArea, "0.csv")), "the live process's area is kept");
      assert.ok(existsSync(liveTemp), "the live process's temporary file is kept");
      assert.ok(!existsSync(join(deadArea, "..")), "the gone process's area is removed");
      assert.ok(!existsSync(deadTemp), "the gone process's temporary file is removed");
    } finally {
      await live.stop();
    }
  });
});
