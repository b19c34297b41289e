import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Row, scanRows } from "../../src/delta/index.ts";
import { DeltaContext } from "../../src/engine/index.ts";
import { LocalStore } from "../../src/storage/index.ts";
import { corpusTable } from "../helpers/corpus.ts";

describe("scanRows with a limit", () => {
  let ctx: DeltaContext;
  before(async () => {
    ctx = await DeltaContext.open({ threads: 1 });
  });
  after(() => ctx.close());

  const scan = async (table: string, limit?: number) => {
    const store = new LocalStore(corpusTable(table));
    const snapshot = await ctx.snapshot(store);
    const rows: Row[] = [];
    for await (const row of scanRows(snapshot, store, ctx.parquet, limit === undefined ? {} : { limit }))
      rows.push(row);
    return rows;
  };

  // Deletion vectors drop rows after the limit is pushed down to DuckDB: the limit must still be met.
  for (const table of [
    "kd_basic-dv-with-checkpoint",
    "golden_log-replay-dv-key-cases",
    "dat_basic_partitioned",
  ]) {
    it(`returns the first N rows of the full scan of ${table}, for every N`, async () => {
      const all = await scan(table);
      for (const limit of [0, 1, 2, 5, 17, all.length - 1, all.length, all.length + 3]) {
        assert.deepEqual(await scan(table, limit), all.slice(0, Math.max(0, limit)), `limit ${limit}`);
      }
    });
  }
});
