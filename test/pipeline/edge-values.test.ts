import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Row, scanRows } from "../../src/delta/index.ts";
import { DeltaContext, loadIfExists } from "../../src/engine/index.ts";
import { canonicalJson } from "../../src/lake/index.ts";
import {
  landFiles,
  type ModelResult,
  type PipelineResult,
  type ProjectConfig,
  runPipeline,
  type Zone,
} from "../../src/pipeline/index.ts";
import { LocalStore } from "../../src/storage/index.ts";
import { retailProject, withActions } from "../helpers/retail-project.ts";

// Odd text values that reach bronze fine, through the retail template: each one either parses to
// the value it plainly means or fails a named rule and is quarantined. None crashes a run, none is
// rounded or read in another notation, none becomes 0 or NULL downstream. One dataset holds every
// case (one bad value per line), so one run decides them all.

const SALES_HEADER =
  "transaction_id,order_date,customer_id,product_id,location_id,quantity,unit_price,discount_pct,payment_method,channel";
type Sale = Partial<
  Record<"order_date" | "customer_id" | "product_id" | "quantity" | "unit_price" | "discount_pct", string>
>;
/** A good sale (2 × 10.00, 10 % off) with `change` applied. */
const sale = (id: string, change: Sale): string => {
  const s = {
    order_date: "2024-03-01",
    customer_id: "C0000001",
    product_id: "P00001",
    quantity: "2",
    unit_price: "10.00",
    discount_pct: "10",
    ...change,
  };
  return [
    id,
    s.order_date,
    s.customer_id,
    s.product_id,
    "L0001",
    s.quantity,
    s.unit_price,
    s.discount_pct,
    "card",
    "store",
  ]
    .map(csvField)
    .join(",");
};
const csvField = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
const BOM = "\uFEFF";
const MAX_INT = "2147483647";

/** A sales line whose one odd value fails exactly `rules`. */
interface Quarantined {
  readonly name: string;
  readonly change: Sale;
  readonly rules: readonly string[];
}
/** A sales line whose one odd value is accepted: its silver row has `expected` (a subset of columns). */
interface Accepted {
  readonly name: string;
  readonly change: Sale;
  readonly expected: Record<string, unknown>;
}

const QUARANTINED: readonly Quarantined[] = [
  {
    name: "order_date 0000-01-01 (the year 0)",
    change: { order_date: "0000-01-01" },
    rules: ["order_date_valid"],
  },
  { name: "order_date 10000-01-01", change: { order_date: "10000-01-01" }, rules: ["order_date_valid"] },
  { name: "order_date 2024-02-30", change: { order_date: "2024-02-30" }, rules: ["order_date_valid"] },
  { name: "order_date 2024-13-01", change: { order_date: "2024-13-01" }, rules: ["order_date_valid"] },
  { name: "order_date 2024/01/01", change: { order_date: "2024/01/01" }, rules: ["order_date_valid"] },
  { name: "order_date 2024-1-1", change: { order_date: "2024-1-1" }, rules: ["order_date_valid"] },
  { name: "order_date 31/12/0000", change: { order_date: "31/12/0000" }, rules: ["order_date_valid"] },
  {
    name: "order_date 2024-01-01T10:00",
    change: { order_date: "2024-01-01T10:00" },
    rules: ["order_date_valid"],
  },
  { name: "order_date with U+FEFF", change: { order_date: `${BOM}2024-01-01` }, rules: ["order_date_valid"] },
  { name: "quantity 1.5", change: { quantity: "1.5" }, rules: ["quantity_positive"] },
  { name: "quantity 1e5", change: { quantity: "1e5" }, rules: ["quantity_positive"] },
  { name: "quantity 0x10", change: { quantity: "0x10" }, rules: ["quantity_positive"] },
  { name: "quantity 1_000", change: { quantity: "1_000" }, rules: ["quantity_positive"] },
  { name: 'quantity "1,000"', change: { quantity: "1,000" }, rules: ["quantity_positive"] },
  {
    name: "quantity 2147483648 (past 32 bits)",
    change: { quantity: "2147483648" },
    rules: ["quantity_positive"],
  },
  { name: "quantity -0", change: { quantity: "-0" }, rules: ["quantity_positive"] },
  { name: "quantity ٣ (an Arabic-Indic digit)", change: { quantity: "٣" }, rules: ["quantity_positive"] },
  { name: "quantity with a tab", change: { quantity: "3\t" }, rules: ["quantity_positive"] },
  { name: "unit_price 19.999", change: { unit_price: "19.999" }, rules: ["unit_price_valid"] },
  { name: "unit_price 1e3", change: { unit_price: "1e3" }, rules: ["unit_price_valid"] },
  { name: "unit_price NaN", change: { unit_price: "NaN" }, rules: ["unit_price_valid"] },
  { name: "unit_price Infinity", change: { unit_price: "Infinity" }, rules: ["unit_price_valid"] },
  { name: "unit_price .5", change: { unit_price: ".5" }, rules: ["unit_price_valid"] },
  {
    name: "unit_price 99999999999999999999",
    change: { unit_price: "99999999999999999999" },
    rules: ["unit_price_valid"],
  },
  {
    name: "quantity × unit_price overflowing DECIMAL(18,2)",
    change: { quantity: MAX_INT, unit_price: "9999999999.99" },
    rules: ["unit_price_valid", "amounts_in_range"],
  },
  { name: "discount_pct abc", change: { discount_pct: "abc" }, rules: ["discount_pct_valid"] },
  { name: "discount_pct NaN", change: { discount_pct: "NaN" }, rules: ["discount_pct_valid"] },
  { name: "discount_pct Infinity", change: { discount_pct: "Infinity" }, rules: ["discount_pct_valid"] },
  {
    name: "discount_pct 99999999999999999999",
    change: { discount_pct: "99999999999999999999" },
    rules: ["discount_pct_valid"],
  },
  { name: "discount_pct 1e5", change: { discount_pct: "1e5" }, rules: ["discount_pct_valid"] },
  { name: "discount_pct empty", change: { discount_pct: "" }, rules: ["discount_pct_valid"] },
  { name: "discount_pct spaces", change: { discount_pct: "   " }, rules: ["discount_pct_valid"] },
  { name: "discount_pct 12.5", change: { discount_pct: "12.5" }, rules: ["discount_pct_valid"] },
  { name: "discount_pct 101", change: { discount_pct: "101" }, rules: ["discount_pct_valid"] },
  { name: "discount_pct -5", change: { discount_pct: "-5" }, rules: ["discount_pct_valid"] },
  {
    name: "quantity × unit_price × discount_pct overflowing DECIMAL(18,2)",
    change: { quantity: MAX_INT, unit_price: "99999.99", discount_pct: MAX_INT },
    rules: ["discount_pct_valid", "amounts_in_range"],
  },
  { name: "customer_id with U+FEFF", change: { customer_id: `${BOM}C0000001` }, rules: ["customer_exists"] },
];

const ACCEPTED: readonly Accepted[] = [
  {
    name: "order_date 9999-12-31",
    change: { order_date: "9999-12-31" },
    expected: { order_date: "9999-12-31", year: 9999 },
  },
  {
    name: "order_date 0001-01-01",
    change: { order_date: "0001-01-01" },
    expected: { order_date: "0001-01-01", year: 1 },
  },
  {
    name: "order_date ' 2024-01-01 ' with spaces",
    change: { order_date: " 2024-01-01 " },
    expected: { order_date: "2024-01-01" },
  },
  {
    name: "order_date 29/02/2024 (day first)",
    change: { order_date: "29/02/2024" },
    expected: { order_date: "2024-02-29" },
  },
  { name: "quantity +3", change: { quantity: "+3" }, expected: { quantity: 3, gross_amount: "30.00" } },
  { name: "quantity 007", change: { quantity: "007" }, expected: { quantity: 7, gross_amount: "70.00" } },
  {
    name: "unit_price -0.00",
    change: { unit_price: "-0.00" },
    expected: { unit_price: "0.00", net_amount: "0.00" },
  },
  {
    name: "unit_price 10.5",
    change: { unit_price: "10.5" },
    expected: { unit_price: "10.50", net_amount: "18.90" },
  },
  {
    name: "discount_pct -0",
    change: { discount_pct: "-0" },
    expected: { discount_pct: 0, net_amount: "20.00" },
  },
  {
    name: "discount_pct 100",
    change: { discount_pct: "100" },
    expected: { discount_amount: "20.00", net_amount: "0.00" },
  },
  {
    name: "the largest quantity × price that passes every rule",
    change: { quantity: MAX_INT, unit_price: "99999.99", discount_pct: "25" },
    expected: {
      gross_amount: "214748343225163.53",
      discount_amount: "53687085806290.88",
      net_amount: "161061257418872.65",
      cost_amount: "12884901882.00",
    },
  },
  {
    name: "unit_price 0.01 for a product costing 5,000, alone in its month",
    change: {
      order_date: "2023-06-01",
      product_id: "P00006",
      quantity: "1",
      unit_price: "0.01",
      discount_pct: "0",
    },
    expected: { net_amount: "0.01", cost_amount: "5000.00" },
  },
  {
    name: "discount_pct 100, alone in its month",
    change: { order_date: "2023-07-01", discount_pct: "100" },
    expected: { net_amount: "0.00", cost_amount: "12.00" },
  },
];

const CUSTOMERS = [
  "customer_id,first_name,last_name,email,birth_date,signup_date,city,country",
  "C0000001,Ada,Lovelace,ada@x.org,1815-12-10,2021-01-01,London,UK",
  "C0000002,Alan,Turing,alan@x.org,,,Manchester,UK",
  "C0000003,Grace,Hopper,grace@x.org,31.12.1906,2021-03-01,Arlington,US",
  "C0000004,Kat,Johnson,kat@x.org,1918-08-26,0000-01-01,Hampton,US",
];
const PRODUCTS = [
  "product_id,product_name,category,subcategory,brand,list_price,unit_cost",
  "P00001,Widget,Tools,Hand,Acme,10.00,6.00",
  "P00002,Gadget,Tools,Hand,Acme,abc,6.00",
  "P00003,Gizmo,Tools,Hand,Acme,10.00,1e3",
  'P00004,Doohickey,Tools,Hand,Acme,"1,000.00",6.00',
  "P00005,Thing,Tools,Hand,Acme,10.00,-0",
  "P00006,Television,Electronics,TV,Zed,9000.00,5000.00",
];
const LOCATIONS = [
  "location_id,store_name,city,region,country,store_type",
  "L0001,Main,London,North,UK,flagship",
];
const GOOD = [
  SALES_HEADER,
  sale("T0000000001", {}),
  sale("T0000000002", { quantity: "1", discount_pct: "0" }),
];
const txId = (i: number) => `T10${String(i).padStart(8, "0")}`;
const EDGES = [SALES_HEADER, ...[...QUARANTINED, ...ACCEPTED].map((c, i) => sale(txId(i), c.change))];

describe("values at the edges of their types are data, not crashes", () => {
  let dir: string;
  let ctx: DeltaContext;
  let project: ProjectConfig;
  let second: PipelineResult;
  let runs = 0;
  const run = (p: ProjectConfig) =>
    runPipeline(ctx, p, {
      runId: `run-${++runs}`,
      startedAt: Date.parse("2026-01-01T00:00:00Z") + runs * 1000,
    });
  const model = (result: PipelineResult, table: string): ModelResult | undefined =>
    result.models.find((m) => m.table === table);
  const land = async (p: ProjectConfig, files: Record<string, readonly string[]>) => {
    const drop = join(dir, `${p.name}-drop-${runs}`);
    await mkdir(drop, { recursive: true });
    const paths = [];
    for (const [name, lines] of Object.entries(files)) {
      const path = join(drop, name);
      await writeFile(path, `${lines.join("\n")}\n`);
      paths.push(path);
    }
    await landFiles(p, paths);
  };
  /** The rows of `zone.name` as plain JSON objects, `columns` only, optionally at a version. */
  const rows = async (p: ProjectConfig, zone: Zone, name: string, version?: number) => {
    const store = new LocalStore(join(p.zones[zone], name));
    const snapshot = await ctx.snapshot(store, version === undefined ? {} : { version });
    const out: Array<Record<string, unknown>> = [];
    for await (const row of scanRows(snapshot, store, ctx.parquet)) {
      out.push(JSON.parse(canonicalJson(row as Row, snapshot.schema)));
    }
    return out;
  };
  const byId = (list: ReadonlyArray<Record<string, unknown>>, key: string, id: string) =>
    list.find((r) => r[key] === id);

  let silver: Array<Record<string, unknown>>;
  let quarantine: Array<Record<string, unknown>>;
  let silverBefore: Array<Record<string, unknown>>;
  /** Tables after the first run: their version and rows. */
  const firstRun = new Map<string, { version: number; rows: Array<Record<string, unknown>> }>();
  const TABLES = [
    ["bronze", "sales"],
    ["silver", "sales_enriched"],
    ["silver", "dim_customer"],
    ["gold", "monthly_sales_summary"],
  ] as const;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lake-edges-"));
    ctx = await DeltaContext.open({ threads: 1 });
    project = await retailProject(dir, "edges");
    await land(project, {
      "customers.csv": CUSTOMERS,
      "products.csv": PRODUCTS,
      "locations.csv": LOCATIONS,
      "sales_transactions_0001.csv": GOOD,
    });
    await run(project);
    silverBefore = await rows(project, "silver", "sales_enriched");
    for (const [zone, name] of TABLES) {
      const snapshot = await loadIfExists(ctx, new LocalStore(join(project.zones[zone], name)));
      firstRun.set(`${zone}.${name}`, {
        version: snapshot?.version ?? -1,
        rows: await rows(project, zone, name),
      });
    }
    await land(project, { "sales_transactions_0002.csv": EDGES });
    second = await run(project);
    silver = await rows(project, "silver", "sales_enriched");
    quarantine = await rows(project, "silver", "sales_enriched_quarantine");
  });
  after(async () => {
    ctx.close();
    await rm(dir, { recursive: true, force: true });
  });

  QUARANTINED.forEach((c, i) => {
    it(`${c.name}: quarantined with ${c.rules.join(" and ")}`, () => {
      const row = byId(quarantine, "transaction_id", txId(i));
      assert.deepEqual(row?.failed_rules, c.rules);
      assert.equal(byId(silver, "transaction_id", txId(i)), undefined);
    });
  });

  ACCEPTED.forEach((c, j) => {
    const i = QUARANTINED.length + j;
    it(`${c.name}: accepted as ${JSON.stringify(c.expected)}`, () => {
      const row = byId(silver, "transaction_id", txId(i));
      assert.ok(row, `${txId(i)} is in silver`);
      const picked = Object.fromEntries(Object.keys(c.expected).map((k) => [k, row[k]]));
      assert.deepEqual(picked, c.expected);
      assert.equal(byId(quarantine, "transaction_id", txId(i)), undefined);
    });
  });

  it("every edge line is accounted for: in bronze, then merged or quarantined, and the counts per rule add up", () => {
    const files = second.bronze.find((b) => b.source === "sales")?.files ?? [];
    assert.deepEqual(
      files.filter((f) => f.ingested).map((f) => [f.records, f.bronzeRows, f.rejects]),
      [[EDGES.length - 1, EDGES.length - 1, 0]],
    );
    const sales = model(second, "silver.sales_enriched");
    assert.equal(sales?.inputRows, EDGES.length - 1);
    assert.equal(sales?.rows, ACCEPTED.length);
    assert.equal(sales?.quarantined, QUARANTINED.length);
    const counts: Record<string, number> = {};
    for (const c of QUARANTINED) for (const r of c.rules) counts[r] = (counts[r] ?? 0) + 1;
    assert.deepEqual(
      Object.fromEntries(
        (sales?.expectations ?? []).filter((e) => e.failed > 0).map((e) => [e.name, e.failed]),
      ),
      counts,
    );
  });

  it("keeps the rows of the run before exactly, and every table's version before reads as it did", async () => {
    assert.deepEqual(silverBefore.map((r) => [r.transaction_id, r.net_amount]).sort(), [
      ["T0000000001", "18.00"],
      ["T0000000002", "10.00"],
    ]);
    for (const before of silverBefore) {
      assert.deepEqual(byId(silver, "transaction_id", String(before.transaction_id)), before);
    }
    for (const [zone, name] of TABLES) {
      const before = firstRun.get(`${zone}.${name}`);
      assert.deepEqual(await rows(project, zone, name, before?.version), before?.rows, `${zone}.${name}`);
    }
  });

  it("a birth or sign-up date that does not parse is quarantined from dim_customer; an empty one is unknown", async () => {
    const dim = await rows(project, "silver", "dim_customer");
    const quarantined = await rows(project, "silver", "dim_customer_quarantine");
    assert.deepEqual(dim.map((r) => [r.customer_id, r.birth_date, r.signup_date]).sort(), [
      ["C0000001", "1815-12-10", "2021-01-01"],
      ["C0000002", null, null],
    ]);
    assert.deepEqual(quarantined.map((r) => [r.customer_id, r.failed_rules]).sort(), [
      ["C0000003", ["birth_date_valid"]],
      ["C0000004", ["signup_date_valid"]],
    ]);
  });

  it("a list price or unit cost that does not parse is quarantined from dim_product; -0 is 0.00", async () => {
    const dim = await rows(project, "silver", "dim_product");
    const quarantined = await rows(project, "silver", "dim_product_quarantine");
    assert.deepEqual(dim.map((r) => [r.product_id, r.list_price, r.unit_cost]).sort(), [
      ["P00001", "10.00", "6.00"],
      ["P00005", "10.00", "0.00"],
      ["P00006", "9000.00", "5000.00"],
    ]);
    assert.deepEqual(quarantined.map((r) => [r.product_id, r.failed_rules]).sort(), [
      ["P00002", ["list_price_valid"]],
      ["P00003", ["unit_cost_valid"]],
      ["P00004", ["list_price_valid"]],
    ]);
  });

  it("gold sums the accepted edge rows exactly, the year 9999 and the year 1 included", async () => {
    const gold = await rows(project, "gold", "monthly_sales_summary");
    assert.deepEqual(
      gold
        .map((r) => [r.year, r.month, r.orders, r.revenue])
        .sort((a, b) => Number(a[0]) - Number(b[0]) || Number(a[1]) - Number(b[1])),
      [
        [1, 1, "1", "18.00"],
        [2023, 6, "1", "0.01"],
        [2023, 7, "1", "0.00"],
        [2024, 1, "1", "18.00"],
        [2024, 2, "1", "18.00"],
        [2024, 3, "9", "161061257419029.55"],
        [9999, 12, "1", "18.00"],
      ],
    );
  });

  it("gold percentages of a tiny revenue are exact, and of no revenue NULL, not a crash", async () => {
    const gold = await rows(project, "gold", "regional_performance");
    const month = (year: number, m: number) => gold.find((r) => r.year === year && r.month === m);
    assert.deepEqual(
      [2023, 2023].map((year, i) => {
        const r = month(year, 6 + i);
        return [r?.revenue, r?.margin, r?.margin_pct, r?.revenue_share_pct];
      }),
      [
        ["0.01", "-4999.99", "-49999900.00", "100.00"],
        ["0.00", "-12.00", null, null],
      ],
    );
  });

  describe("with unit_price_valid only warning", () => {
    it("quantity × unit_price overflowing DECIMAL(18,2) fails amounts_in_range alone, and no NULL amount reaches silver", async () => {
      const warned = await retailProject(
        dir,
        "warned",
        withActions({ sales_enriched: { unit_price_valid: "warn" } }),
      );
      await land(warned, {
        "customers.csv": CUSTOMERS,
        "products.csv": PRODUCTS,
        "locations.csv": LOCATIONS,
        "sales_transactions_0001.csv": [
          SALES_HEADER,
          sale("T0000000001", {}),
          sale("T0000000002", { quantity: MAX_INT, unit_price: "9999999999.99" }),
          sale("T0000000003", { unit_price: "100000.00" }),
        ],
      });
      const result = await run(warned);
      const q = await rows(warned, "silver", "sales_enriched_quarantine");
      assert.deepEqual(
        q.map((r) => [r.transaction_id, r.failed_rules, r.unit_price]),
        [["T0000000002", ["amounts_in_range"], "9999999999.99"]],
      );
      const kept = await rows(warned, "silver", "sales_enriched");
      assert.deepEqual(kept.map((r) => [r.transaction_id, r.net_amount]).sort(), [
        ["T0000000001", "18.00"],
        ["T0000000003", "180000.00"],
      ]);
      assert.deepEqual(
        model(result, "silver.sales_enriched")?.expectations.filter((e) => e.failed > 0),
        [
          { name: "unit_price_valid", action: "warn", failed: 2 },
          { name: "amounts_in_range", action: "quarantine", failed: 1 },
        ],
      );
    });
  });

  it("the macros read no number or date with a NUL byte inside", async () => {
    const macros = await readFile(join(project.root, "macros", "cleaning.sql"), "utf8");
    await ctx.session.connection.run(macros);
    const reader = await ctx.session.connection.runAndReadAll(
      `SELECT parse_int('3' || chr(0)), parse_money('1.00' || chr(0)), parse_date('2024-01-01' || chr(0)),
        parse_date(chr(0) || '01/01/2024')`,
    );
    assert.deepEqual(reader.getRows(), [[null, null, null, null]]);
  });
});
