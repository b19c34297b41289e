import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  CUSTOMERS_HEADER,
  LOCATIONS_HEADER,
  PRODUCTS_HEADER,
  REGIONS,
  SALES_HEADER,
  STORE_TYPES,
} from "../../src/datagen/index.ts";
import { fileText, type GeneratedDataset, generateInto, makeTempDir, removeDir } from "./dataset-fixture.ts";
import { csvLines, csvRecords, parseCsvLine } from "./strict-csv.ts";

// The default dimension sizes, so the names and places of the real workload show up.
describe("CSV files", () => {
  let parent: string;
  let dataset: GeneratedDataset;
  /** The records of each dimension file, read once. */
  const records: Record<string, string[][]> = {};
  before(async () => {
    parent = await makeTempDir();
    dataset = await generateInto(parent, "data", {
      rows: 20_000,
      customers: 200_000,
      products: 10_000,
      locations: 1_000,
    });
    for (const name of ["customers.csv", "products.csv", "locations.csv"]) {
      records[name] = csvRecords(await fileText(dataset, name)).records;
    }
  });
  after(() => removeDir(parent));

  it("each file starts with its header and every line of a dimension has that many fields", async () => {
    const headers: Record<string, string> = {
      "customers.csv": CUSTOMERS_HEADER,
      "products.csv": PRODUCTS_HEADER,
      "locations.csv": LOCATIONS_HEADER,
      "sales_transactions.csv": SALES_HEADER,
    };
    for (const [name, header] of Object.entries(headers)) {
      assert.equal(csvLines(await fileText(dataset, name)).header, header, name);
    }
    assert.equal(SALES_HEADER.split(",").length, 10);
    const rows = Object.fromEntries(Object.entries(records).map(([name, r]) => [name, r.length]));
    assert.deepEqual(rows, { "customers.csv": 200_000, "products.csv": 10_000, "locations.csv": 1_000 });
  });

  it("ids are C + 7, P + 5 and L + 4 digits, numbered from 1 in order", async () => {
    const ids = (name: string) => (records[name] ?? []).map((r) => r[0]);
    const customers = ids("customers.csv");
    assert.deepEqual([customers[0], customers.at(-1)], ["C0000001", "C0200000"]);
    const products = ids("products.csv");
    assert.deepEqual([products[0], products.at(-1)], ["P00001", "P10000"]);
    const locations = ids("locations.csv");
    assert.deepEqual([locations[0], locations.at(-1)], ["L0001", "L1000"]);
  });

  it("fields with commas or quotes are quoted with quotes doubled, and read back intact", async () => {
    const products = await fileText(dataset, "products.csv");
    const withInchQuote = products.split("\n").find((line) => line.includes('55"" 4K TV'));
    assert.ok(withInchQuote?.includes(',"'), "a product name with an inch mark is quoted");
    const name = parseCsvLine(withInchQuote ?? "")[1] ?? "";
    assert.match(name, /^[^"]+ 55" 4K TV(, .+)?$/);
    assert.ok(products.split("\n").some((line) => /^P\d{5},"[^"]+, [^"]+",/.test(line)));

    const customers = await fileText(dataset, "customers.csv");
    assert.match(customers, /,"Washington, D\.C\.",United States\n/);
    const sales = await fileText(dataset, "sales_transactions.csv");
    assert.match(sales, /,"store credit, promo",(store|online)\n/);
    assert.ok((records["locations.csv"] ?? []).some((r) => /^Medallion .+, .+$/.test(r[1] ?? "")));
  });

  it("names and places keep their UTF-8 spelling; O'Brien needs no quotes", async () => {
    const customers = await fileText(dataset, "customers.csv");
    for (const text of [",Müller,", ",São Paulo,Brazil\n", ",Zürich,Switzerland\n", ",Kraków,Poland\n"]) {
      assert.ok(customers.includes(text), text);
    }
    assert.match(customers, /,O'Brien,[a-z.]*obrien[a-z.]*\d+@example\.(com|net|org),/);
  });

  it("customers have unique emails, 2 % empty birth dates (as the manifest counts) and dates in range", async () => {
    const customers = records["customers.csv"] ?? [];
    assert.equal(new Set(customers.map((r) => r[3])).size, 200_000);
    const empty = customers.filter((r) => r[4] === "").length;
    assert.equal(empty, dataset.manifest.customers.emptyBirthDates);
    assert.ok(Math.abs(empty - 4_000) < 300, `${empty} empty birth dates`);
    const births = customers.map((r) => r[4] ?? "").filter((d) => d !== "");
    assert.ok(births.every((d) => d >= "1940-01-01" && d <= "2006-12-31"));
    assert.ok(customers.every((r) => (r[5] ?? "") >= "2016-01-01" && (r[5] ?? "") <= "2024-12-31"));
  });

  it("products: 8 categories, prices with 2 decimals, unit cost below list price", async () => {
    const products = records["products.csv"] ?? [];
    assert.equal(new Set(products.map((r) => r[2])).size, 8);
    for (const r of products) {
      assert.match(r[5] ?? "", /^\d+\.\d{2}$/);
      assert.match(r[6] ?? "", /^\d+\.\d{2}$/);
      assert.ok(Number(r[6]) < Number(r[5]), `${r[0]} costs ${r[6]} and lists at ${r[5]}`);
    }
  });

  it("locations: every region and store type occurs, online stores are about 2 %", async () => {
    const locations = records["locations.csv"] ?? [];
    assert.deepEqual(new Set(locations.map((r) => r[3])), new Set(REGIONS));
    assert.deepEqual(new Set(locations.map((r) => r[5])), new Set(STORE_TYPES));
    assert.equal(locations.filter((r) => r[5] === "online").length, 20);
  });
});
