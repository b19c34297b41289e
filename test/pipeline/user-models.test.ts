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
  retailProjectConfig,
  runPipeline,
} from "../../src/pipeline/index.ts";
import { LocalStore } from "../../src/storage/index.ts";

const FIXTURES = fileURLToPath(new URL("fixtures/retail-mini/", import.meta.url));
const BATCH_1 = ["customers.csv", "products.csv", "locations.csv", "sales_transactions_0001.csv"];

describe("user models declared in lake.json", () => {
  let dir: string;
  let ctx: DeltaContext;
  const project = async (name: string, models: Record<string, unknown>) => {
    const p = parseProject({ ...retailProjectConfig(name), models }, join(dir, name, "lake.json"));
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

  it("builds inline and file models in order after the built-in layers, a model reading an earlier one", async () => {
    const p = await project("shop", {
      region_totals: {
        zone: "gold",
        query: "SELECT region, sum(revenue) AS revenue FROM gold.regional_performance GROUP BY region",
      },
      top_region: { zone: "gold", sqlFile: "models/top_region.sql" },
    });
    await mkdir(join(p.root, "models"), { recursive: true });
    await writeFile(
      join(p.root, "models", "top_region.sql"),
      "SELECT region FROM gold.region_totals ORDER BY revenue DESC LIMIT 1;\n",
    );
    const result = await runPipeline(ctx, p, { runId: "models-1", startedAt: Date.now() });
    assert.deepEqual(result.models, [
      { table: "gold.region_totals", rows: 2, rebuilt: true },
      { table: "gold.top_region", rows: 1, rebuilt: true },
    ]);
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
    const run = async (p: ProjectConfig, runId: string, fullRefresh = false) =>
      (await runPipeline(ctx, p, { runId, startedAt: Date.now(), fullRefresh })).models.map(
        (m) => `${m.table} ${m.rebuilt ? `rebuilt, ${m.rows} rows` : "up to date"}`,
      );
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

    const edited = parseProject(
      {
        ...retailProjectConfig("incremental"),
        models: models("SELECT region FROM gold.region_totals ORDER BY revenue DESC LIMIT 1"),
      },
      join(dir, "incremental", "lake.json"),
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
      parseProject(
        {
          ...retailProjectConfig("definitions"),
          models: { answer: { zone: "silver", query, ...(partitionBy ? { partitionBy } : {}) } },
        },
        join(dir, "definitions", "lake.json"),
      );
    const a = "SELECT 1 AS answer, 'x' AS kind";
    const b = "SELECT 2 AS answer, 'y' AS kind";
    await project("definitions", {});
    const build = async (p: ProjectConfig) =>
      (await runPipeline(ctx, p, { runId: `def-${Date.now()}`, startedAt: Date.now() })).models.map(
        (m) => `${m.rebuilt ? "rebuilt" : "up to date"}`,
      );
    assert.deepEqual(await build(withModel(a)), ["rebuilt"]);
    assert.deepEqual(await build(withModel(b)), ["rebuilt"]);
    assert.deepEqual(await build(withModel(a)), ["rebuilt"]);
    assert.deepEqual(await rows(withModel(a), "silver", "answer"), ['{"answer":1,"kind":"x"}']);
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
    assert.deepEqual(await rows(withModel(a), "silver", "answer"), ['{"answer":3}']);
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

  it("refuses model names of built-in tables and models with both or neither of query and sqlFile", () => {
    const config = (models: unknown) => ({ ...retailProjectConfig("x"), models });
    assert.throws(
      () => parseProject(config({ sales_enriched: { zone: "silver", query: "SELECT 1" } }), "/p/lake.json"),
      {
        message: "/p/lake.json: models.sales_enriched: this name belongs to a built-in table",
      },
    );
    assert.throws(() => parseProject(config({ m: { zone: "gold" } }), "/p/lake.json"), {
      message:
        '/p/lake.json: models.m: needs exactly one of "query" (SQL text) or "sqlFile" (a .sql file in the project)',
    });
    assert.throws(() => parseProject(config({ m: { zone: "bronze", query: "SELECT 1" } }), "/p/lake.json"), {
      message: '/p/lake.json: models.m.zone: must be "silver" or "gold"',
    });
  });
});
