/**
 * Landing files that change, are fixed, retried, set aside or deleted after a run saw them: each is
 * detected and reported, and what bronze holds of a file always matches one version of it.
 */
import assert from "node:assert/strict";
import { appendFile, mkdir, mkdtemp, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { type Row, scanRows } from "../../src/delta/index.ts";
import { DeltaContext } from "../../src/engine/index.ts";
import {
  bronzeStores,
  ingestSource,
  LandingError,
  landingFileStatuses,
  landingLogStore,
  type ProjectConfig,
  parseProject,
  retryLandingFile,
  type SourceConfig,
  setAsideLandingFile,
} from "../../src/pipeline/index.ts";
import type { ObjectStore } from "../../src/storage/index.ts";

describe("landing files after a run", () => {
  let dir: string;
  let project: ProjectConfig;
  let ctx: DeltaContext;
  let runs = 0;
  const source = (): SourceConfig => project.sources[0] ?? assert.fail("a source");
  const run = () => ingestSource(ctx, project, source(), { runId: `run-${++runs}`, startedAt: runs * 1000 });
  const path = (key: string) => join(project.zones.landing, key);
  const land = async (key: string, text: string) => {
    await mkdir(join(project.zones.landing, "sales"), { recursive: true });
    await writeFile(path(key), text);
  };
  const rows = async (store: ObjectStore) => {
    const out: Row[] = [];
    for await (const row of scanRows(await ctx.snapshot(store), store, ctx.parquet)) out.push(row);
    return out
      .map((r) => `${String(r._source_file)}:${String(r._source_row)}:${String(r.raw_line ?? r.name)}`)
      .sort();
  };
  const state = async (key: string) =>
    (await landingFileStatuses(ctx, project)).find((s) => s.file === key)?.state ?? "absent";

  before(async () => {
    ctx = await DeltaContext.open({ threads: 1 });
  });
  after(() => ctx.close());
  beforeEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = await mkdtemp(join(tmpdir(), "lake-landing-changes-"));
    project = parseProject(
      { sources: { sales: { files: "sales*.csv", columns: ["id", "name", "qty"] } } },
      join(dir, "lake.json"),
    );
  });

  it("reports a line appended to a loaded file once, loads nothing of it, and shows the file as changed", async () => {
    await land("sales/sales_1.csv", "id,name,qty\n1,a,1\n");
    await run();
    await appendFile(path("sales/sales_1.csv"), "2,b,2\n");
    const [changed] = await run();
    assert.match(
      changed?.notice ?? "",
      /^changed after it was ingested in run run-1 \(18 bytes, sha256 \w{12}… → 24 bytes, sha256 \w{12}…\); the new content is not loaded: `lake files retry sales\/sales_1\.csv` replaces its rows/,
    );
    assert.equal(changed?.ingested, false);
    assert.deepEqual(await rows(bronzeStores(project, source()).bronze), ["sales/sales_1.csv:2:a"]);
    assert.equal(await state("sales/sales_1.csv"), "changed");
    const [again] = await run();
    assert.equal(again?.notice, undefined, "reported once, then shown by lake files and lake status");
  });

  it("says nothing when a loaded file is rewritten with the same bytes", async () => {
    await land("sales/sales_1.csv", "id,name,qty\n1,a,1\n");
    await run();
    const before = await stat(path("sales/sales_1.csv"));
    await writeFile(path("sales/sales_1.csv"), "id,name,qty\n1,a,1\n");
    await utimes(path("sales/sales_1.csv"), before.atime, new Date(before.mtimeMs + 5000));
    const [result] = await run();
    assert.deepEqual([result?.ingested, result?.notice], [false, undefined]);
    assert.equal(await state("sales/sales_1.csv"), "ingested");
  });

  it("replaces a changed file's rows and rejected lines when it is retried, in the same commits that add the new ones", async () => {
    await land("sales/sales_1.csv", "id,name,qty\n1,a,1\n2,b\n");
    await run();
    await writeFile(path("sales/sales_1.csv"), "id,name,qty\n1,a,1\n2,b,2\n3,c\n");
    await run();
    await retryLandingFile(ctx, project, "sales/sales_1.csv", "retry-1");
    assert.equal(await state("sales/sales_1.csv"), "waiting");
    const { bronze, rejects } = bronzeStores(project, source());
    const bronzeVersion = (await ctx.snapshot(bronze)).version;
    const [result] = await run();
    assert.deepEqual([result?.records, result?.bronzeRows, result?.rejects], [3, 2, 1]);
    assert.deepEqual(await rows(bronze), ["sales/sales_1.csv:2:a", "sales/sales_1.csv:3:b"]);
    assert.deepEqual(await rows(rejects), ["sales/sales_1.csv:4:3,c"]);
    assert.equal((await ctx.snapshot(bronze)).version, bronzeVersion + 1, "one commit removed and added");
    assert.equal(await state("sales/sales_1.csv"), "ingested");
  });

  it("replaces a retried file's rejected lines when a crash came between its bronze and rejects commits", async () => {
    await land("sales/sales_1.csv", "id,name,qty\n1,a,1\n2,b\n");
    await run();
    await writeFile(path("sales/sales_1.csv"), "id,name,qty\n1,a,1\n3,c\n");
    await retryLandingFile(ctx, project, "sales/sales_1.csv", "retry-1");
    await run();
    // As if the run had died after its bronze commit: the rejects and landing-log commits are undone.
    const { bronze, rejects } = bronzeStores(project, source());
    const undo = async (table: string) => {
      const version = String((await ctx.snapshot(storeOf(table))).version).padStart(20, "0");
      await rm(join(table, "_delta_log", `${version}.json`));
    };
    const storeOf = (table: string) => (table.endsWith("sales_rejects") ? rejects : landingLogStore(project));
    await undo(join(project.zones.bronze, "sales_rejects"));
    await undo(join(project.systemDirectory, "landing_files"));
    const [recovered] = await run();
    assert.deepEqual([recovered?.records, recovered?.bronzeRows, recovered?.rejects], [2, 1, 1]);
    assert.deepEqual(await rows(bronze), ["sales/sales_1.csv:2:a"]);
    assert.deepEqual(await rows(rejects), ["sales/sales_1.csv:3:3,c"], "the first load's reject is gone");
    assert.equal(await state("sales/sales_1.csv"), "ingested");
  });

  it("tries a rejected file again by itself once it is replaced by a fixed one", async () => {
    await land("sales/sales_1.csv", "id,label,qty\n1,a,1\n");
    const [rejected] = await run();
    assert.match(rejected?.rejectedFile ?? "", /its header does not match/);
    assert.equal(await state("sales/sales_1.csv"), "rejected");
    await writeFile(path("sales/sales_1.csv"), "id,name,qty\n1,a,1\n");
    const [fixed] = await run();
    assert.deepEqual([fixed?.ingested, fixed?.bronzeRows, fixed?.rejectedFile], [true, 1, undefined]);
    assert.equal(await state("sales/sales_1.csv"), "ingested");
  });

  it("moves a set-aside file out of its source's folder, keeps what it loaded, and never reads it again", async () => {
    await land("sales/sales_1.csv", "id,label,qty\n1,a,1\n");
    await land("sales/sales_2.csv", "id,name,qty\n2,b,2\n");
    await run();
    const { movedTo } = await setAsideLandingFile(ctx, project, "sales/sales_1.csv", "aside-1");
    assert.equal(movedTo, "_set_aside/sales/sales_1.csv");
    assert.equal((await stat(join(project.zones.landing, movedTo))).size, 19);
    await assert.rejects(stat(path("sales/sales_1.csv")), { code: "ENOENT" });
    assert.equal(await state("sales/sales_1.csv"), "set aside");
    const results = await run();
    assert.deepEqual(
      results.map((r) => [r.file, r.ingested]),
      [["sales/sales_2.csv", false]],
    );
    assert.deepEqual(await rows(bronzeStores(project, source()).bronze), ["sales/sales_2.csv:2:b"]);
  });

  it("does not load a set-aside file whose move was cut short before the delete", async () => {
    await land("sales/sales_1.csv", "id,name,qty\n1,a,1\n");
    await setAsideLandingFile(ctx, project, "sales/sales_1.csv", "aside-1");
    await land("sales/sales_1.csv", "id,name,qty\n1,a,1\n"); // as if the delete had not happened…
    await utimes(path("sales/sales_1.csv"), new Date(), new Date(Date.now() + 5000)); // …but a new copy
    const [reloaded] = await run();
    assert.equal(reloaded?.ingested, true, "a file landed again under a set-aside name is new");
  });

  it("keeps the rows of a loaded file that was deleted from landing, and shows it as missing", async () => {
    await land("sales/sales_1.csv", "id,name,qty\n1,a,1\n");
    await run();
    await rm(path("sales/sales_1.csv"));
    assert.deepEqual(await run(), []);
    assert.deepEqual(await rows(bronzeStores(project, source()).bronze), ["sales/sales_1.csv:2:a"]);
    assert.equal(await state("sales/sales_1.csv"), "missing");
  });

  it("refuses to retry a file that waits, or that does not exist, with the nearest name", async () => {
    await land("sales/sales_1.csv", "id,name,qty\n1,a,1\n");
    await assert.rejects(retryLandingFile(ctx, project, "sales/sales_1.csv", "r"), {
      name: "LandingError",
      message: "sales/sales_1.csv is waiting to be loaded already; the next lake run loads it",
    });
    await assert.rejects(retryLandingFile(ctx, project, "sales/sales_l.csv", "r"), (error: unknown) => {
      assert.ok(error instanceof LandingError);
      assert.equal(
        error.message,
        "no landing file sales/sales_l.csv; did you mean sales/sales_1.csv? (files are named <source>/<file name>; lake files lists them)",
      );
      return true;
    });
  });
});
