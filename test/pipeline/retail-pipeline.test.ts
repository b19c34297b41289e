import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { type Row, scanRows } from "../../src/delta/index.ts";
import { DeltaContext, loadIfExists } from "../../src/engine/index.ts";
import { canonicalJson } from "../../src/lake/index.ts";
import {
  ExpectationFailedError,
  landFiles,
  listRuns,
  type PipelineResult,
  type ProjectConfig,
  runPipeline,
  type Zone,
} from "../../src/pipeline/index.ts";
import { LocalStore } from "../../src/storage/index.ts";
import { retailProject, withActions } from "../helpers/retail-project.ts";

// A hand-written retail drop (test/pipeline/fixtures/retail-mini) small enough to compute by hand.
const FIXTURES = fileURLToPath(new URL("fixtures/retail-mini/", import.meta.url));
const BATCH_1 = ["customers.csv", "products.csv", "locations.csv", "sales_transactions_0001.csv"];
const BATCH_2 = ["customers_0002.csv", "sales_transactions_0002.csv"];

describe("the retail pipeline on a hand-computed dataset", () => {
  let dir: string;
  let ctx: DeltaContext;
  let runs = 0;
  const newProject = (name: string, actions: Record<string, Record<string, string>> = {}) =>
    retailProject(dir, name, withActions(actions));
  /** What the sales model did, in the terms of the hand computation. */
  const sales = (result: PipelineResult) => {
    const m = result.models.find((r) => r.table === "silver.sales_enriched");
    return m?.rebuilt !== true
      ? undefined
      : {
          newBronzeRows: m.inputRows,
          inserted: m.rows,
          quarantined: m.quarantined,
          duplicatesRemoved: m.duplicatesRemoved,
          expectations: m.expectations.filter((e) => e.failed > 0),
        };
  };
  const land = (project: ProjectConfig, files: readonly string[]) =>
    landFiles(
      project,
      files.map((f) => join(FIXTURES, f)),
    );
  const run = (project: ProjectConfig, fullRefresh = false) =>
    runPipeline(ctx, project, {
      runId: `run-${++runs}`,
      startedAt: Date.parse("2026-01-01T00:00:00Z") + runs * 1000,
      fullRefresh,
    });
  const table = (project: ProjectConfig, zone: Zone, name: string) =>
    new LocalStore(join(project.zones[zone], name));
  const rows = async (project: ProjectConfig, zone: Zone, name: string, columns: readonly string[]) => {
    const store = table(project, zone, name);
    const snapshot = await ctx.snapshot(store);
    const out: string[] = [];
    for await (const row of scanRows(snapshot, store, ctx.parquet)) {
      out.push(
        canonicalJson(Object.fromEntries(columns.map((c) => [c, row[c] ?? null])) as Row, {
          type: "struct",
          fields: snapshot.schema.fields.filter((f) => columns.includes(f.name)),
        }),
      );
    }
    return out.sort();
  };
  const versions = async (project: ProjectConfig) => {
    const names: Record<string, number | undefined> = {};
    for (const [zone, tables] of Object.entries({
      bronze: ["sales", "customers"],
      silver: ["dim_customer", "sales_enriched", "sales_enriched_quarantine"],
      gold: ["monthly_sales_summary", "top_products_monthly", "regional_performance"],
    }) as Array<[Zone, string[]]>) {
      for (const name of tables)
        names[`${zone}.${name}`] = (await loadIfExists(ctx, table(project, zone, name)))?.version;
    }
    return names;
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lake-retail-"));
    ctx = await DeltaContext.open({ threads: 1 });
  });
  after(async () => {
    ctx.close();
    await rm(dir, { recursive: true, force: true });
  });

  describe("one project through two batches", () => {
    let project: ProjectConfig;
    before(async () => {
      project = await newProject("shop");
      await land(project, BATCH_1);
    });

    it("first run: every bronze sale is merged, quarantined with its rule, or removed as a duplicate", async () => {
      const result = await run(project);
      assert.deepEqual(sales(result), {
        newBronzeRows: 7,
        inserted: 2,
        quarantined: 4,
        duplicatesRemoved: 1,
        expectations: [
          { name: "order_date_valid", action: "quarantine", failed: 1 },
          { name: "quantity_positive", action: "quarantine", failed: 1 },
          { name: "unit_price_valid", action: "quarantine", failed: 1 },
          { name: "customer_exists", action: "quarantine", failed: 1 },
          { name: "transaction_id_unique", action: "warn", failed: 1 },
        ],
      });
      assert.deepEqual(
        await rows(project, "silver", "sales_enriched_quarantine", [
          "transaction_id",
          "_source_row",
          "failed_rules",
        ]),
        [
          '{"_source_row":"4","failed_rules":["order_date_valid"],"transaction_id":"T0000000003"}',
          '{"_source_row":"5","failed_rules":["customer_exists"],"transaction_id":"T0000000004"}',
          '{"_source_row":"6","failed_rules":["quantity_positive"],"transaction_id":"T0000000005"}',
          '{"_source_row":"8","failed_rules":["unit_price_valid"],"transaction_id":"T0000000006"}',
        ],
      );
      assert.deepEqual(
        await rows(project, "silver", "sales_enriched", [
          "transaction_id",
          "order_date",
          "customer_key",
          "payment_method",
          "channel",
          "net_amount",
          "discount_amount",
          "cost_amount",
          "region",
        ]),
        [
          '{"channel":"online","cost_amount":"15.25","customer_key":"3","discount_amount":"2.55","net_amount":"22.95","order_date":"2023-01-15","payment_method":"card","region":"West","transaction_id":"T0000000002"}',
          '{"channel":"store","cost_amount":"12.00","customer_key":"1","discount_amount":"0.00","net_amount":"20.00","order_date":"2023-01-15","payment_method":"card","region":"North","transaction_id":"T0000000001"}',
        ],
      );
      assert.deepEqual(
        await rows(project, "gold", "monthly_sales_summary", [
          "year",
          "month",
          "region",
          "category",
          "revenue",
          "units",
          "orders",
          "customers",
          "avg_order_value",
          "discount_given",
          "margin",
        ]),
        [
          '{"avg_order_value":"20.00","category":"Tools","customers":"1","discount_given":"0.00","margin":"8.00","month":1,"orders":"1","region":"North","revenue":"20.00","units":"2","year":2023}',
          '{"avg_order_value":"22.95","category":"Electronics","customers":"1","discount_given":"2.55","margin":"7.70","month":1,"orders":"1","region":"West","revenue":"22.95","units":"1","year":2023}',
        ],
      );
      assert.deepEqual(
        await rows(project, "gold", "regional_performance", [
          "region",
          "revenue",
          "margin_pct",
          "revenue_share_pct",
        ]),
        [
          '{"margin_pct":"33.55","region":"West","revenue":"22.95","revenue_share_pct":"53.43"}',
          '{"margin_pct":"40.00","region":"North","revenue":"20.00","revenue_share_pct":"46.57"}',
        ],
      );
      assert.deepEqual(
        await rows(project, "gold", "top_products_monthly", ["rank", "product_id", "revenue"]),
        [
          '{"product_id":"P00001","rank":"2","revenue":"20.00"}',
          '{"product_id":"P00002","rank":"1","revenue":"22.95"}',
        ],
      );
    });

    it("groups customers into cohorts by the month of their first purchase", async () => {
      assert.deepEqual(
        await rows(project, "gold", "customer_cohorts", [
          "cohort_year",
          "cohort_month",
          "months_since_first",
          "customers",
          "orders",
          "revenue",
        ]),
        [
          '{"cohort_month":1,"cohort_year":2023,"customers":"2","months_since_first":0,"orders":"2","revenue":"42.95"}',
        ],
      );
    });

    it("a second run with nothing new commits nothing anywhere", async () => {
      const before = await versions(project);
      const result = await run(project);
      assert.equal(sales(result), undefined, "the sales model is up to date");
      assert.deepEqual(await versions(project), before);
    });

    it("a new batch merges new sales, drops a re-sent one, and recomputes only the months it touches", async () => {
      const gold = table(project, "gold", "monthly_sales_summary");
      const januaryFiles = async () =>
        (await ctx.snapshot(gold))
          .files()
          .filter((f) => f.partitionValues.month === "1")
          .map((f) => f.path);
      const januaryBefore = await januaryFiles();
      await land(project, BATCH_2);
      const result = await run(project);
      assert.deepEqual(
        [
          sales(result)?.newBronzeRows,
          sales(result)?.inserted,
          sales(result)?.quarantined,
          sales(result)?.duplicatesRemoved,
          result.models
            .filter((m) => m.table.startsWith("gold."))
            .map((m) => `${m.table}: ${m.partitions ?? "all"}`),
        ],
        [
          3,
          2,
          0,
          1,
          [
            "gold.monthly_sales_summary: 1",
            "gold.top_products_monthly: 1",
            "gold.regional_performance: 1",
            "gold.customer_cohorts: all",
          ],
        ],
      );
      assert.deepEqual(await januaryFiles(), januaryBefore, "January's gold files were not rewritten");
      assert.deepEqual(
        await rows(project, "gold", "monthly_sales_summary", [
          "month",
          "region",
          "category",
          "revenue",
          "discount_given",
          "margin",
        ]),
        [
          '{"category":"Electronics","discount_given":"10.20","margin":"10.30","month":3,"region":"North","revenue":"40.80"}',
          '{"category":"Electronics","discount_given":"2.55","margin":"7.70","month":1,"region":"West","revenue":"22.95"}',
          '{"category":"Tools","discount_given":"0.00","margin":"17.50","month":3,"region":"West","revenue":"47.50"}',
          '{"category":"Tools","discount_given":"0.00","margin":"8.00","month":1,"region":"North","revenue":"20.00"}',
        ],
      );
      // C2's January sales were quarantined, so March is its first purchase: a cohort with new C4.
      assert.deepEqual(
        await rows(project, "gold", "customer_cohorts", [
          "cohort_month",
          "months_since_first",
          "customers",
          "revenue",
        ]),
        [
          '{"cohort_month":1,"customers":"2","months_since_first":0,"revenue":"42.95"}',
          '{"cohort_month":3,"customers":"2","months_since_first":0,"revenue":"88.30"}',
        ],
      );
      assert.deepEqual(
        await rows(project, "silver", "dim_customer", ["customer_key", "customer_id", "last_name"]),
        [
          '{"customer_id":"C0000001","customer_key":"1","last_name":"King"}',
          '{"customer_id":"C0000002","customer_key":"2","last_name":"Turing"}',
          '{"customer_id":"C0000003","customer_key":"3","last_name":"Hopper"}',
          '{"customer_id":"C0000004","customer_key":"4","last_name":"Johnson"}',
        ],
      );
    });

    it("a full refresh rebuilds silver and gold with the same surrogate keys and the same rows", async () => {
      const columns = ["transaction_id", "customer_key", "product_key", "location_key", "net_amount"];
      const salesBefore = await rows(project, "silver", "sales_enriched", columns);
      const goldBefore = await rows(project, "gold", "monthly_sales_summary", [
        "year",
        "month",
        "region",
        "category",
        "revenue",
      ]);
      await run(project, true);
      assert.deepEqual(await rows(project, "silver", "sales_enriched", columns), salesBefore);
      assert.deepEqual(
        await rows(project, "gold", "monthly_sales_summary", [
          "year",
          "month",
          "region",
          "category",
          "revenue",
        ]),
        goldBefore,
      );
    });
  });

  it("a rule set to fail stops the run before silver sales are written, and the run log says so", async () => {
    const project = await newProject("strict", { sales_enriched: { quantity_positive: "fail" } });
    await land(project, BATCH_1);
    await assert.rejects(run(project), (error: unknown) => {
      assert.ok(error instanceof ExpectationFailedError);
      assert.equal(
        error.message,
        'Expectation quantity_positive on silver.sales_enriched failed for 1 rows; its action is "fail", so nothing was written. Fix the data, or set its action to "quarantine" or "warn" in lake.json.',
      );
      return true;
    });
    assert.equal(await loadIfExists(ctx, table(project, "silver", "sales_enriched")), undefined);
    const [last] = await listRuns(ctx, project);
    assert.equal(last?.status, "failed");
    assert.match(last?.error ?? "", /^Expectation quantity_positive/);
  });

  it("duplicates set to quarantine are kept in quarantine with their rule; a warn-only failure is not", async () => {
    const project = await newProject("audited", {
      sales_enriched: { transaction_id_unique: "quarantine", customer_exists: "warn" },
    });
    await land(project, BATCH_1);
    const result = await run(project);
    assert.deepEqual(sales(result), {
      newBronzeRows: 7,
      inserted: 3,
      quarantined: 4,
      duplicatesRemoved: 0,
      expectations: [
        { name: "order_date_valid", action: "quarantine", failed: 1 },
        { name: "quantity_positive", action: "quarantine", failed: 1 },
        { name: "unit_price_valid", action: "quarantine", failed: 1 },
        { name: "customer_exists", action: "warn", failed: 1 },
        { name: "transaction_id_unique", action: "quarantine", failed: 1 },
      ],
    });
    assert.deepEqual(
      await rows(project, "silver", "sales_enriched_quarantine", [
        "transaction_id",
        "_source_row",
        "failed_rules",
      ]),
      [
        '{"_source_row":"4","failed_rules":["order_date_valid"],"transaction_id":"T0000000003"}',
        '{"_source_row":"6","failed_rules":["quantity_positive"],"transaction_id":"T0000000005"}',
        '{"_source_row":"7","failed_rules":["transaction_id_unique"],"transaction_id":"T0000000001"}',
        '{"_source_row":"8","failed_rules":["unit_price_valid"],"transaction_id":"T0000000006"}',
      ],
    );
  });

  it("a foreign-key rule set to warn keeps the sale with the unknown member, key -1", async () => {
    const project = await newProject("lenient", { sales_enriched: { customer_exists: "warn" } });
    await land(project, BATCH_1);
    const result = await run(project);
    assert.deepEqual([sales(result)?.inserted, sales(result)?.quarantined], [3, 3]);
    const unknown = await rows(project, "silver", "sales_enriched", [
      "transaction_id",
      "customer_key",
      "customer_id",
    ]);
    assert.ok(
      unknown.includes('{"customer_id":"C9999999","customer_key":"-1","transaction_id":"T0000000004"}'),
    );
  });
});
