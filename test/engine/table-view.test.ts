import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { field, struct } from "../../src/delta/index.ts";
import { createTableView, DeltaContext, writeTable } from "../../src/engine/index.ts";
import { LocalStore } from "../../src/storage/index.ts";
import { corpusTable } from "../helpers/corpus.ts";

describe("createTableView", () => {
  let dir: string;
  let ctx: DeltaContext;
  const rows = async (sql: string) => (await ctx.session.connection.runAndReadAll(sql)).getRowObjectsJson();
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lake-view-"));
    ctx = await DeltaContext.open({ threads: 1 });
  });
  after(async () => {
    ctx.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("reads columns added by schema evolution as NULL from older files of an unpartitioned table", async () => {
    const store = new LocalStore(join(dir, "evolved"));
    await writeTable(ctx, store, { rows: [{ id: 1n }], schema: struct(field("id", "long")) });
    await writeTable(
      ctx,
      store,
      { rows: [{ id: 2n, note: "new" }], schema: struct(field("id", "long"), field("note", "string")) },
      { mergeSchema: true },
    );
    const view = await createTableView(ctx, store, "evolved");
    assert.deepEqual(await rows(`SELECT * FROM ${view} ORDER BY id`), [
      { id: "1", note: null },
      { id: "2", note: "new" },
    ]);
  });

  it("refuses a table with deletion vectors rather than return deleted rows", async () => {
    const store = new LocalStore(corpusTable("dat_deletion_vectors"));
    await assert.rejects(createTableView(ctx, store, "dv"), {
      name: "UnsupportedFeatureError",
      message: `Cannot read the Delta table at ${store.location}: it requires the unsupported reader feature "deletionVectors (in a SQL view)"`,
    });
  });

  it("takes partition values from the log, and gives an empty view with typed columns for a table with no files", async () => {
    const store = new LocalStore(join(dir, "parted"));
    const schema = struct(field("id", "long"), field("p", "string"));
    await writeTable(ctx, store, { rows: [{ id: 1n, p: "a b" }], schema }, { partitionBy: ["p"] });
    assert.deepEqual(await rows(`SELECT * FROM ${await createTableView(ctx, store, "parted")}`), [
      { id: "1", p: "a b" },
    ]);
    const empty = new LocalStore(join(dir, "empty"));
    await writeTable(ctx, empty, { rows: [], schema });
    const view = await createTableView(ctx, empty, "empty_view");
    const reader = await ctx.session.connection.runAndReadAll(`SELECT * FROM ${view}`);
    assert.deepEqual(
      [reader.columnNames(), reader.columnTypes().map(String), reader.getRows()],
      [["id", "p"], ["BIGINT", "VARCHAR"], []],
    );
  });
});
