import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type DatasetManifest, generateDataset } from "../../src/datagen/index.ts";
import { DeltaContext } from "../../src/engine/index.ts";
import { landFiles, type ModelResult, type PipelineResult, runPipeline } from "../../src/pipeline/index.ts";
import { retailProject } from "../helpers/retail-project.ts";

// The pipeline on a generated dataset, checked against the generator's manifest, which counts every
// kind of planted dirt independently of the pipeline (see docs/DATASET.md).
describe("the retail pipeline on a generated dataset", () => {
  let dir: string;
  let ctx: DeltaContext;
  let manifest: DatasetManifest;
  let result: PipelineResult;
  const model = (table: string): ModelResult | undefined => result.models.find((m) => m.table === table);

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lake-generated-"));
    const data = join(dir, "data");
    manifest = await generateDataset({
      out: data,
      rows: 100_000,
      files: 3,
      customers: 2_000,
      products: 300,
      locations: 50,
    });
    const project = await retailProject(dir, "project");
    const files = (await readdir(data)).filter((f) => f.endsWith(".csv")).map((f) => join(data, f));
    await landFiles(project, files);
    ctx = await DeltaContext.open({ threads: 2 });
    result = await runPipeline(ctx, project, {
      runId: "generated",
      startedAt: Date.parse("2026-01-01T00:00:00Z"),
    });
  });
  after(async () => {
    ctx.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("rejects exactly the malformed lines in bronze and loads every other line", () => {
    const d = manifest.sales.dirt;
    const sales = result.bronze.find((b) => b.source === "sales")?.files ?? [];
    const rejects = sales.reduce((sum, f) => sum + f.rejects, 0);
    const rows = sales.reduce((sum, f) => sum + f.bronzeRows, 0);
    assert.equal(rejects, d.malformed_column_count + d.malformed_quote);
    assert.equal(rows + rejects, manifest.sales.rows);
  });

  it("quarantines each planted error under its rule and removes exactly the planted duplicates", () => {
    const d = manifest.sales.dirt;
    const failed = Object.fromEntries(
      (model("silver.sales_enriched")?.expectations ?? []).map((e) => [e.name, e.failed]),
    );
    assert.deepEqual(failed, {
      transaction_id_present: 0,
      order_date_valid: d.date_invalid,
      customer_id_present: d.customer_missing,
      product_id_present: d.product_missing,
      location_id_present: 0,
      quantity_positive: d.quantity_zero + d.quantity_negative,
      unit_price_valid: d.price_unparseable + d.price_negative,
      discount_pct_valid: 0,
      amounts_in_range: 0,
      customer_exists: d.customer_unknown,
      product_exists: d.product_unknown,
      location_exists: 0,
      transaction_id_unique: d.duplicate_exact + d.duplicate_id_conflict,
    });
    const errors =
      d.date_invalid + d.customer_missing + d.product_missing + d.quantity_zero + d.quantity_negative;
    const quarantined =
      errors + d.price_unparseable + d.price_negative + d.customer_unknown + d.product_unknown;
    assert.equal(model("silver.sales_enriched")?.quarantined, quarantined);
    assert.equal(
      model("silver.sales_enriched")?.duplicatesRemoved,
      d.duplicate_exact + d.duplicate_id_conflict,
    );
  });

  it("keeps every clean and recoverable row: silver = generated rows - errors", () => {
    const { rows, errorRows } = manifest.sales;
    assert.equal(model("silver.sales_enriched")?.rows, rows - errorRows);
    assert.deepEqual(
      result.models
        .filter((m) => m.kind === "dimension")
        .map((dim) => [dim.table, dim.rows, dim.quarantined]),
      [
        ["silver.dim_customer", 2_000, 0],
        ["silver.dim_product", 300, 0],
        ["silver.dim_location", 50, 0],
      ],
    );
  });
});
