import assert from "node:assert/strict";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { runCrashHarness } from "../../scripts/crash/crash-trials.ts";
import { leftBehindStaging } from "../../scripts/crash/left-behind.ts";
import { compareTableStates, readTableState } from "../../scripts/crash/table-state.ts";
import { runCli } from "../../src/cli/run-cli.ts";
import { DeltaContext } from "../../src/engine/index.ts";
import { currentLeaseHolder, listRuns, loadProject, runLeaseStore } from "../../src/pipeline/index.ts";
import { lake } from "../helpers/cli.ts";
import { landedRetailProject } from "../helpers/retail-project.ts";

const TERM_TRIALS = 4;
const SEED = Number(process.env.CRASH_SEED ?? 7);

describe("a run asked to stop", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lake-interrupted-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("SIGINT stops lake run before its next step: exit 130, recorded as interrupted, lease released; the next run completes the work", async () => {
    const project = await landedRetailProject(dir, "sigint", { rows: 5_000 });
    const clean = join(dir, "clean");
    await cp(project.root, clean, { recursive: true });
    assert.equal((await lake("run", "--project", clean)).code, 0);

    let stdout = "";
    let stderr = "";
    const code = await runCli(["run", "--project", project.root], {
      stdout: (text) => {
        stdout += text;
        // Ctrl-C as soon as the first model is built: the next model must not start.
        if (text.startsWith("silver.dim_customer:")) process.emit("SIGINT", "SIGINT");
      },
      stderr: (text) => {
        stderr += text;
      },
      drained: async () => {},
    });

    assert.equal(code, 130, stderr);
    assert.equal(
      stderr,
      "lake: SIGINT received: stopping at the next safe point (send it again to stop at once)\n" +
        "lake: the run was interrupted by SIGINT and stopped after bronze.sales, bronze.customers, " +
        "bronze.products, bronze.locations, silver.dim_customer; what it committed is kept, and the next " +
        "lake run completes the work\n",
    );
    assert.doesNotMatch(stdout, /silver\.dim_product/);
    const config = await loadProject(project.root);
    assert.equal(await currentLeaseHolder(runLeaseStore(config)), undefined);
    const runs = await DeltaContext.with((ctx) => listRuns(ctx, config));
    assert.deepEqual(
      runs.map((r) => r.status),
      ["interrupted"],
    );
    const partial = await readTableState(project.root);
    assert.ok(partial["silver.dim_customer"]?.length, "what the run committed is kept");
    assert.equal(partial["silver.sales_enriched"], undefined, "no model after the signal started");

    assert.equal((await lake("run", "--project", project.root)).code, 0);
    assert.deepEqual(compareTableStates(await readTableState(clean), await readTableState(project.root)), []);
    assert.deepEqual(await leftBehindStaging(project.root), []);
  });

  // `lake run` processes sent SIGTERM at seeded random moments, each followed by a re-run: every
  // table must end as a clean run's (scripts/crash/crash-trials.ts checks each stop too).
  it(`${TERM_TRIALS} runs sent SIGTERM at random moments (seed ${SEED}) stop, exit 143, and re-runs end with the tables of a clean run`, {
    timeout: 120_000,
  }, async (t) => {
    const result = await runCrashHarness({
      trials: TERM_TRIALS,
      seed: SEED,
      rows: 3_000,
      signal: "TERM",
      onLine: (line) => t.diagnostic(line),
    });
    assert.deepEqual(
      result.results.filter((r) => !r.ok).map((r) => r.line),
      [],
    );
    assert.ok(
      result.results.some((r) => /stopped \d+ ms after SIGTERM/.test(r.line)),
      "at least one trial stopped a run (the others finished before the signal)",
    );
  });
});
