import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { readTableState } from "../../scripts/crash/table-state.ts";
import { DeltaContext } from "../../src/engine/index.ts";
import { listRuns, type ProjectConfig, ResourceError, runPipeline } from "../../src/pipeline/index.ts";
import { landedRetailProject } from "../helpers/retail-project.ts";
import { mountTmpfs, tmpfsUnavailable, unmount } from "../helpers/tmpfs.ts";

describe("resources a run lacks", () => {
  let dir: string;
  const mounted: string[] = [];
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lake-resource-errors-"));
  });
  after(async () => {
    for (const folder of mounted) await unmount(folder).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it("DuckDB out of memory fails the run with a message naming engine.memoryLimit", async () => {
    // Below what lake.json allows: the loader refuses it, so the project is given in code.
    const landed = await landedRetailProject(dir, "memory", { rows: 20_000 });
    const project: ProjectConfig = {
      ...landed,
      engine: { ...landed.engine, memoryLimit: "20MB", threads: 2 },
    };
    const error = await run(project, { memoryLimit: "20MB", threads: 2 });
    assert.ok(error instanceof ResourceError);
    assert.equal(error.setting, "engine.memoryLimit");
    assert.match(
      error.message,
      new RegExp(
        `^DuckDB ran out of memory during bronze\\.sales \\(engine\\.memoryLimit is "20MB", and it spills to ${quote(project.engine.tempDirectory)}\\): raise engine\\.memoryLimit in lake\\.json, lower engine\\.threads, or free space for spilling, then run lake run again: what was committed is unchanged and the run continues from there\\. DuckDB said: Out of Memory Error: `,
      ),
    );
    const [recorded] = await DeltaContext.with((ctx) => listRuns(ctx, project));
    assert.equal(recorded?.status, "failed");
    assert.equal(recorded?.error, error.message);
  });

  it("a zone replaced by a file during the run fails it naming the path and the zone; what was committed stays readable", async () => {
    const project = await landedRetailProject(dir, "replaced", { rows: 2_000 });
    const error = await run(project, {}, (line) => {
      // The user removes the gold folder and leaves a file in its place while silver is built.
      if (line.startsWith("silver.dim_customer:")) {
        rmSync(project.zones.gold, { recursive: true, force: true });
        writeFileSync(project.zones.gold, "not a folder");
      }
    });
    assert.ok(error instanceof ResourceError, String(error));
    assert.equal(error.setting, "zones.gold");
    assert.match(
      error.message,
      new RegExp(
        `^Cannot write ${quote(project.zones.gold)}(/\\S*)?: a file is in the way where a folder should be \\((ENOTDIR|EEXIST)\\) \\(zones\\.gold in lake\\.json is ${quote(project.zones.gold)}\\), during gold\\.\\w+: make it a folder you can write, or point zones\\.gold at one, then run lake run again`,
      ),
    );
    await rm(project.zones.gold);
    const state = await readTableState(project.root);
    assert.ok((state["silver.sales_enriched"]?.length ?? 0) > 0);
  });

  it("a zone on a read-only file system fails the run naming the path and the zone", async (t) => {
    const unavailable = await tmpfsUnavailable();
    if (unavailable !== undefined) return t.skip(unavailable);
    const project = await landedRetailProject(dir, "read-only", { rows: 2_000 });
    await mountTmpfs(project.zones.silver, 1024 * 1024, ["ro"]);
    mounted.push(project.zones.silver);
    const error = await run(project);
    assert.ok(error instanceof ResourceError, String(error));
    assert.equal(error.setting, "zones.silver");
    assert.match(
      error.message,
      new RegExp(
        `^Cannot write ${quote(project.zones.silver)}/\\S+: the file system is read-only \\(EROFS\\) \\(zones\\.silver in lake\\.json is ${quote(project.zones.silver)}\\), during silver\\.dim_customer: make it a folder you can write, or point zones\\.silver at one, then run lake run again`,
      ),
    );
  });
});

/** Runs the pipeline on `project` and returns what it threw. */
async function run(
  project: ProjectConfig,
  engine: { memoryLimit?: string; threads?: number } = {},
  progress: (line: string) => void = () => {},
): Promise<unknown> {
  try {
    await DeltaContext.with(
      (ctx) => runPipeline(ctx, project, { runId: `test-${Date.now()}`, startedAt: Date.now() }, progress),
      { ...engine, stagingRoot: project.engine.tempDirectory },
    );
  } catch (error) {
    return error;
  }
  assert.fail("the run succeeded");
}

function quote(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
