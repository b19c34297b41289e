import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { generateDataset } from "../../src/datagen/index.ts";
import { DeltaContext } from "../../src/engine/index.ts";
import { initProject, RunLeaseLostError, runProject } from "../../src/lake/index.ts";
import { landFiles, type ProjectConfig } from "../../src/pipeline/index.ts";
import { makeTempDir, removeDir } from "../helpers/cli.ts";
import { projectTableRows } from "../helpers/project-tables.ts";

// A run whose lease is lost mid-way (here: its clock jumps past the expiry before a renewal) stops at
// its next use of the engine with RunLeaseLostError; a later run finishes the work exactly.
describe("runProject with a lease lost mid-run", () => {
  let dir: string;
  let clean: ProjectConfig;
  let lost: ProjectConfig;
  before(async () => {
    dir = await makeTempDir();
    const data = join(dir, "data");
    await generateDataset({ out: data, rows: 2_000, files: 2, customers: 200, products: 50, locations: 10 });
    const drops = (await readdir(data)).filter((f) => f.endsWith(".csv")).map((f) => join(data, f));
    clean = await initProject(join(dir, "clean"));
    lost = await initProject(join(dir, "lost"));
    for (const project of [clean, lost]) await landFiles(project, drops);
  });
  after(() => removeDir(dir));

  it("stops with RunLeaseLostError, and the next run ends with a clean run's tables", async () => {
    let skew = 0;
    const lines: string[] = [];
    const run = runProject(
      lost.root,
      { lease: { renewEveryMs: 20, now: () => Date.now() + skew } },
      (line) => {
        lines.push(line);
        skew = 3_600_000; // from the first progress line on, the lease has expired by this run's clock
      },
    );
    await assert.rejects(run, (error: unknown) => {
      assert.ok(error instanceof RunLeaseLostError, String(error));
      assert.match(
        error.message,
        /lost its lease on the project .*: the lease expired at .* before it was renewed\./,
      );
      return true;
    });
    assert.ok(
      lines.some((line) => line.startsWith("run ") && line.includes("lost its lease")),
      lines.join("\n"),
    );
    const partial = await DeltaContext.with((ctx) => projectTableRows(ctx, lost));
    assert.deepEqual(
      Object.keys(partial).filter((table) => table.startsWith("gold.")),
      [],
      "the run stopped before gold",
    );
    // The lost run's record still holds the lease until it expires: the next run's clock is past it.
    await runProject(lost.root, { lease: { now: () => Date.now() + 7_200_000 } });
    await runProject(clean.root);
    const omit = ["_run_id", "_ingested_at"];
    const rows = async (ctx: DeltaContext, project: ProjectConfig) =>
      Object.entries(await projectTableRows(ctx, project, omit)).map(([table, { rows }]) => [table, rows]);
    await DeltaContext.with(async (ctx) => {
      assert.deepEqual(await rows(ctx, lost), await rows(ctx, clean));
    });
  });
});
