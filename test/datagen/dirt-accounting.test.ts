import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DIRT, DIRT_KINDS, type DirtKind, dirtQuota } from "../../src/datagen/index.ts";
import {
  dimensionIds,
  type GeneratedDataset,
  generateInto,
  makeTempDir,
  removeDir,
  salesLines,
} from "./dataset-fixture.ts";
import { type AuditedLine, auditSales, defectCounts } from "./sales-audit.ts";

// 250,000 rows are three chunks (100k, 100k, 50k), so chunk boundaries are crossed. Every rate is a
// multiple of 10 ppm, so each count is exactly rows × ppm / 10^6.
const EXPECTED: Record<DirtKind, number> = {
  whitespace_case: 2_500,
  date_day_first: 125,
  date_invalid: 150,
  quantity_zero: 100,
  quantity_negative: 100,
  customer_missing: 100,
  customer_unknown: 100,
  product_missing: 75,
  product_unknown: 75,
  price_unparseable: 75,
  price_negative: 50,
  duplicate_exact: 125,
  duplicate_id_conflict: 50,
  malformed_column_count: 50,
  malformed_quote: 25,
};

describe("planted dirt in 250,000 sales rows", () => {
  let parent: string;
  let dataset: GeneratedDataset;
  let audited: AuditedLine[];
  before(async () => {
    parent = await makeTempDir();
    dataset = await generateInto(parent, "data", { rows: 250_000, workers: 2 });
    audited = auditSales(await salesLines(dataset), await dimensionIds(dataset));
  });
  after(() => removeDir(parent));

  it("the DIRT table lists every kind once, in DIRT_KINDS order, error kinds adding up to 0.43 %", () => {
    assert.deepEqual(
      DIRT.map((d) => d.kind),
      [...DIRT_KINDS],
    );
    assert.equal(
      DIRT.filter((d) => !d.recoverable).reduce((sum, d) => sum + d.ppm, 0),
      4_300,
    );
    assert.equal(
      DIRT.filter((d) => d.recoverable).reduce((sum, d) => sum + d.ppm, 0),
      10_500,
    );
    assert.deepEqual(
      DIRT.map((d) => dirtQuota(d, 100_000)),
      DIRT.map((d) => d.ppm / 10),
    );
  });

  it("the manifest counts every kind exactly at its documented rate", () => {
    assert.deepEqual(dataset.manifest.sales, {
      rows: 250_000,
      cleanRows: 246_300,
      recoverableRows: 2_625,
      errorRows: 1_075,
      dirt: EXPECTED,
    });
  });

  it("an audit of the CSV text finds exactly the manifest's count of every kind", () => {
    assert.equal(audited.length, 250_000);
    assert.deepEqual(defectCounts(audited), EXPECTED);
  });

  it("no line has two kinds of dirt, and none has a problem outside the documented kinds", () => {
    assert.deepEqual(
      audited.filter((a) => a.defects.length > 1).map((a) => a.line),
      [],
    );
    assert.deepEqual(
      audited.filter((a) => a.unexplained.length > 0).map((a) => `${a.line}: ${a.unexplained.join(", ")}`),
      [],
    );
  });

  it("every clean row's customer, product and location exist in their dimension files", async () => {
    const dims = await dimensionIds(dataset);
    const clean = audited.filter((a) => a.defects.length === 0);
    assert.equal(clean.length, 246_300);
    const dangling = clean.filter(
      (a) =>
        !dims.customers.has(a.fields?.[2] ?? "") ||
        !dims.products.has(a.fields?.[3] ?? "") ||
        !dims.locations.has(a.fields?.[4] ?? ""),
    );
    assert.deepEqual(dangling, []);
  });

  it("every duplicate repeats the id of an earlier clean line; exact ones copy the line just before", () => {
    const byId = new Map<string, AuditedLine>();
    for (const [i, a] of audited.entries()) {
      const id = a.fields?.[0] ?? "";
      if (a.defects[0] === "duplicate_exact") assert.equal(a.line, audited[i - 1]?.line);
      if (a.defects[0] === "duplicate_id_conflict") {
        const first = byId.get(id);
        assert.deepEqual(first?.defects, [], `${a.line} repeats the id of a dirty line`);
        assert.notEqual(first?.fields?.[5], a.fields?.[5], "the quantity differs");
      }
      if (!byId.has(id)) byId.set(id, a);
    }
  });
});
