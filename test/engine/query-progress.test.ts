import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DuckDbSession, type QueryProgressTick, withQueryProgress } from "../../src/engine/index.ts";

describe("withQueryProgress", () => {
  let session: DuckDbSession;
  before(async () => {
    session = await DuckDbSession.open({ threads: 2 });
    await session.connection.run(
      "CREATE TABLE numbers AS SELECT i, i % 1000003 AS k FROM range(20000000) t(i)",
    );
  });
  after(() => session.close());

  it("reports DuckDB's estimate of the running statement while the work runs, and stops after it", async () => {
    const ticks: QueryProgressTick[] = [];
    const result = await withQueryProgress(
      session,
      (tick) => ticks.push(tick),
      async () => {
        const reader = await session.connection.runAndReadAll(
          "SELECT count(*) FROM (SELECT k, count(DISTINCT i) FROM numbers GROUP BY k)",
        );
        return Number(reader.getRows()[0]?.[0]);
      },
      10,
    );
    assert.equal(result, 1000003);
    const estimates = ticks.flatMap((t) => (t.percent === undefined ? [] : [t.percent]));
    assert.ok(estimates.length > 0, `no tick had an estimate (${ticks.length} ticks)`);
    assert.ok(estimates.every((p) => p >= 0 && p <= 100));
    assert.ok(ticks.every((t, i) => i === 0 || t.elapsedMs >= (ticks[i - 1]?.elapsedMs ?? 0)));
    const count = ticks.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(ticks.length, count, "ticks after the work settled");
  });

  it("passes the work's error through and stops reporting", async () => {
    let ticks = 0;
    await assert.rejects(
      withQueryProgress(
        session,
        () => ticks++,
        () => session.connection.run("SELECT * FROM no_such_table"),
        10,
      ),
      /no_such_table/,
    );
    const count = ticks;
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(ticks, count);
  });
});
