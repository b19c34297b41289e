import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { lake, makeTempDir, removeDir } from "../helpers/cli.ts";

const FIXTURES = fileURLToPath(new URL("../pipeline/fixtures/retail-mini/", import.meta.url));

// lake query over a project built from the hand-computed retail fixture (see test/pipeline/retail-pipeline.test.ts).
describe("lake query", () => {
  let dir: string;
  let project: string;
  const query = (sql: string, ...flags: string[]) => lake("query", sql, "--project", project, ...flags);
  before(async () => {
    dir = await makeTempDir();
    project = join(dir, "shop");
    await lake("init", project);
    const batch1 = ["customers.csv", "products.csv", "locations.csv", "sales_transactions_0001.csv"].map(
      (f) => join(FIXTURES, f),
    );
    await lake("ingest", ...batch1, "--project", project);
    await lake("run", "--project", project);
    const batch2 = ["customers_0002.csv", "sales_transactions_0002.csv"].map((f) => join(FIXTURES, f));
    await lake("ingest", ...batch2, "--project", project);
    await lake("run", "--project", project);
  });
  after(() => removeDir(dir));

  it("runs SQL over tables named zone.table", async () => {
    const result = await query(
      "SELECT region, sum(revenue) AS revenue FROM gold.monthly_sales_summary GROUP BY ALL ORDER BY region",
    );
    assert.deepEqual(result, {
      code: 0,
      stdout: "region  revenue\n------  -------\nNorth   60.80\nWest    70.45\n(2 rows)\n",
      stderr: "",
    });
  });

  it("reads older versions with table@vN", async () => {
    const result = await query(
      "SELECT (SELECT count(*) FROM silver.sales_enriched@v0) AS first, (SELECT count(*) FROM silver.sales_enriched) AS latest",
      "--format",
      "jsonl",
    );
    assert.equal(result.stdout, '{"first":"2","latest":"4"}\n');
  });

  it("reports SQL DuckDB refuses and bad timestamps as usage errors", async () => {
    const bad = await query("SELECT nope FROM gold.monthly_sales_summary");
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^lake: The query failed: Binder Error: Referenced column "nope" not found/);
    const when = await query("SELECT * FROM silver.sales_enriched@2023-13-45T00:00:00Z");
    assert.equal(when.code, 2);
    assert.equal(
      when.stderr,
      'lake: silver.sales_enriched@2023-13-45T00:00:00Z: "2023-13-45T00:00:00Z" is not a timestamp like 2024-05-01T12:00:00Z\n',
    );
  });
});
