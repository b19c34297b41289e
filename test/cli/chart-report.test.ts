import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { darkPixels, pngSize, svgMarks, svgTexts } from "../helpers/chart-output.ts";
import { lake, makeTempDir, removeDir } from "../helpers/cli.ts";
import { miniRetailLake } from "../helpers/retail-lake.ts";
import { retailProject } from "../helpers/retail-project.ts";

// lake chart and lake report over the mini retail lake (test/helpers/retail-lake.ts): five sales in
// January and March 2023, in the North and West regions, 156.75 in all.
describe("lake chart and lake report", () => {
  let dir: string;
  let project: string;
  before(async () => {
    dir = await makeTempDir();
    project = await miniRetailLake(dir);
  });
  after(() => removeDir(dir));

  it("lake chart NAME prints the chart's SVG, a point per month and region", async () => {
    const result = await lake("chart", "monthly_revenue_by_region", "--project", project);
    assert.equal(result.stderr, "");
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^<svg [^>]*width="\d+" height="\d+"/);
    assert.equal((svgMarks(result.stdout).symbol ?? []).length, 4);
    assert.ok(svgTexts(result.stdout).includes("Monthly revenue by region"));
  });

  it("--out FILE.png writes a PNG with text in it, --out FILE.svg an SVG", async () => {
    const png = join(dir, "revenue.png");
    const result = await lake("chart", "regional_performance", "--out", png, "--project", project);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, `Wrote ${png}: Regional performance, drawn from 2 rows\n`);
    const bytes = new Uint8Array(await readFile(png));
    const { width, height } = pngSize(bytes);
    assert.ok(width > 1000 && height > 600, `${width}×${height}`);
    assert.ok(darkPixels(bytes, 0, 60) > 500, "the title is drawn");
    const svg = join(dir, "revenue.svg");
    assert.equal((await lake("chart", "regional_performance", "--out", svg, "--project", project)).code, 0);
    assert.equal((svgMarks(await readFile(svg, "utf8")).rect ?? []).length, 2);
  });

  it("--filter restricts a chart by the filters it declares", async () => {
    const result = await lake(
      "chart",
      "monthly_revenue_by_region",
      "--filter",
      "region=North",
      "--filter",
      "to=2023-01",
      "--project",
      project,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(svgMarks(result.stdout).symbol, ["Month: Jan 2023; Revenue: $20; Region: North"]);
  });

  it("lake chart --sql draws any query's result", async () => {
    const result = await lake(
      "chart",
      "--sql",
      "SELECT category, sum(revenue) AS revenue FROM gold.monthly_sales_summary GROUP BY ALL ORDER BY ALL",
      "--x",
      "category",
      "--y",
      "revenue",
      "--mark",
      "bar",
      "--project",
      project,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.equal((svgMarks(result.stdout).rect ?? []).length, 2);
    assert.ok(svgTexts(result.stdout).includes("revenue by category"));
  });

  it("lake chart --list names every chart with its filters", async () => {
    const result = await lake("chart", "--list", "--project", project);
    assert.equal(result.code, 0);
    const lines = result.stdout.split("\n");
    assert.match(lines[0] ?? "", /^chart\s+title\s+filters$/);
    assert.ok(lines.some((l) => /^cohort_retention\s+Customer cohort retention\s+from, to$/.test(l)));
    assert.ok(lines.some((l) => /^run_times\s+Run times\s*$/.test(l)));
    const json = JSON.parse((await lake("chart", "--list", "--json", "--project", project)).stdout);
    assert.equal(json.length, 7);
  });

  const mistakes: Array<[string, string[], string]> = [
    [
      "an unknown chart",
      ["chart", "monthly_revenue"],
      "lake: no chart is called monthly_revenue; did you mean monthly_revenue_by_region? (lake chart --list shows them)\n",
    ],
    [
      "a filter the chart does not declare",
      ["chart", "cohort_retention", "--filter", "region=North"],
      "lake: chart cohort_retention has no filter region; its filters are from, to\n",
    ],
    [
      "a filter without a value",
      ["chart", "cohort_retention", "--filter", "from"],
      'lake: --filter takes NAME=VALUE, got "from"\n',
    ],
    [
      "a date filter that is no date",
      ["chart", "cohort_retention", "--filter", "from=May"],
      'lake: chart cohort_retention: filter from takes a date like 2024-05 or 2024-05-31, got "May"\n',
    ],
    [
      "an --out that is no SVG or PNG",
      ["chart", "run_times", "--out", "x.jpg"],
      'lake: --out must name a .svg or .png file, got "x.jpg"\n',
    ],
    [
      "--sql with a column the result does not have",
      [
        "chart",
        "--sql",
        "SELECT region, sum(revenue) AS revenue FROM gold.regional_performance GROUP BY ALL",
        "--x",
        "region",
        "--y",
        "sales",
      ],
      'lake: sales by region: y is the column "sales", which the query does not return; its columns are region, revenue\n',
    ],
    [
      "--sql over a table the project does not have",
      ["chart", "--sql", "SELECT * FROM gold.sales", "--x", "a", "--y", "b"],
      "",
    ],
    [
      "a mark lake cannot draw",
      ["chart", "--sql", "SELECT 1 AS a", "--x", "a", "--y", "a", "--mark", "pie"],
      'lake: --mark must be one of line, bar, point, area, rect, got "pie"\n',
    ],
  ];
  for (const [name, argv, stderr] of mistakes) {
    it(`${name} is a usage error (exit 2) with a message`, async () => {
      const result = await lake(...argv, "--project", project);
      assert.equal(result.code, 2, result.stderr);
      assert.equal(result.stdout, "");
      if (stderr) assert.equal(result.stderr, stderr);
      else assert.match(result.stderr, /^lake: .*gold\.sales/);
    });
  }

  it("--sql without --y, and a name with --sql, say what is missing", async () => {
    const missing = await lake("chart", "--sql", "SELECT 1 AS a", "--x", "a", "--project", project);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^lake: --sql needs --y COLUMN\./);
    const both = await lake("chart", "run_times", "--sql", "SELECT 1", "--project", project);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /^lake: Give a chart's name or --sql, not both/);
  });

  it("lake report writes one HTML file with every section and no external reference", async () => {
    const out = join(dir, "report-out");
    const result = await lake("report", "--out", out, "--project", project);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, "");
    assert.match(
      result.stdout,
      new RegExp(`^Wrote ${join(out, "report.html")} \\(7 charts, \\d+ KiB\\)\\n$`),
    );
    const html = await readFile(join(out, "report.html"), "utf8");
    assert.doesNotMatch(html, /https?:\/\//i);
    assert.doesNotMatch(html, /(?:src|href)\s*=\s*["']?\/\//i);
    assert.doesNotMatch(html, /<script|<link|<img|<iframe|@import|url\((?!#)/i);
    for (const id of ["figures", "charts", "last-run", "data-quality", "tables", "lineage"])
      assert.match(html, new RegExp(`<section id="${id}">`), id);
    assert.equal((html.match(/<svg [^>]*class="marks"/g) ?? []).length, 7, "every chart inline");
    assert.match(html, /<div class="value">\$156\.75<\/div><div class="label">Revenue<\/div>/);
    assert.match(html, /<div class="value">5<\/div><div class="label">Orders<\/div>/);
    // The rule table: sales_enriched.quantity_positive quarantined one row in the first run, none in the second.
    assert.match(
      html,
      /<td>silver\.sales_enriched<\/td><td>quantity_positive<\/td><td>quarantine<\/td><td class="n">0<\/td><td class="n">1<\/td>/,
    );
    const tables = [...html.matchAll(/<tr><td>((?:bronze|silver|gold)\.\w+)<\/td>/g)].map((m) => m[1]);
    const nodes = [...html.matchAll(/<g class="node" data-id="([^"]+)"/g)].map((m) => m[1]);
    for (const table of new Set(tables.filter((t) => /^(bronze|silver|gold)\.[a-z_]+$/.test(t ?? ""))))
      assert.ok(nodes.includes(table), `lineage has ${table}`);
  });

  it("lake report --out naming a file, and lake chart --out in a missing folder, are usage errors", async () => {
    const file = join(dir, "notes.txt");
    await writeFile(file, "a file, not a folder");
    const report = await lake("report", "--out", file, "--project", project);
    assert.equal(report.code, 2);
    assert.equal(report.stderr, `lake: ${file} is a file: give the folder to write report.html into\n`);
    const missing = join(dir, "no-such-folder", "x.svg");
    const chart = await lake("chart", "run_times", "--out", missing, "--project", project);
    assert.equal(chart.code, 2);
    assert.equal(chart.stderr, `lake: ${missing}: no such file or folder\n`);
  });

  it("lake report on a project with no run yet writes the report and says which charts wait", async () => {
    const { root } = await retailProject(dir, "empty");
    const result = await lake("report", "--project", root);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Wrote .*report\.html \(2 charts, /);
    assert.match(result.stderr, /^lake: chart not drawn: Monthly revenue by region: /);
    const html = await readFile(join(root, "report", "report.html"), "utf8");
    assert.match(html, /No run is recorded yet/);
  });
});
