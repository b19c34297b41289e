import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DIRT_KINDS } from "../../src/datagen/index.ts";
import {
  dimensionIds,
  fileText,
  type GeneratedDataset,
  generateInto,
  makeTempDir,
  removeDir,
  salesFiles,
} from "./dataset-fixture.ts";
import { auditSales, defectCounts, isIsoDate } from "./sales-audit.ts";
import { csvLines } from "./strict-csv.ts";

describe("sales split into files by date", () => {
  let parent: string;
  let whole: GeneratedDataset;
  let split: GeneratedDataset;
  before(async () => {
    parent = await makeTempDir();
    whole = await generateInto(parent, "whole", { rows: 120_000, files: 1 });
    split = await generateInto(parent, "split", { rows: 120_000, files: 5 });
  });
  after(() => removeDir(parent));

  it("--files 1 writes sales_transactions.csv, --files 5 writes sales_transactions_0001.csv to _0005.csv", () => {
    assert.deepEqual(salesFiles(whole), ["sales_transactions.csv"]);
    assert.deepEqual(salesFiles(split), [
      "sales_transactions_0001.csv",
      "sales_transactions_0002.csv",
      "sales_transactions_0003.csv",
      "sales_transactions_0004.csv",
      "sales_transactions_0005.csv",
    ]);
  });

  it("the five files hold the single file's lines, in the same order, each under the header", async () => {
    const single = csvLines(await fileText(whole, "sales_transactions.csv"));
    const parts = await Promise.all(
      salesFiles(split).map(async (name) => csvLines(await fileText(split, name))),
    );
    for (const part of parts) assert.equal(part.header, single.header);
    assert.deepEqual(
      parts.flatMap((p) => p.lines),
      single.lines,
    );
    const rows = split.manifest.files.filter((f) => f.table === "sales_transactions").map((f) => f.rows);
    assert.deepEqual(
      rows,
      parts.map((p) => p.lines.length),
    );
    // Split at day boundaries near every fifth of the rows.
    for (const n of rows) assert.ok(Math.abs(n - 24_000) < 1_000, `${n} rows in one file`);
  });

  it("every file's dates follow the previous file's, and match its manifest date range", async () => {
    let previousLast = "";
    for (const file of split.manifest.files.filter((f) => f.table === "sales_transactions")) {
      const dates = csvLines(await fileText(split, file.name))
        .lines.map((line) => line.split(",")[1] ?? "")
        .filter(isIsoDate);
      assert.deepEqual(dates, [...dates].sort(), `${file.name} is not in date order`);
      assert.equal(dates[0], file.firstDate);
      assert.equal(dates.at(-1), file.lastDate);
      assert.ok(previousLast < (file.firstDate ?? ""), `${file.name} starts on or before ${previousLast}`);
      previousLast = file.lastDate ?? "";
    }
    assert.equal(previousLast, "2024-12-31");
  });

  it("per-file dirt counts match an audit of each file and add up to the totals", async () => {
    const dims = await dimensionIds(split);
    const total = Object.fromEntries(DIRT_KINDS.map((k) => [k, 0]));
    const files = split.manifest.files.filter((f) => f.table === "sales_transactions");
    const all: string[] = [];
    for (const file of files) all.push(...csvLines(await fileText(split, file.name)).lines);
    const audited = auditSales(all, dims);
    let offset = 0;
    for (const file of files) {
      const found = defectCounts(audited.slice(offset, offset + file.rows));
      offset += file.rows;
      const expected = Object.fromEntries(Object.entries(file.dirt ?? {}).filter(([, n]) => n > 0));
      assert.deepEqual(found, expected, file.name);
      for (const k of DIRT_KINDS) total[k] = (total[k] ?? 0) + (file.dirt?.[k] ?? 0);
    }
    assert.deepEqual(total, split.manifest.sales.dirt);
    assert.deepEqual(split.manifest.sales, whole.manifest.sales);
  });
});
