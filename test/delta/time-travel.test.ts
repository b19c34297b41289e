import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { commitTimes, versionAtTimestamp } from "../../src/delta/index.ts";
import { DeltaContext } from "../../src/engine/index.ts";
import { LocalStore } from "../../src/storage/index.ts";
import { corpusTable } from "../helpers/corpus.ts";
import { copyTable } from "../helpers/delta-fixtures.ts";

// drs_cdc_ict_table (Spark 4.1 / Delta 4.3) has in-commit timestamps on from version 0; its v1 was
// hand-edited to an ICT years before its file time and its commitInfo.timestamp.
describe("time travel on a table with in-commit timestamps", () => {
  let dir: string;
  let store: LocalStore;
  let ctx: DeltaContext;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lake-ict-"));
    store = new LocalStore(await copyTable(corpusTable("drs_cdc_ict_table"), join(dir, "table")));
    ctx = await DeltaContext.open({ threads: 1 });
  });
  after(async () => {
    ctx.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("takes each commit's time from its inCommitTimestamp, not the file time", async () => {
    const latest = await ctx.snapshot(store);
    assert.deepEqual(await commitTimes(store, latest), [
      { version: 0, timestamp: 1783874203271 },
      { version: 1, timestamp: 1683874206883 },
      { version: 2, timestamp: 1783874212175 },
      { version: 3, timestamp: 1783874213881 },
    ]);
    assert.equal(latest.timestamp, 1783874213881);
    assert.equal((await ctx.snapshot(store, { version: 1 })).timestamp, 1683874206883);
  });

  it("answers a timestamp with the latest version committed at or before it", async () => {
    const latest = await ctx.snapshot(store);
    assert.equal(await versionAtTimestamp(store, latest, 1783874212175), 2);
    assert.equal(await versionAtTimestamp(store, latest, 1783874213880), 2);
    assert.equal(await versionAtTimestamp(store, latest, 1783874213881), 3);
  });
});
