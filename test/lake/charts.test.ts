import assert from "node:assert/strict";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  type ChartResult,
  chartSpec,
  LakeUsageError,
  listCharts,
  ProjectConfigError,
  queryProject,
  renderChart,
  sqlChartSpec,
} from "../../src/lake/index.ts";
import { svgMarks, svgTexts } from "../helpers/chart-output.ts";
import { miniRetailLake } from "../helpers/retail-lake.ts";

// The mini lake's sales that reach silver (test/helpers/retail-lake.ts): January North Tools 20.00
// (C1) and West Electronics 22.95 (C3); March North Electronics 40.80 (C4) and 25.50 (C1, back
// two months after first buying), West Tools 47.50 (C2).
const values = (chart: ChartResult) =>
  (chart.spec as { data: { values: Array<Record<string, unknown>> } }).data.values;

describe("the project's charts over the mini retail lake", () => {
  let dir: string;
  let project: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lake-charts-"));
    project = await miniRetailLake(dir);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("lists the template's charts, then the built-in ones, with the filters each takes", async () => {
    const charts = await listCharts(project);
    assert.deepEqual(
      charts.map((c) => [c.name, c.source, c.filters.map((f) => f.name).join(",")]),
      [
        ["monthly_revenue_by_region", "project", "region,category,from,to"],
        ["revenue_margin_by_category", "project", "region,from,to"],
        ["top_products", "project", "category,from,to"],
        ["regional_performance", "project", "region,from,to"],
        ["cohort_retention", "project", "from,to"],
        ["data_quality", "builtin", ""],
        ["run_times", "builtin", ""],
      ],
    );
    assert.equal(charts[0]?.title, "Monthly revenue by region");
  });

  it("monthly revenue by region has a point per month and region of the mart, with month and currency labels", async () => {
    const chart = await chartSpec(project, "monthly_revenue_by_region");
    const mart = await queryProject(
      project,
      "SELECT DISTINCT year, month, region FROM gold.monthly_sales_summary",
    );
    assert.equal(chart.rows, mart.rows.length);
    assert.equal(chart.rows, 4);
    const svg = await renderChart(chart.spec, "svg");
    const points = svgMarks(svg).symbol ?? [];
    assert.equal(points.length, 4);
    assert.ok(points.includes("Month: Mar 2023; Revenue: $47.5; Region: West"), points.join("\n"));
    const texts = svgTexts(svg);
    for (const text of ["Monthly revenue by region", "Month", "Revenue", "Region", "North", "West"])
      assert.ok(texts.includes(text), `${text} in ${texts.join(" | ")}`);
  });

  it("each template chart draws one mark per row of its query", async () => {
    const expected: Record<string, [mark: string, count: number]> = {
      revenue_margin_by_category: ["rect", 4],
      top_products: ["rect", 2],
      regional_performance: ["rect", 2],
      cohort_retention: ["rect", 1],
      run_times: ["rect", 2],
    };
    for (const [name, [mark, count]] of Object.entries(expected)) {
      const chart = await chartSpec(project, name);
      assert.equal(chart.rows, count, name);
      assert.equal((svgMarks(await renderChart(chart.spec, "svg"))[mark] ?? []).length, count, name);
    }
  });

  it("the cohort heatmap shows each cohort's share of returning customers as a percentage", async () => {
    const cells = svgMarks(
      await renderChart((await chartSpec(project, "cohort_retention")).spec, "svg"),
    ).rect;
    // January's cohort is C1 and C3, and C1 buys again in March; March's cohort (C2, C4) has no later month.
    assert.deepEqual(cells, [
      "Months since first purchase: 2; Cohort (first purchase): 2023-01; Retention: 50%",
    ]);
  });

  it("data quality shows the rows each rule caught in each run, from the run log", async () => {
    const rows = values(await chartSpec(project, "data_quality"));
    // The second run found nothing new, so it caught nothing: only the first run has bars.
    assert.equal(new Set(rows.map((r) => r.run)).size, 1);
    assert.deepEqual(
      rows.map((r) => `${r.rule}=${r.rows}`),
      [
        "dim_customer.customer_id_present=1",
        "sales_enriched.order_date_valid=1",
        "sales_enriched.quantity_positive=1",
        "sales_enriched.unit_price_valid=1",
        "sales_enriched.customer_exists=1",
        "sales_enriched.transaction_id_unique=2",
      ],
    );
  });

  it("filters restrict the charts that declare them and are ignored by the others", async () => {
    const north = await chartSpec(project, "monthly_revenue_by_region", { filters: { region: "North" } });
    assert.deepEqual(
      values(north).map((v) => [new Date(v.month as number).toISOString().slice(0, 7), v.revenue]),
      [
        ["2023-01", 20],
        ["2023-03", 66.3],
      ],
    );
    assert.deepEqual(north.filters, { region: "North" });
    const march = await chartSpec(project, "monthly_revenue_by_region", { filters: { from: "2023-02" } });
    assert.equal(march.rows, 2);
    const january = await chartSpec(project, "top_products", { filters: { to: "2023-01", category: "" } });
    assert.deepEqual(january.filters, { to: "2023-01" });
    assert.deepEqual(
      values(january).map((v) => [v.product, v.revenue]),
      [
        ["P00002 (Zed)", 22.95],
        ["P00001 (Acme)", 20],
      ],
    );
    const ignored = await chartSpec(project, "revenue_margin_by_category", {
      filters: { category: "Tools" },
    });
    assert.equal(ignored.rows, 4);
    assert.deepEqual(ignored.filters, {});
  });

  it("a filter value with a quote is compared as text, never run as SQL", async () => {
    const chart = await chartSpec(project, "monthly_revenue_by_region", {
      filters: { region: "x' OR TRUE --" },
    });
    assert.equal(chart.rows, 0);
  });

  it("a date filter that is no date is refused with the form it takes", async () => {
    await assert.rejects(chartSpec(project, "monthly_revenue_by_region", { filters: { to: "2023-02-30" } }), {
      name: "LakeUsageError",
      message:
        'chart monthly_revenue_by_region: filter to takes a date like 2024-05 or 2024-05-31, got "2023-02-30"',
    });
  });

  it("an unknown chart name gets the nearest one", async () => {
    await assert.rejects(chartSpec(project, "top_product"), {
      name: "LakeUsageError",
      message: "no chart is called top_product; did you mean top_products? (lake chart --list shows them)",
    });
  });

  it("a chart of any query draws its rows; a column it does not return is named with those it does", async () => {
    const sql =
      "SELECT region, sum(revenue) AS revenue FROM gold.regional_performance GROUP BY region ORDER BY region";
    const chart = await sqlChartSpec(project, sql, { x: "region", y: "revenue", mark: "bar" });
    assert.equal((svgMarks(await renderChart(chart.spec, "svg")).rect ?? []).length, 2);
    await assert.rejects(
      sqlChartSpec(project, sql, { x: "region", y: "sales" }),
      (error: unknown) =>
        error instanceof LakeUsageError &&
        error.message ===
          'sales by region: y is the column "sales", which the query does not return; its columns are region, revenue',
    );
  });

  it("a chart whose SQL file is missing, or lacks {{filters}} for its filters, names the setting", async () => {
    const config = JSON.parse(await readFile(join(project, "lake.json"), "utf8"));
    const edited = join(dir, "edited");
    await cp(project, edited, { recursive: true });
    config.charts.regional_performance.sqlFile = "charts/missing.sql";
    config.charts.cohort_retention.query = "SELECT 1 AS cohort, 1 AS months_since_first, 1 AS retention";
    await writeFile(join(edited, "lake.json"), JSON.stringify(config));
    await assert.rejects(chartSpec(edited, "regional_performance"), (error: unknown) => {
      assert.ok(error instanceof ProjectConfigError);
      assert.match(
        error.message,
        /charts\.regional_performance\.sqlFile.*cannot read .*missing\.sql \(ENOENT\)/,
      );
      return true;
    });
    await assert.rejects(chartSpec(edited, "cohort_retention"), (error: unknown) => {
      assert.ok(error instanceof ProjectConfigError);
      assert.match(error.message, /charts\.cohort_retention\.filters.*has no \{\{filters\}\}/);
      return true;
    });
  });
});
