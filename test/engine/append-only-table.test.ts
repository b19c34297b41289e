import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { AppendOnlyTableError, field, type Row, scanRows, struct } from "../../src/delta/index.ts";
import { DeltaContext, deleteRows, optimizeTable, writeTable } from "../../src/engine/index.ts";
import { LocalStore } from "../../src/storage/index.ts";
import { rejectsWith } from "../helpers/delta-fixtures.ts";

// A table created with delta.appendOnly=true ("Append-only Tables"): data may be added, and
// rearranged with dataChange=false, but never removed. A refused operation writes nothing at all.
describe("an append-only table (delta.appendOnly=true)", () => {
  let ctx: DeltaContext;
  let dir: string;
  let store: LocalStore;
  const schema = struct(field("id", "long"), field("part", "string"));
  const rows = (part: string, ...ids: number[]): Row[] => ids.map((id) => ({ id: BigInt(id), part }));
  const refusal = (operation: string) =>
    `Cannot ${operation} the Delta table at ${store.location}: it is append-only (delta.appendOnly=true), so data can be added but not removed; set delta.appendOnly=false first if removing data is intended`;
  const readIds = async () => {
    const snapshot = await ctx.snapshot(store);
    const ids: number[] = [];
    for await (const row of scanRows(snapshot, store, ctx.parquet)) ids.push(Number(row.id));
    return ids.sort((a, b) => a - b);
  };
  /** Every file under the table folder, so a refusal can be shown to leave no trace. */
  const allFiles = async () => (await readdir(dir, { recursive: true })).sort();

  before(async () => {
    ctx = await DeltaContext.open({ threads: 1 });
  });
  after(async () => {
    ctx.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = await mkdtemp(join(tmpdir(), "lake-append-only-"));
    store = new LocalStore(dir);
    await writeTable(
      ctx,
      store,
      { rows: rows("a", 1, 2), schema },
      { partitionBy: ["part"], configuration: { "delta.appendOnly": "true" } },
    );
  });

  it("refuses an overwrite with AppendOnlyTableError naming the table and the property, and writes nothing", async () => {
    const before = await allFiles();
    const error = await rejectsWith(
      writeTable(ctx, store, { rows: rows("a", 9), schema }, { mode: "overwrite" }),
      AppendOnlyTableError,
      refusal("overwrite"),
    );
    assert.deepEqual([error.location, error.property], [store.location, "delta.appendOnly"]);
    assert.deepEqual(await allFiles(), before);
    assert.equal((await ctx.snapshot(store)).version, 0);
    assert.deepEqual(await readIds(), [1, 2]);
  });

  it("refuses an overwrite of partitions, even of one that holds no files yet", async () => {
    const before = await allFiles();
    await rejectsWith(
      writeTable(
        ctx,
        store,
        { rows: rows("b", 9), schema },
        { mode: "overwrite", replacePartitions: { part: "b" } },
      ),
      AppendOnlyTableError,
      refusal("overwrite"),
    );
    assert.deepEqual(await allFiles(), before);
  });

  it("refuses a delete with AppendOnlyTableError naming the table and the property, and writes nothing", async () => {
    const before = await allFiles();
    const error = await rejectsWith(
      deleteRows(ctx, store, "id = 1"),
      AppendOnlyTableError,
      refusal("delete from"),
    );
    assert.deepEqual([error.location, error.property], [store.location, "delta.appendOnly"]);
    assert.deepEqual(await allFiles(), before);
    assert.deepEqual(await readIds(), [1, 2]);
  });

  it("allows a blind append", async () => {
    const result = await writeTable(ctx, store, { rows: rows("b", 3), schema });
    assert.deepEqual([result.version, result.filesAdded, result.filesRemoved], [1, 1, 0]);
    assert.deepEqual(await readIds(), [1, 2, 3]);
  });

  it("allows OPTIMIZE, whose removes keep the data (dataChange=false)", async () => {
    await writeTable(ctx, store, { rows: rows("a", 3), schema });
    const result = await optimizeTable(ctx, store);
    assert.deepEqual([result.version, result.filesRemoved, result.filesAdded], [2, 2, 1]);
    assert.deepEqual(await readIds(), [1, 2, 3]);
  });
});
