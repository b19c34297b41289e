import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { field, Snapshot, struct } from "../../src/delta/index.ts";
import { DeltaContext, deleteRows, sqlString, writeTable } from "../../src/engine/index.ts";
import { LocalStore } from "../../src/storage/index.ts";
import { corpusTable } from "../helpers/corpus.ts";

/**
 * The Parquet schema as (name, physical type, repetition, converted type, children) rows, root
 * excluded. INT_32/INT_64 annotations on INT32/INT64 are dropped: they restate the physical type
 * (DuckDB writes them, Spark does not), and newer logical-type tags duplicate the converted type.
 */
async function parquetSchema(ctx: DeltaContext, path: string): Promise<string[]> {
  const reader = await ctx.session.connection.runAndReadAll(
    `SELECT name, type, repetition_type, converted_type, num_children FROM parquet_schema(${sqlString(path)})`,
  );
  return reader
    .getRows()
    .slice(1)
    .map(([name, type, repetition, converted, children]) =>
      [name, type, repetition, converted === "INT_32" || converted === "INT_64" ? null : converted, children]
        .map(String)
        .join(" "),
    );
}

describe("checkpoints we write", () => {
  let dir: string;
  let store: LocalStore;
  let ctx: DeltaContext;
  const schema = struct(field("id", "long"), field("p", "string"));

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lake-checkpoint-"));
    store = new LocalStore(dir);
    ctx = await DeltaContext.open({ threads: 1 });
    for (let i = 0; i < 10; i++) {
      await writeTable(
        ctx,
        store,
        { rows: [{ id: BigInt(i), p: `x${i % 3}` }], schema },
        { partitionBy: ["p"], txn: { appId: "loader", version: i } },
      );
    }
    await deleteRows(ctx, store, "id = 4"); // version 10: a remove tombstone in the checkpoint
  });
  after(async () => {
    ctx.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("have Spark's checkpoint Parquet schema (compared with a Spark 3.5.1 checkpoint of the corpus)", async () => {
    const ours = await parquetSchema(ctx, join(dir, "_delta_log/00000000000000000010.checkpoint.parquet"));
    const spark = await parquetSchema(
      ctx,
      `${corpusTable("dat_no_replay")}/_delta_log/00000000000000000004.checkpoint.parquet`,
    );
    assert.deepEqual(ours, spark);
  });

  it("point _last_checkpoint at the checkpoint with its row count", async () => {
    const hint = JSON.parse(
      new TextDecoder().decode(await store.get("_delta_log/_last_checkpoint")),
    ) as Record<string, unknown>;
    const rows = await ctx.parquet.readRows(store, "_delta_log/00000000000000000010.checkpoint.parquet");
    assert.deepEqual(hint, { version: 10, size: rows.length });
  });

  it("hold exactly the state a full JSON replay computes: protocol, metadata, files, tombstones, txns", async () => {
    const fromCheckpoint = await Snapshot.load(store, ctx.parquet);
    assert.equal(fromCheckpoint.segment.checkpoint?.version, 10);
    const replayed = await Snapshot.load(store, ctx.parquet, 10).then(() =>
      Snapshot.load(withoutCheckpoints(store), ctx.parquet),
    );
    assert.equal(replayed.segment.checkpoint, undefined);
    assert.deepEqual(fromCheckpoint.protocol, replayed.protocol);
    assert.deepEqual(fromCheckpoint.metadata, replayed.metadata);
    assert.deepEqual(fromCheckpoint.files(), replayed.files());
    assert.deepEqual(fromCheckpoint.txns(), replayed.txns());
    assert.deepEqual(
      fromCheckpoint.tombstones().map((r) => r.path),
      replayed.tombstones().map((r) => r.path),
    );
  });
});

/** A view of the store in which checkpoint files and _last_checkpoint do not exist. */
function withoutCheckpoints(store: LocalStore): LocalStore {
  const hidden = (key: string) => key.includes(".checkpoint.") || key.endsWith("_last_checkpoint");
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === "list") {
        return async function* (prefix: string, options?: { startAfter?: string }) {
          for await (const meta of target.list(prefix, options)) if (!hidden(meta.key)) yield meta;
        };
      }
      if (property === "get") {
        return (key: string) => (hidden(key) ? target.get(`${key}.hidden-by-test`) : target.get(key));
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
