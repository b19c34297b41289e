import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  dimensionIds,
  fileText,
  type GeneratedDataset,
  generateInto,
  makeTempDir,
  removeDir,
  salesLines,
} from "./dataset-fixture.ts";
import { type AuditedLine, auditSales } from "./sales-audit.ts";
import { csvRecords } from "./strict-csv.ts";

// Shape is statistical, so these assert ranges around the designed values on 200,000 rows.
describe("the shape of the sales", () => {
  let parent: string;
  let dataset: GeneratedDataset;
  let clean: string[][];
  before(async () => {
    parent = await makeTempDir();
    dataset = await generateInto(parent, "data", {
      rows: 200_000,
      customers: 20_000,
      products: 2_000,
      locations: 200,
    });
    const audited: AuditedLine[] = auditSales(await salesLines(dataset), await dimensionIds(dataset));
    clean = audited.filter((a) => a.defects.length === 0).map((a) => a.fields ?? []);
  });
  after(() => removeDir(parent));

  const share = (rows: string[][], test: (r: string[]) => boolean) => rows.filter(test).length / rows.length;
  const byKey = (rows: string[][], key: (r: string[]) => string) => {
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(key(r), (counts.get(key(r)) ?? 0) + 1);
    return counts;
  };

  it("rows grow every year, Q4 is the busiest quarter, Saturdays beat Tuesdays", () => {
    const years = byKey(clean, (r) => (r[1] ?? "").slice(0, 4));
    const y = (year: string) => years.get(year) ?? 0;
    assert.ok(y("2021") < y("2022") && y("2022") < y("2023") && y("2023") < y("2024"));
    assert.ok(y("2024") / y("2021") > 2 && y("2024") / y("2021") < 3.5, `${y("2024") / y("2021")}`);
    const quarters = byKey(clean, (r) => `${Math.ceil(Number((r[1] ?? "").slice(5, 7)) / 3)}`);
    const q4 = quarters.get("4") ?? 0;
    for (const q of ["1", "2", "3"]) assert.ok(q4 > (quarters.get(q) ?? 0) * 1.2, `Q4 against Q${q}`);
    const weekdays = byKey(clean, (r) => `${new Date(`${r[1]}T00:00:00Z`).getUTCDay()}`);
    assert.ok((weekdays.get("6") ?? 0) > (weekdays.get("2") ?? 0) * 1.3);
  });

  it("about 70 % of lines have no discount, the rest 5 to 25 %", () => {
    const none = share(clean, (r) => r[7] === "0");
    assert.ok(none > 0.66 && none < 0.74, `${none}`);
    assert.deepEqual([...byKey(clean, (r) => r[7] ?? "").keys()].sort(), ["0", "10", "15", "20", "25", "5"]);
  });

  it("unit prices are within 10 % of the product's list price", async () => {
    const list = new Map(
      csvRecords(await fileText(dataset, "products.csv")).records.map((r) => [r[0], Number(r[5])]),
    );
    const outside = clean.filter((r) => {
      const price = Number(r[6]);
      const listPrice = list.get(r[3]) ?? Number.NaN;
      return !(price >= listPrice * 0.9 - 0.005 && price <= listPrice * 1.1 + 0.005);
    });
    assert.deepEqual(outside, []);
  });

  it("customers come back: a tenth of them make a third of the lines", () => {
    const perCustomer = [...byKey(clean, (r) => r[2] ?? "").values()].sort((a, b) => b - a);
    const top = perCustomer.slice(0, 2_000).reduce((s, n) => s + n, 0);
    assert.ok(top / clean.length > 0.3, `${top / clean.length}`);
    assert.ok(perCustomer.length > 15_000, `${perCustomer.length} customers bought`);
  });

  it("baskets: most lines share date, customer and store with a neighbouring line", () => {
    const key = (r: string[] | undefined) => (r === undefined ? "" : `${r[1]}|${r[2]}|${r[4]}`);
    const inBasket = clean.filter((r, i) => key(r) === key(clean[i - 1]) || key(r) === key(clean[i + 1]));
    const fraction = inBasket.length / clean.length;
    assert.ok(fraction > 0.6 && fraction < 0.9, `${fraction}`);
  });

  it("regions buy different category mixes: electronics weigh more in the North than in the South", async () => {
    const category = new Map(
      csvRecords(await fileText(dataset, "products.csv")).records.map((r) => [r[0], r[2]]),
    );
    const region = new Map(
      csvRecords(await fileText(dataset, "locations.csv")).records.map((r) => [r[0], r[3]]),
    );
    const electronics = (name: string) =>
      share(
        clean.filter((r) => region.get(r[4]) === name),
        (r) => category.get(r[3]) === "Electronics",
      );
    assert.ok(
      electronics("North") > electronics("South") * 1.3,
      `${electronics("North")} ${electronics("South")}`,
    );
  });

  it("online grows from about 12 % of baskets in 2021; online lines never pay cash", () => {
    const online = (year: string) =>
      share(
        clean.filter((r) => r[1]?.startsWith(year)),
        (r) => r[9] === "online",
      );
    assert.ok(online("2021") > 0.09 && online("2021") < 0.15, `${online("2021")}`);
    assert.ok(online("2024") > online("2021") + 0.08);
    assert.equal(
      share(clean, (r) => r[9] === "online" && r[8] === "cash"),
      0,
    );
  });
});
