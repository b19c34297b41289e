import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { field, type Row, scanRows, struct } from "../../src/delta/index.ts";
import { DeltaContext, writeTable } from "../../src/engine/index.ts";
import { LocalStore } from "../../src/storage/index.ts";

describe("writeTable", () => {
  let ctx: DeltaContext;
  let dir: string;
  let store: LocalStore;
  const schema = struct(field("id", "long", false), field("name", "string"), field("day", "date"));
  const rows = (...ids: number[]): Row[] =>
    ids.map((id) => ({ id: BigInt(id), name: `n${id}`, day: 19000 + id }));
  const readIds = async () => {
    const snapshot = await ctx.snapshot(store);
    const ids: string[] = [];
    for await (const row of scanRows(snapshot, store, ctx.parquet)) ids.push(String(row.id));
    return ids.sort();
  };

  before(async () => {
    ctx = await DeltaContext.open({ threads: 1 });
  });
  after(async () => {
    ctx.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = await mkdtemp(join(tmpdir(), "lake-write-"));
    store = new LocalStore(dir);
  });

  it("refuses a write whose column types differ, naming each column", async () => {
    await writeTable(ctx, store, { rows: rows(1), schema });
    await assert.rejects(
      writeTable(ctx, store, { sql: "SELECT 2::BIGINT AS id, 42 AS name, DATE '2024-01-01' AS day" }),
      {
        name: "SchemaMismatchError",
        message: `Schema mismatch writing to ${store.location}: column name is string in the table but integer in the data`,
      },
    );
  });

  it("refuses columns the table lacks unless schema evolution is asked for", async () => {
    await writeTable(ctx, store, { rows: rows(1), schema });
    const wider = {
      sql: "SELECT 2::BIGINT AS id, 'x' AS name, DATE '2024-01-01' AS day, 'new' AS extra, 1.5 AS score",
    };
    await assert.rejects(writeTable(ctx, store, wider), {
      message: `Schema mismatch writing to ${store.location}: columns not in the table: extra, score (allow schema evolution to add them)`,
    });
    const evolved = await writeTable(ctx, store, wider, { mergeSchema: true });
    assert.equal(evolved.version, 1);
    const snapshot = await ctx.snapshot(store);
    assert.deepEqual(
      snapshot.schema.fields.map((f) => `${f.name}:${String(f.type)}:${f.nullable}`),
      ["id:long:false", "name:string:true", "day:date:true", "extra:string:true", "score:decimal(2,1):true"],
    );
  });

  it("refuses data missing a non-nullable column and fills missing nullable ones with null", async () => {
    await writeTable(ctx, store, { rows: rows(1), schema });
    await assert.rejects(writeTable(ctx, store, { sql: "SELECT 'x' AS name" }), {
      message: `Schema mismatch writing to ${store.location}: missing non-nullable column id`,
    });
    await writeTable(ctx, store, { sql: "SELECT 5::BIGINT AS id" });
    const snapshot = await ctx.snapshot(store);
    const got: Row[] = [];
    for await (const row of scanRows(snapshot, store, ctx.parquet)) got.push(row);
    assert.deepEqual(
      got.find((row) => row.id === 5n),
      { id: 5n, name: null, day: null },
    );
  });

  it("refuses a DuckDB type Delta cannot store, naming the column and what to do", async () => {
    await assert.rejects(writeTable(ctx, store, { sql: "SELECT 1::UBIGINT AS big" }), {
      message: "column big has the DuckDB type UBIGINT, which a Delta table cannot store; cast it first",
    });
  });

  it("refuses a partition column that is not a primitive column of the data", async () => {
    await assert.rejects(writeTable(ctx, store, { rows: rows(1), schema }, { partitionBy: ["nope"] }), {
      message: `Schema mismatch writing to ${store.location}: partition column nope is not a column of the data`,
    });
  });

  it("overwrites the whole table, keeping older versions readable", async () => {
    await writeTable(ctx, store, { rows: rows(1, 2), schema });
    const over = await writeTable(ctx, store, { rows: rows(3), schema }, { mode: "overwrite" });
    assert.deepEqual([over.filesRemoved, over.filesAdded], [1, 1]);
    assert.deepEqual(await readIds(), ["3"]);
    const old = await ctx.snapshot(store, { version: 0 });
    assert.equal(old.numFiles, 1);
  });

  it("replaces the table's schema and partitioning when asked, keeping its id and history", async () => {
    await writeTable(ctx, store, { rows: rows(1, 2), schema }, { partitionBy: ["day"] });
    const before = await ctx.snapshot(store);
    await writeTable(
      ctx,
      store,
      { sql: "SELECT 7::INTEGER AS code, 'a' AS name" },
      { mode: "overwrite", replaceTable: true, partitionBy: ["name"] },
    );
    const after = await ctx.snapshot(store);
    assert.deepEqual(
      [
        after.metadata.id,
        after.partitionColumns,
        after.schema.fields.map((f) => `${f.name} ${String(f.type)}`),
      ],
      [before.metadata.id, ["name"], ["code integer", "name string"]],
    );
    const old = await ctx.snapshot(store, { version: 0 });
    assert.deepEqual(old.partitionColumns, ["day"], "time travel reads the old shape");
  });

  it("refuses to replace partitions by a column that is not a partition column, writing nothing", async () => {
    await writeTable(ctx, store, { rows: rows(1, 2), schema }, { partitionBy: ["day"] });
    await assert.rejects(
      writeTable(
        ctx,
        store,
        { rows: rows(3), schema },
        { mode: "overwrite", replacePartitions: { name: "n1" } },
      ),
      {
        name: "InvalidOperationError",
        message: `Cannot replace partitions of ${store.location} by name: it is not a partition column (partition columns: day)`,
      },
    );
    assert.deepEqual(await readIds(), ["1", "2"]);
    assert.equal((await ctx.snapshot(store)).version, 0);
  });

  it("a write computed from an older version conflicts with an append made since", async () => {
    await writeTable(ctx, store, { rows: rows(1), schema });
    const read = await ctx.snapshot(store);
    await writeTable(ctx, store, { rows: rows(2), schema });
    await assert.rejects(
      writeTable(ctx, store, { rows: rows(3), schema }, { readsTable: true, readSnapshot: read }),
      { name: "CommitConflictError" },
    );
    assert.deepEqual(await readIds(), ["1", "2"]);
  });

  it("commits an empty append as a version with no files", async () => {
    await writeTable(ctx, store, { rows: rows(1), schema });
    const empty = await writeTable(ctx, store, { rows: [], schema });
    assert.deepEqual([empty.version, empty.filesAdded, empty.rowsWritten], [1, 0, 0]);
    assert.deepEqual(await readIds(), ["1"]);
  });

  it("rewrites despite a recorded txn when asked (a full refresh), still recording the txn", async () => {
    await writeTable(ctx, store, { rows: rows(1), schema }, { txn: { appId: "job", version: 7 } });
    const rebuilt = await writeTable(
      ctx,
      store,
      { rows: rows(2), schema },
      { mode: "overwrite", txn: { appId: "job", version: 7 }, rewrite: true },
    );
    assert.equal(rebuilt.skipped, false);
    assert.deepEqual(await readIds(), ["2"]);
    assert.equal((await ctx.snapshot(store)).txn("job")?.version, 7);
  });

  it("skips a batch whose txn version is already recorded, and writes a newer one", async () => {
    const first = await writeTable(
      ctx,
      store,
      { rows: rows(1), schema },
      { txn: { appId: "job", version: 7 } },
    );
    const again = await writeTable(
      ctx,
      store,
      { rows: rows(1), schema },
      { txn: { appId: "job", version: 7 } },
    );
    const older = await writeTable(
      ctx,
      store,
      { rows: rows(1), schema },
      { txn: { appId: "job", version: 3 } },
    );
    const newer = await writeTable(
      ctx,
      store,
      { rows: rows(2), schema },
      { txn: { appId: "job", version: 8 } },
    );
    assert.deepEqual(
      [first.skipped, again.skipped, older.skipped, newer.skipped],
      [false, true, true, false],
    );
    assert.deepEqual(await readIds(), ["1", "2"]);
    assert.equal((await ctx.snapshot(store)).txn("job")?.version, 8);
  });
});
