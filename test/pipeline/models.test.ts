import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { scanRows } from "../../src/delta/index.ts";
import { DeltaContext } from "../../src/engine/index.ts";
import { canonicalJson } from "../../src/lake/index.ts";
import {
  landFiles,
  listRuns,
  ModelError,
  type ProjectConfig,
  parseProject,
  runPipeline,
} from "../../src/pipeline/index.ts";
import { LocalStore } from "../../src/storage/index.ts";
import { retailProject, withModels } from "../helpers/retail-project.ts";

const FIXTURES = fileURLToPath(new URL("fixtures/retail-mini/", import.meta.url));
const BATCH_1 = ["customers.csv", "products.csv", "locations.csv", "sales_transactions_0001.csv"];

describe("user models declared in lake.json", () => {
  let dir: string;
  let ctx: DeltaContext;
  const project = async (name: string, models: Record<string, unknown>) => {
    const p = await retailProject(dir, name, withModels(models));
    await landFiles(
      p,
      BATCH_1.map((f) => join(FIXTURES, f)),
    );
    return p;
  };
  const rows = async (p: ProjectConfig, zone: "silver" | "gold", table: string) => {
    const store = new LocalStore(join(p.zones[zone], table));
    const snapshot = await ctx.snapshot(store);
    const out: string[] = [];
    for await (const row of scanRows(snapshot, store, ctx.parquet))
      out.push(canonicalJson(row, snapshot.schema));
    return out.sort();
  };
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lake-models-"));
    ctx = await DeltaContext.open({ threads: 1 });
  });
  after(async () => {
    ctx.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("builds inline and file models after the models they read, whatever the order they are declared in", async () => {
    const p = await project("shop", {
      top_region: { zone: "gold", sqlFile: "models/top_region.sql" },
      region_totals: {
        zone: "gold",
        query: "SELECT region, sum(revenue) AS revenue FROM gold.regional_performance GROUP BY region",
      },
    });
    await mkdir(join(p.root, "models"), { recursive: true });
    await writeFile(
      join(p.root, "models", "top_region.sql"),
      "SELECT region FROM gold.region_totals ORDER BY revenue DESC LIMIT 1;\n",
    );
    const result = await runPipeline(ctx, p, { runId: "models-1", startedAt: Date.now() });
    assert.deepEqual(
      result.models
        .filter((m) => ["gold.region_totals", "gold.top_region"].includes(m.table))
        .map((m) => ({ table: m.table, rows: m.rows, rebuilt: m.rebuilt })),
      [
        { table: "gold.region_totals", rows: 2, rebuilt: true },
        { table: "gold.top_region", rows: 1, rebuilt: true },
      ],
    );
    assert.deepEqual(await rows(p, "gold", "region_totals"), [
      '{"region":"North","revenue":"20.00"}',
      '{"region":"West","revenue":"22.95"}',
    ]);
    assert.deepEqual(await rows(p, "gold", "top_region"), ['{"region":"West"}']);
  });

  it("rebuilds a model only when its SQL or a table it reads changed, and the models that read it after it", async () => {
    const totals = "SELECT region, sum(revenue) AS revenue FROM gold.regional_performance GROUP BY region";
    const models = (topSql: string) => ({
      region_totals: { zone: "gold", query: totals },
      top_region: { zone: "gold", query: topSql },
      constant: { zone: "silver", query: "SELECT 42 AS answer" },
    });
    const first = await project("incremental", models("SELECT region FROM gold.region_totals LIMIT 1"));
    const mine = ["gold.region_totals", "gold.top_region", "silver.constant"];
    const run = async (p: ProjectConfig, runId: string, fullRefresh = false) =>
      (await runPipeline(ctx, p, { runId, startedAt: Date.now(), fullRefresh })).models
        .filter((m) => mine.includes(m.table))
        .map((m) => `${m.table} ${m.rebuilt ? `rebuilt, ${m.rows} rows` : "up to date"}`);
    const version = async (p: ProjectConfig, table: string) =>
      (await ctx.snapshot(new LocalStore(join(p.zones.gold, table)))).version;
    assert.deepEqual(await run(first, "inc-1"), [
      "gold.region_totals rebuilt, 2 rows",
      "gold.top_region rebuilt, 1 rows",
      "silver.constant rebuilt, 1 rows",
    ]);
    assert.deepEqual(await run(first, "inc-2"), [
      "gold.region_totals up to date",
      "gold.top_region up to date",
      "silver.constant up to date",
    ]);
    assert.equal(await version(first, "top_region"), 0);

    const edited = await retailProject(
      dir,
      "incremental",
      withModels(models("SELECT region FROM gold.region_totals ORDER BY revenue DESC LIMIT 1")),
    );
    assert.deepEqual(await run(edited, "inc-3"), [
      "gold.region_totals up to date",
      "gold.top_region rebuilt, 1 rows",
      "silver.constant up to date",
    ]);
    assert.deepEqual(await rows(edited, "gold", "top_region"), ['{"region":"West"}']);

    await landFiles(edited, [join(FIXTURES, "sales_transactions_0002.csv")]);
    assert.deepEqual(await run(edited, "inc-4"), [
      "gold.region_totals rebuilt, 2 rows",
      "gold.top_region rebuilt, 1 rows",
      "silver.constant up to date",
    ]);
    assert.deepEqual((await run(edited, "inc-5", true)).at(-1), "silver.constant rebuilt, 1 rows");
  });

  it("a model whose SQL goes A → B → A is rebuilt each time, and takes a new partitionBy and schema", async () => {
    const withModel = (query: string, partitionBy?: string[]) =>
      retailProject(
        dir,
        "definitions",
        withModels({ answer: { zone: "silver", query, ...(partitionBy ? { partitionBy } : {}) } }),
      );
    const a = "SELECT 1 AS answer, 'x' AS kind";
    const b = "SELECT 2 AS answer, 'y' AS kind";
    await project("definitions", {});
    const build = async (p: Promise<ProjectConfig>) =>
      (await runPipeline(ctx, await p, { runId: `def-${Date.now()}`, startedAt: Date.now() })).models
        .filter((m) => m.table === "silver.answer")
        .map((m) => `${m.rebuilt ? "rebuilt" : "up to date"}`);
    assert.deepEqual(await build(withModel(a)), ["rebuilt"]);
    assert.deepEqual(await build(withModel(b)), ["rebuilt"]);
    assert.deepEqual(await build(withModel(a)), ["rebuilt"]);
    assert.deepEqual(await rows(await withModel(a), "silver", "answer"), ['{"answer":1,"kind":"x"}']);
    assert.deepEqual(await build(withModel(a)), ["up to date"]);

    assert.deepEqual(await build(withModel(a, ["kind"])), ["rebuilt"]);
    const store = new LocalStore(join(dir, "definitions", "lake", "silver", "answer"));
    assert.deepEqual((await ctx.snapshot(store)).partitionColumns, ["kind"]);
    assert.deepEqual(await build(withModel("SELECT 3 AS answer")), ["rebuilt"]);
    const snapshot = await ctx.snapshot(store);
    assert.deepEqual(
      [snapshot.partitionColumns, snapshot.schema.fields.map((f) => f.name)],
      [[], ["answer"]],
      "the dropped column and the partitioning are gone",
    );
    assert.deepEqual(await rows(await withModel(a), "silver", "answer"), ['{"answer":3}']);
  });

  it("fails the run naming the model and DuckDB's message when its SQL is wrong, and records the failure", async () => {
    const p = await project("broken", {
      oops: { zone: "silver", query: "SELECT nope FROM silver.sales_enriched" },
    });
    await assert.rejects(
      runPipeline(ctx, p, { runId: "models-2", startedAt: Date.now() }),
      (error: unknown) => {
        assert.ok(error instanceof ModelError);
        assert.match(
          error.message,
          /^Model silver\.oops failed: Binder Error: Referenced column "nope" not found/,
        );
        return true;
      },
    );
    assert.equal((await listRuns(ctx, p))[0]?.status, "failed");
  });

  it("refuses model declarations that cannot work, naming the field", () => {
    const refused = (models: unknown, message: string) =>
      assert.throws(() => parseProject({ models }, "/p/lake.json"), { message: `/p/lake.json: ${message}` });
    refused(
      { m: { zone: "silver", query: "SELECT 1", sqlFile: "m.sql" } },
      'models.m: has both "query" and "sqlFile": keep one',
    );
    refused({ m: { zone: "bronze", query: "SELECT 1" } }, 'models.m.zone: must be "silver" or "gold"');
    refused(
      { m: { zone: "gold", kind: "view" } },
      "models.m.kind: must be one of table, incremental, partitions, dimension",
    );
    refused(
      { m: { zone: "gold", kind: "dimension" } },
      'models.m: a dimension needs "naturalKey" and "surrogateKey"',
    );
    refused(
      { m: { zone: "gold", uniqueKey: "id" } },
      "models.m.uniqueKey: applies to incremental models only",
    );
    refused(
      { m_keys: { zone: "gold" } },
      "models.m_keys: names ending in _keys, _quarantine or _rejects belong to the tables a model keeps beside it",
    );
    refused(
      { m: { zone: "gold", expectations: { r: { notNull: "a", unique: "a" } } } },
      "models.m.expectations.r: needs exactly one of expect, notNull, unique, acceptedValues, existsIn",
    );
    refused(
      { m: { zone: "gold", expectations: { r: { notNull: "a", action: "drop" } } } },
      "models.m.expectations.r.action: must be one of warn, quarantine, fail",
    );
    refused(
      { m: { zone: "gold", expectations: { r: { notNull: "a", retry: true } } } },
      "models.m.expectations.r.retry: applies to existsIn rules of incremental models",
    );
    refused(
      { m: { zone: "gold", expectations: { r: { existsIn: { column: "a", model: "dims" } } } } },
      'models.m.expectations.r.existsIn.model: must name a model as "silver.name" or "gold.name"',
    );
  });

  it("refuses models that read each other in a cycle, naming the cycle", async () => {
    const p = await project("cycle", {
      a: { zone: "silver", query: "SELECT * FROM gold.b" },
      b: { zone: "gold", query: "SELECT * FROM silver.a" },
    });
    await assert.rejects(runPipeline(ctx, p, { runId: "cycle", startedAt: Date.now() }), {
      name: "ModelGraphError",
      message:
        "The models form a cycle: silver.a → gold.b → silver.a. A model cannot read itself, directly or through others.",
    });
  });

  it("selects a model with its upstream (+model) or its downstream (model+), and suggests a name for a typo", async () => {
    const p = await project("selectors", {});
    const selected = async (...select: string[]) =>
      (
        await runPipeline(ctx, p, { runId: `sel-${select.join()}`, startedAt: Date.now(), select })
      ).models.map((m) => m.table);
    assert.deepEqual(await selected("bronze", "+sales_enriched"), [
      "silver.dim_customer",
      "silver.dim_product",
      "silver.dim_location",
      "silver.sales_enriched",
    ]);
    assert.deepEqual(await selected("dim_product+"), [
      "silver.dim_product",
      "silver.sales_enriched",
      "gold.monthly_sales_summary",
      "gold.top_products_monthly",
      "gold.regional_performance",
      "gold.customer_cohorts",
    ]);
    assert.deepEqual(await selected("gold"), [
      "gold.monthly_sales_summary",
      "gold.top_products_monthly",
      "gold.regional_performance",
      "gold.customer_cohorts",
    ]);
    await assert.rejects(selected("sales_enriched+", "dim_custmer"), {
      name: "ModelGraphError",
      message:
        "--select dim_custmer: no source, model or zone is called dim_custmer; did you mean dim_customer?",
    });
  });

  it("checks the shorthand expectations of a table model: not null, unique, accepted values, exists in", async () => {
    const p = await project("shorthands", {
      checked: {
        zone: "gold",
        query:
          "SELECT * FROM (VALUES (1, 'C0000001', 'card'), (2, 'C0000001', 'cash'), (2, NULL, 'gold'), (NULL, 'C9', 'card')) t(id, customer_id, payment)",
        expectations: {
          id_present: { notNull: "id", action: "quarantine" },
          id_unique: { unique: "id" },
          payment_known: { acceptedValues: { column: "payment", values: ["card", "cash"] } },
          customer_known: { existsIn: { column: "customer_id", model: "silver.dim_customer" } },
        },
      },
    });
    const result = await runPipeline(ctx, p, { runId: "shorthands", startedAt: Date.now() });
    const checked = result.models.find((m) => m.table === "gold.checked");
    assert.deepEqual(
      [checked?.rows, checked?.quarantined, checked?.expectations.map((e) => `${e.name} ${e.failed}`)],
      [3, 1, ["id_present 1", "id_unique 2", "payment_known 1", "customer_known 1"]],
    );
    assert.deepEqual(await rows(p, "gold", "checked_quarantine"), [
      '{"_run_id":"shorthands","customer_id":"C9","failed_rules":["id_present"],"id":null,"payment":"card"}',
    ]);
  });
});
