import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DeltaContext } from "../../src/engine/index.ts";
import { checkTable, corpusTables } from "../../src/lake/conformance.ts";
import { CORPUS_DIR } from "../helpers/corpus.ts";

// Every table of the shared corpus (Spark, Databricks, delta-rs, kernel writers), every version:
// rows equal to expected/*.jsonl, unreadable versions refused with a Delta error.
describe("Delta reader conformance on the shared corpus", async () => {
  let engine: DeltaContext;
  before(async () => {
    engine = await DeltaContext.open({ threads: 2 });
  });
  after(() => engine.close());

  const tables = await corpusTables(CORPUS_DIR);
  it("finds all 32 corpus tables", () => assert.equal(tables.length, 32));

  for (const table of tables) {
    it(`reads ${table} exactly as expected at every version`, async () => {
      const failures: string[] = [];
      let checks = 0;
      for await (const result of checkTable(engine, CORPUS_DIR, table)) {
        checks++;
        if (!result.passed) failures.push(`${result.check}: ${result.detail}`);
      }
      assert.ok(checks > 0, "the table has no checks");
      assert.deepEqual(failures, []);
    });
  }
});
