import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { queryProject } from "../../src/lake/index.ts";
import { type RunningDashboard, startDashboard } from "../../src/web/index.ts";
import { chromiumMissing, launchChromium } from "../helpers/chromium.ts";
import { buildServedLake } from "../helpers/served-lake.ts";

// The dashboard end to end: a lake built by the pipeline, served, driven by a real Chromium.
const ARTIFACTS = join(process.cwd(), "test-artifacts", "dashboard");
const skip = chromiumMissing();
/** True in the page once every chart it has is drawn (an expression: the test code has no DOM types). */
const ALL_CHARTS_DRAWN = `[...document.querySelectorAll(".chart[data-spec]")].every((c) => c.hasAttribute("data-rendered"))`;
/** The retail template's sources and tables, in pipeline order. */
const SOURCES = ["sales", "customers", "products", "locations"];
const TABLES = [
  ...SOURCES.flatMap((s) => [`bronze.${s}`, `bronze.${s}_rejects`]),
  ...["dim_customer", "dim_product", "dim_location"].flatMap((d) => [
    `silver.${d}`,
    `silver.${d}_keys`,
    `silver.${d}_quarantine`,
  ]),
  "silver.sales_enriched",
  "silver.sales_enriched_quarantine",
  "gold.monthly_sales_summary",
  "gold.top_products_monthly",
  "gold.regional_performance",
  "gold.customer_cohorts",
];

describe("lake serve in Chromium", { skip }, () => {
  let dir: string;
  let projectDir: string;
  let server: RunningDashboard;
  let browser: Browser;
  let base: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lake-serve-"));
    projectDir = await buildServedLake(dir);
    server = await startDashboard({ projectDir, port: 0 });
    base = `http://127.0.0.1:${server.port}`;
    browser = await launchChromium();
    await mkdir(ARTIFACTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** A page that records console errors, failed requests and uncaught exceptions. */
  async function openPage(): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`uncaught: ${e.message}`));
    page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
    page.on("response", (r) => {
      if (r.status() >= 400) problems.push(`${r.status()} for ${r.url()}`);
    });
    return { page, problems };
  }

  const count = async (sql: string) => Number((await queryProject(projectDir, sql)).rows[0]?.n);

  it("every page opens with no console error, and a screenshot of each is written", async () => {
    const pages = {
      overview: "/",
      table: "/tables/silver.sales_enriched",
      marts: "/marts",
      quality: "/quality",
      lineage: "/lineage",
      sql: "/sql",
    };
    for (const [name, path] of Object.entries(pages)) {
      const { page, problems } = await openPage();
      await page.goto(base + path, { waitUntil: "networkidle" });
      await page.waitForFunction(ALL_CHARTS_DRAWN);
      assert.deepEqual(problems, [], `${path}`);
      assert.equal(await page.locator("h1").count(), 1, path);
      await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
      await page.close();
    }
  });

  it("the overview lists every table with its row count and draws a bar per recorded run", async () => {
    const { page } = await openPage();
    await page.goto(`${base}/`, { waitUntil: "networkidle" });
    const names = await page
      .locator("#tables tbody tr td:first-child")
      .evaluateAll((cells) => cells.map((c) => c.textContent?.trim()));
    assert.deepEqual(names, [...TABLES, "_system.runs", "_system.landing_files"]);
    const salesRow = page.locator("#tables tbody tr", { hasText: "silver.sales_enriched" }).first();
    const expected = await count("SELECT count(*) AS n FROM silver.sales_enriched");
    assert.match((await salesRow.textContent()) ?? "", new RegExp(expected.toLocaleString("en-US")));
    await page.waitForSelector(".chart[data-rendered]");
    assert.equal(await page.locator("#run-times[data-rendered] .mark-rect.role-mark path").count(), 2);
    await page.close();
  });

  it("each mart chart draws one mark per row of its data; the monthly one a point per month and region", async () => {
    const { page, problems } = await openPage();
    await page.goto(`${base}/marts`, { waitUntil: "networkidle" });
    await page.waitForFunction(ALL_CHARTS_DRAWN);
    const charts = await page.locator(".chart[data-rows]").all();
    assert.deepEqual(
      await Promise.all(charts.map((c) => c.getAttribute("id"))),
      [
        "monthly_revenue_by_region",
        "revenue_margin_by_category",
        "top_products",
        "regional_performance",
        "cohort_retention",
      ].map((name) => `chart-${name}`),
    );
    for (const chart of charts) {
      const marks = await chart.locator(".role-mark.mark-symbol path, .role-mark.mark-rect path").count();
      assert.equal(
        marks,
        Number(await chart.getAttribute("data-rows")),
        (await chart.getAttribute("id")) ?? "",
      );
    }
    const monthsByRegion = await count(
      "SELECT count(*) AS n FROM (SELECT DISTINCT year, month, region FROM gold.monthly_sales_summary)",
    );
    const monthly = page.locator("#chart-monthly_revenue_by_region .role-mark.mark-symbol path");
    assert.equal(await monthly.count(), monthsByRegion);
    assert.deepEqual(problems, []);

    await page.fill("input[name=region]", "West");
    await page.fill("input[name=from]", "2023-01");
    await page.fill("input[name=to]", "2023-06");
    await Promise.all([page.waitForURL(/region=West/), page.click("form.filters button")]);
    await page.waitForFunction(ALL_CHARTS_DRAWN);
    const westMonths = await count(
      "SELECT count(DISTINCT (year, month)) AS n FROM gold.monthly_sales_summary WHERE region = 'West' AND make_date(year, month, 1) BETWEEN DATE '2023-01-01' AND DATE '2023-06-01'",
    );
    assert.equal(westMonths, 6);
    assert.equal(await monthly.count(), westMonths);
    assert.equal(await page.locator("#chart-regional_performance .role-mark.mark-rect path").count(), 1);
    await page.screenshot({ path: join(ARTIFACTS, "marts-filtered.png"), fullPage: true });
    await page.close();
  });

  it("time travel shows an older version's row count, from the form and from the history", async () => {
    const v0 = await count("SELECT count(*) AS n FROM silver.sales_enriched@v0");
    const latest = await count("SELECT count(*) AS n FROM silver.sales_enriched");
    assert.notEqual(v0, latest);
    const { page, problems } = await openPage();
    await page.goto(`${base}/tables/silver.sales_enriched`, { waitUntil: "networkidle" });
    assert.equal(await page.locator("#row-count").textContent(), latest.toLocaleString("en-US"));
    await page.fill("input[name=version]", "0");
    await Promise.all([page.waitForURL(/version=0/), page.click("form.travel button")]);
    assert.equal(await page.locator("#shown-version").textContent(), "0");
    assert.equal(await page.locator("#row-count").textContent(), v0.toLocaleString("en-US"));
    await page.click("#history a >> text=1");
    await page.waitForURL(/version=1/);
    assert.equal(await page.locator("#row-count").textContent(), latest.toLocaleString("en-US"));
    assert.deepEqual(problems, []);
    await page.close();
  });

  it("the data-quality page shows each expectation's action and failed rows per run, and quarantined rows with their rules", async () => {
    const { page, problems } = await openPage();
    await page.goto(`${base}/quality`, { waitUntil: "networkidle" });
    const runs = (await queryProject(projectDir, "SELECT counts FROM _system.runs ORDER BY started_at DESC"))
      .rows;
    const counts = runs.map(
      (r) =>
        JSON.parse(String(r.counts)) as {
          models: Record<string, { expectations: Record<string, { action: string; failed: number }> }>;
        },
    );
    const rules = counts[0]?.models["silver.sales_enriched"]?.expectations ?? {};
    assert.ok(Object.keys(rules).length >= 10);
    for (const [rule, { action }] of Object.entries(rules)) {
      const cells = await page
        .locator("#expectations tbody tr", { has: page.locator(`code:text-is("${rule}")`) })
        .filter({ hasText: "silver.sales_enriched" })
        .locator("td")
        .allTextContents();
      const perRun = counts.map((c) =>
        String(c.models["silver.sales_enriched"]?.expectations[rule]?.failed ?? "–"),
      );
      assert.deepEqual(
        [cells[0], cells[1], cells[2], ...cells.slice(4)],
        ["silver.sales_enriched", rule, action, ...perRun],
      );
    }
    assert.ok(
      counts.some(
        (c) => (c.models["silver.sales_enriched"]?.expectations.quantity_positive?.failed ?? 0) > 0,
      ),
    );
    const sample = page.locator("h3", { hasText: "silver.sales_enriched_quarantine" });
    assert.equal(await sample.count(), 1);
    const headers = await page
      .locator("h3:has-text('silver.sales_enriched_quarantine') + div table th")
      .allTextContents();
    assert.equal(headers[0], "failed_rules");
    assert.ok(
      (await page.locator("h3:has-text('silver.sales_enriched_quarantine') + div table tbody tr").count()) >
        0,
    );
    await page.waitForSelector("#failures[data-rendered]");
    assert.deepEqual(problems, []);
    await page.close();
  });

  it("the lineage graph has a node for every table and every source, each table linking to its page", async () => {
    const { page } = await openPage();
    await page.goto(`${base}/lineage`, { waitUntil: "networkidle" });
    const ids = await page
      .locator("#lineage .node")
      .evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-id")));
    assert.deepEqual([...ids].sort(), [...SOURCES.map((s) => `landing.${s}`), ...TABLES].sort());
    for (const table of TABLES)
      assert.ok(
        (await page.locator(`#lineage path.edge[data-to="${table}"]`).count()) > 0,
        `an edge into ${table}`,
      );
    assert.equal(
      await page
        .locator(
          '#lineage path.edge[data-from="silver.sales_enriched"][data-to="gold.monthly_sales_summary"]',
        )
        .count(),
      1,
    );
    await Promise.all([
      page.waitForURL(/\/tables\/gold\.customer_cohorts$/),
      page.click('#lineage .node[data-id="gold.customer_cohorts"]'),
    ]);
    await page.close();
  });

  it("the SQL console shows a result as a table and draws it as a chart of the picked columns", async () => {
    const { page, problems } = await openPage();
    await page.goto(`${base}/sql`, { waitUntil: "networkidle" });
    await page.fill(
      "#sql-text",
      "SELECT region, sum(revenue) AS revenue FROM gold.monthly_sales_summary GROUP BY region ORDER BY region",
    );
    await page.click("#sql-run");
    await page.waitForSelector("#sql-table table");
    const regions = await count("SELECT count(DISTINCT region) AS n FROM gold.monthly_sales_summary");
    assert.equal(await page.locator("#sql-table tbody tr").count(), regions);
    await page.selectOption("#sql-view", "chart");
    await page.waitForSelector("#sql-chart[data-rendered]");
    assert.equal(await page.locator("#sql-chart .mark-rect path").count(), regions);
    await page.selectOption("#sql-mark", "point");
    await page.locator("#sql-chart .mark-symbol path").first().waitFor();
    assert.equal(await page.locator("#sql-chart .mark-symbol path").count(), regions);
    await page.screenshot({ path: join(ARTIFACTS, "sql-chart.png"), fullPage: true });
    assert.deepEqual(problems, []);
    await page.close();
  });

  it("the SQL console shows the refusal of a statement that writes", async () => {
    const { page } = await openPage();
    await page.goto(`${base}/sql`, { waitUntil: "networkidle" });
    await page.fill("#sql-text", "COPY (SELECT 1) TO 'x.csv'");
    await page.click("#sql-run");
    await page.waitForSelector("#sql-status.error");
    assert.match(
      (await page.locator("#sql-status").textContent()) ?? "",
      /^The console refused the SQL: .* this is COPY$/,
    );
    await page.close();
  });
});
