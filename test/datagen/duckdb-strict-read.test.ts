import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { DuckDBInstance } from "@duckdb/node-api";
import { SALES_HEADER } from "../../src/datagen/index.ts";
import { type GeneratedDataset, generateInto, makeTempDir, removeDir } from "./dataset-fixture.ts";

// The pipeline reads landing CSV with DuckDB in strict mode (engine/csv-scan.ts): each malformed
// line must come out as exactly one reject, and no line may take its neighbours down with it.
describe("DuckDB strict CSV read of the sales file", () => {
  let parent: string;
  let dataset: GeneratedDataset;
  before(async () => {
    parent = await makeTempDir();
    dataset = await generateInto(parent, "data", { rows: 200_000 });
  });
  after(() => removeDir(parent));

  it("rejects exactly the malformed lines, one reject per line, and reads every other row", async () => {
    const columns = SALES_HEADER.split(",")
      .map((c) => `'${c}': 'VARCHAR'`)
      .join(", ");
    const path = join(dataset.dir, "sales_transactions.csv");
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    try {
      const read = await connection.runAndReadAll(
        `SELECT count(*) FROM read_csv('${path}', header = true, auto_detect = false, columns = {${columns}},
          delim = ',', quote = '"', escape = '"', strict_mode = true, null_padding = false, store_rejects = true)`,
      );
      const rejects = await connection.runAndReadAll(
        `SELECT error_type, count(DISTINCT line) FROM reject_errors GROUP BY ALL ORDER BY ALL`,
      );
      const { dirt, rows } = dataset.manifest.sales;
      assert.deepEqual(dirt.malformed_column_count, 40);
      assert.deepEqual(dirt.malformed_quote, 20);
      const byType = Object.fromEntries(rejects.getRows().map(([type, n]) => [String(type), Number(n)]));
      assert.equal((byType["MISSING COLUMNS"] ?? 0) + (byType["TOO MANY COLUMNS"] ?? 0), 40);
      assert.equal(byType["UNQUOTED VALUE"], 20);
      assert.equal(Number(read.getRows()[0]?.[0]), rows - 60);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
