/**
 * What a run consumes comes from the Delta log: a crash between two commits of a step, a run that
 * stopped before gold, an optimize or a restore of an input, all end in the tables an uninterrupted
 * run gives. A crash is simulated by failing the commit of one table (the commits before it stay).
 */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { restore } from "../../src/delta/index.ts";
import { DeltaContext, deleteRows, optimizeTable } from "../../src/engine/index.ts";
import {
  landFiles,
  type PipelineResult,
  type ProjectConfig,
  runPipeline,
  tableStore,
} from "../../src/pipeline/index.ts";
import { LocalStore } from "../../src/storage/index.ts";
import { projectTableRows } from "../helpers/project-tables.ts";
import { retailProject, withActions } from "../helpers/retail-project.ts";

const FIXTURES = fileURLToPath(new URL("fixtures/retail-mini/", import.meta.url));
const BATCH_1 = ["customers.csv", "products.csv", "locations.csv", "sales_transactions_0001.csv"];
const BATCH_2 = ["customers_0002.csv", "sales_transactions_0002.csv"];
// Batch 3: a customer without an id (dimension quarantine), a new customer and her sale, a sale that
// fails a rule (quarantine), in a new month.
const BATCH_3 = {
  "customers_0003.csv": [
    "customer_id,first_name,last_name,email,birth_date,signup_date,city,country",
    ",No,Id,none@x.org,1990-01-01,2023-04-01,Nowhere,US",
    "C0000005,Grace,Hopper,gh@x.org,1906-12-09,2023-04-01,New York,US",
  ],
  "sales_transactions_0003.csv": [
    "transaction_id,order_date,customer_id,product_id,location_id,quantity,unit_price,discount_pct,payment_method,channel",
    "T0000000010,2023-04-02,C0000005,P00001,L0001,1,10.00,0,card,store",
    "T0000000011,2023-04-03,C0000002,P00002,L0002,0,25.50,0,cash,store",
  ],
};
// Columns that differ between two runs of the same data by design.
const RUN_COLUMNS = ["_run_id", "_ingested_at"];

describe("incremental state from the Delta log", () => {
  let dir: string;
  let batch3: string[];
  let ctx: DeltaContext;
  let runs = 0;
  let reference: Awaited<ReturnType<typeof tablesOf>>;

  const newProject = (name: string, actions: Record<string, Record<string, string>> = {}) =>
    retailProject(dir, name, withActions(actions));
  const model = (result: PipelineResult, table: string) => result.models.find((m) => m.table === table);
  const land = (project: ProjectConfig, files: readonly string[]) =>
    landFiles(
      project,
      files.map((f) => (f.startsWith("/") ? f : join(FIXTURES, f))),
    );
  const run = (project: ProjectConfig, select?: string[]): Promise<PipelineResult> =>
    runPipeline(ctx, project, {
      runId: `run-${++runs}`,
      startedAt: Date.parse("2026-01-01T00:00:00Z") + runs * 1000,
      ...(select ? { select } : {}),
    });
  /** Every table's rows without the per-run columns (versions differ after a crash, rows must not). */
  const tablesOf = async (project: ProjectConfig) =>
    Object.fromEntries(
      Object.entries(await projectTableRows(ctx, project, RUN_COLUMNS)).map(([name, t]) => [name, t.rows]),
    );
  /** Runs `work` while every commit to a table whose location ends with `table` fails, as in a crash. */
  const crashingAt = async <T>(table: string, work: () => Promise<T>): Promise<void> => {
    const put = LocalStore.prototype.put;
    LocalStore.prototype.put = function (this: LocalStore, key, body, options) {
      if (this.location.endsWith(`/${table}`) && /^_delta_log\/\d{20}\.json$/.test(key)) {
        return Promise.reject(new Error(`simulated crash before committing ${table}`));
      }
      return put.call(this, key, body, options);
    };
    try {
      await assert.rejects(work, /simulated crash/);
    } finally {
      LocalStore.prototype.put = put;
    }
  };
  /** Runs the three batches, with `disturb` before the last run. */
  const scenario = async (name: string, disturb: (project: ProjectConfig) => Promise<void>) => {
    const project = await newProject(name);
    await land(project, BATCH_1);
    await run(project);
    await land(project, BATCH_2);
    await run(project);
    await land(project, batch3);
    await disturb(project);
    await run(project);
    return project;
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lake-incremental-"));
    ctx = await DeltaContext.open({ threads: 1 });
    batch3 = [];
    for (const [file, lines] of Object.entries(BATCH_3)) {
      await writeFile(join(dir, file), `${lines.join("\n")}\n`);
      batch3.push(join(dir, file));
    }
    reference = await tablesOf(await scenario("reference", async () => {}));
  });
  after(async () => {
    ctx.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("the reference scenario quarantines in silver and recomputes April in gold", () => {
    assert.equal(reference["silver.sales_enriched_quarantine"]?.length, 5);
    assert.ok(reference["silver.dim_customer_quarantine"]?.some((row) => row.includes('"last_name":"Id"')));
    assert.ok(reference["gold.monthly_sales_summary"]?.some((row) => row.includes('"month":4')));
  });

  it("a crash after sales_enriched committed, before its quarantine, loses and doubles nothing", async () => {
    const project = await scenario("crash-sales", (p) =>
      crashingAt("sales_enriched_quarantine", () => run(p)),
    );
    assert.deepEqual(await tablesOf(project), reference);
  });

  it("a crash before sales_enriched committed leaves the run to be done again", async () => {
    const project = await scenario("crash-before-sales", (p) => crashingAt("sales_enriched", () => run(p)));
    assert.deepEqual(await tablesOf(project), reference);
  });

  it("a crash after a dimension committed, before its quarantine, still fills the quarantine", async () => {
    const project = await scenario("crash-dimension", (p) =>
      crashingAt("dim_customer_quarantine", () => run(p)),
    );
    assert.deepEqual(await tablesOf(project), reference);
  });

  it("a crash before gold, then a run, recomputes the months silver changed", async () => {
    const project = await scenario("crash-gold", (p) => crashingAt("top_products_monthly", () => run(p)));
    assert.deepEqual(await tablesOf(project), reference);
  });

  it("a run of only bronze and silver, then a full run, brings gold up to date", async () => {
    const project = await scenario("select-silver", async (p) => {
      await run(p, ["bronze", "silver"]);
    });
    assert.deepEqual(await tablesOf(project), reference);
  });

  it("an optimize of bronze.sales does not make its rows new again", async () => {
    const project = await scenario("optimize-bronze", async (p) => {
      await run(p, ["bronze"]);
      const metrics = await optimizeTable(ctx, tableStore(p, "bronze", "sales"));
      assert.ok(metrics.filesRemoved > 1, "the optimize compacted files");
    });
    assert.deepEqual(await tablesOf(project), reference);
  });

  it("a restore of silver.sales_enriched is followed by gold on the next run", async () => {
    const project = await scenario("restore-silver", async () => {});
    const silver = tableStore(project, "silver", "sales_enriched");
    await restore(silver, ctx.parquet, 1);
    const result = await run(project);
    assert.deepEqual(
      result.models.filter((m) => m.table.startsWith("gold.")).map((m) => [m.table, m.partitions ?? "all"]),
      [
        ["gold.monthly_sales_summary", 1],
        ["gold.top_products_monthly", 1],
        ["gold.regional_performance", 1],
        ["gold.customer_cohorts", "all"],
      ],
    );
    const totals = async (sql: string) =>
      (await ctx.session.connection.runAndReadAll(sql)).getRows().map((r) => r.map(String).join(" "));
    const { createTableView } = await import("../../src/engine/index.ts");
    const silverView = await createTableView(ctx, silver, "restored_silver");
    const goldView = await createTableView(
      ctx,
      tableStore(project, "gold", "monthly_sales_summary"),
      "gold_summary",
    );
    assert.deepEqual(
      await totals(`SELECT year, month, sum(revenue) FROM ${goldView} GROUP BY ALL ORDER BY ALL`),
      await totals(`SELECT year, month, sum(net_amount) FROM ${silverView} GROUP BY ALL ORDER BY ALL`),
    );
    assert.deepEqual(
      await totals(`SELECT count(*) FROM ${goldView} WHERE month = 4`),
      ["0"],
      "April's sales were restored away, and so is April in gold",
    );
  });

  it("rows deleted from bronze.sales rebuild sales_enriched from all of bronze, and the run says why", async () => {
    const project = await scenario("delete-bronze", async () => {});
    await deleteRows(ctx, tableStore(project, "bronze", "sales"), "transaction_id = 'T0000000010'");
    const lines: string[] = [];
    await runPipeline(ctx, project, { runId: "after-delete", startedAt: Date.now() }, (line) =>
      lines.push(line),
    );
    assert.ok(
      lines.some((l) =>
        /^silver\.sales_enriched: .*\(rebuilt in full: bronze\.sales lost rows since version \d+: DELETE \(version \d+\)\)$/.test(
          l,
        ),
      ),
      lines.join("\n"),
    );
    const tables = await tablesOf(project);
    assert.equal(tables["silver.sales_enriched"]?.filter((r) => r.includes("T0000000010")).length, 0);
    assert.equal(
      tables["silver.sales_enriched"]?.length,
      (reference["silver.sales_enriched"]?.length ?? 0) - 1,
    );
  });

  it("a NULL transaction id kept by a warn rule does not hide later sales as duplicates", async () => {
    const project = await newProject("null-id", { sales_enriched: { transaction_id_present: "warn" } });
    const nullId = join(dir, "sales_transactions_null.csv");
    await writeFile(
      nullId,
      [
        "transaction_id,order_date,customer_id,product_id,location_id,quantity,unit_price,discount_pct,payment_method,channel",
        ",2023-01-20,C0000001,P00001,L0001,1,10.00,0,card,store",
        ",2023-01-21,C0000001,P00001,L0001,1,10.00,0,card,store",
      ].join("\n"),
    );
    await land(project, [...BATCH_1, nullId]);
    const first = await run(project);
    assert.equal(
      model(first, "silver.sales_enriched")?.rows,
      4,
      "both sales without an id are kept: neither is a duplicate",
    );
    await land(project, BATCH_2);
    const second = await run(project);
    assert.deepEqual(
      [
        model(second, "silver.sales_enriched")?.inputRows,
        model(second, "silver.sales_enriched")?.rows,
        model(second, "silver.sales_enriched")?.duplicatesRemoved,
      ],
      [3, 2, 1],
    );
  });

  describe("a sale that arrives before its customer", () => {
    const early = {
      "sales_transactions_early.csv": [
        "transaction_id,order_date,customer_id,product_id,location_id,quantity,unit_price,discount_pct,payment_method,channel",
        "T0000000020,2023-01-20,C0000007,P00001,L0001,3,10.00,0,card,store",
      ],
      "customers_late.csv": [
        "customer_id,first_name,last_name,email,birth_date,signup_date,city,country",
        "C0000007,Katherine,Johnson,kj@x.org,1918-08-26,2023-01-01,Hampton,US",
      ],
    };
    const files = async () => {
      const paths: Record<string, string> = {};
      for (const [file, lines] of Object.entries(early)) {
        paths[file] = join(dir, file);
        await writeFile(paths[file], `${lines.join("\n")}\n`);
      }
      return paths;
    };
    const salesRows = async (project: ProjectConfig) => {
      const tables = await tablesOf(project);
      const ids = (name: string) =>
        (tables[`silver.${name}`] ?? []).filter((r) => r.includes("T0000000020")).length;
      return { enriched: ids("sales_enriched"), quarantine: ids("sales_enriched_quarantine") };
    };

    it("is quarantined, then moves into sales_enriched when the customer arrives", async () => {
      const paths = await files();
      const project = await newProject("late-customer");
      await land(project, [...BATCH_1, paths["sales_transactions_early.csv"] as string]);
      await run(project);
      assert.deepEqual(await salesRows(project), { enriched: 0, quarantine: 1 });
      await land(project, [paths["customers_late.csv"] as string]);
      const result = await run(project);
      const sales = model(result, "silver.sales_enriched");
      assert.deepEqual([sales?.inputRows, sales?.rows, sales?.retried], [0, 1, 1]);
      assert.deepEqual(await salesRows(project), { enriched: 1, quarantine: 0 });
      const again = await run(project);
      assert.equal(model(again, "silver.sales_enriched")?.rebuilt, false, "nothing left to retry");
    });

    it("moves exactly once when the run is killed between the model's commit and the quarantine's", async () => {
      const paths = await files();
      const project = await newProject("late-customer-crash");
      await land(project, [...BATCH_1, paths["sales_transactions_early.csv"] as string]);
      await run(project);
      await land(project, [paths["customers_late.csv"] as string]);
      await crashingAt("sales_enriched_quarantine", () => run(project));
      assert.deepEqual(await salesRows(project), { enriched: 1, quarantine: 1 }, "the crash left it in both");
      await run(project);
      assert.deepEqual(await salesRows(project), { enriched: 1, quarantine: 0 });
    });
  });
});
