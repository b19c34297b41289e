import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { DATE_RANGE, field, scanRows, struct, ValueOutOfRangeError } from "../../src/delta/index.ts";
import { DeltaContext, loadIfExists, writeTable } from "../../src/engine/index.ts";
import { LocalStore } from "../../src/storage/index.ts";

// A Delta date or timestamp holds the years 0001-9999 (Spark's range). The writer refuses anything
// else by name, whether the value comes from SQL or from JS rows, and commits nothing.
describe("dates and timestamps at the edges of the years a Delta table holds", () => {
  let ctx: DeltaContext;
  let dir: string;
  let tables = 0;
  const newStore = () => new LocalStore(join(dir, `t${++tables}`));

  before(async () => {
    ctx = await DeltaContext.open({ threads: 1 });
    dir = await mkdtemp(join(tmpdir(), "lake-date-range-"));
  });
  after(async () => {
    ctx.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("writes 0001-01-01 and 9999-12-31 with their stats and reads them back exactly", async () => {
    const store = newStore();
    await writeTable(ctx, store, {
      sql: `SELECT * FROM (VALUES (DATE '0001-01-01', TIMESTAMP '0001-01-01 00:00:00'),
        (DATE '9999-12-31', TIMESTAMP '9999-12-31 23:59:59.999999')) t(d, ts)`,
    });
    const snapshot = await ctx.snapshot(store);
    const stats = JSON.parse(snapshot.files()[0]?.stats ?? "{}");
    assert.deepEqual(
      [stats.minValues, stats.maxValues],
      [
        { d: "0001-01-01", ts: "0001-01-01T00:00:00.000" },
        { d: "9999-12-31", ts: "9999-12-31T23:59:59.999" },
      ],
    );
    const rows = [];
    for await (const row of scanRows(snapshot, store, ctx.parquet)) rows.push([row.d, row.ts]);
    assert.deepEqual(rows, [
      [DATE_RANGE.first, BigInt(DATE_RANGE.first) * 86_400_000_000n],
      [DATE_RANGE.last, BigInt(DATE_RANGE.last + 1) * 86_400_000_000n - 1n],
    ]);
  });

  const refused: Array<[string, string, ValueOutOfRangeError]> = [
    ["the date 0000-01-01", "DATE '0000-01-01'", new ValueOutOfRangeError("d", "0001-01-01 (BC)", "date")],
    ["the date -0001-06-30", "DATE '-0001-06-30'", new ValueOutOfRangeError("d", "0002-06-30 (BC)", "date")],
    ["the date 10000-01-01", "DATE '9999-12-31' + 1", new ValueOutOfRangeError("d", "10000-01-01", "date")],
    ["the date infinity", "'infinity'::DATE", new ValueOutOfRangeError("d", "infinity", "date")],
    [
      "the timestamp 0000-12-31 23:59:59",
      "TIMESTAMP '0001-01-01 00:00:00' - INTERVAL 1 SECOND",
      new ValueOutOfRangeError("d", "0001-12-31 (BC) 23:59:59", "timestamp_ntz"),
    ],
    [
      "the timestamp 10000-01-01 00:00:00",
      "TIMESTAMP '9999-12-31 23:59:59.999999' + INTERVAL 1 MICROSECOND",
      new ValueOutOfRangeError("d", "10000-01-01 00:00:00", "timestamp_ntz"),
    ],
  ];
  for (const [name, sql, error] of refused) {
    it(`refuses ${name}, naming the column, and commits nothing`, async () => {
      const store = newStore();
      await assert.rejects(writeTable(ctx, store, { sql: `SELECT 1 AS id, ${sql} AS d` }), error);
      assert.equal(await loadIfExists(ctx, store), undefined);
    });
  }

  it("refuses an out-of-range date partition value and one given as JS rows", async () => {
    const schema = struct(field("id", "integer"), field("d", "date"));
    await assert.rejects(
      writeTable(
        ctx,
        newStore(),
        { rows: [{ id: 1, d: DATE_RANGE.last + 1 }], schema },
        { partitionBy: ["d"] },
      ),
      new ValueOutOfRangeError("d", "10000-01-01", "date"),
    );
    await assert.rejects(
      writeTable(ctx, newStore(), { rows: [{ id: 1, d: DATE_RANGE.first - 1 }], schema }),
      new ValueOutOfRangeError("d", "0001-12-31 (BC)", "date"),
    );
  });

  it("says what is wrong and what to do", () => {
    assert.equal(
      new ValueOutOfRangeError("order_date", "0001-01-01 (BC)", "date").message,
      "Column order_date holds the date 0001-01-01 (BC), outside the years 0001 to 9999 that a Delta date holds; nothing was written. Filter or fix such values before writing (in a model, an expectation can quarantine them).",
    );
  });
});
