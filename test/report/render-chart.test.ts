import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  buildChartSpec,
  type ChartData,
  type ChartDesign,
  ChartFieldError,
  ChartFormatError,
  OKABE_ITO,
  renderChart,
  svgToPng,
} from "../../src/report/index.ts";
import { darkPixels, pngSize, svgMarks, svgTexts } from "../helpers/chart-output.ts";

// Rows as the query path gives them: decimals and big integers as text, dates as ISO text.
const MONTHLY: ChartData = {
  columns: ["month", "region", "revenue"],
  rows: [
    { month: "2024-01-01", region: "North", revenue: "1234567.50" },
    { month: "2024-02-01", region: "North", revenue: "2234567.50" },
    { month: "2024-03-01", region: "North", revenue: "1734567.00" },
    { month: "2024-01-01", region: "South", revenue: "34567.50" },
    { month: "2024-02-01", region: "South", revenue: "44567.50" },
  ],
};
const LINE: ChartDesign = {
  title: "Monthly revenue by region",
  description: "Net revenue per month",
  mark: "line",
  x: { field: "month", title: "Month", format: "month" },
  y: { field: "revenue", title: "Revenue", format: "currency" },
  color: { field: "region", title: "Region" },
};

describe("charts drawn without a browser", () => {
  it("a line chart's SVG has a point per row, the titles, month and currency labels, and a legend", async () => {
    const svg = await renderChart(buildChartSpec(LINE, MONTHLY), "svg");
    const texts = svgTexts(svg);
    for (const text of ["Monthly revenue by region", "Net revenue per month", "Month", "Revenue", "Region"])
      assert.ok(texts.includes(text), `${text} in ${texts.join(" | ")}`);
    assert.ok(texts.includes("Jan 2024") && texts.includes("Mar 2024"), texts.join(" | "));
    assert.ok(texts.includes("$2M"), texts.join(" | "));
    assert.ok(texts.includes("North") && texts.includes("South"), "legend entries");
    const points = svgMarks(svg).symbol ?? [];
    assert.equal(points.length, 5);
    assert.ok(points.includes("Month: Feb 2024; Revenue: $2.23M; Region: North"), points.join("\n"));
    assert.equal(svgMarks(svg).line?.length, 2, "one line per region");
  });

  it("numbers that arrive as text become numbers, and dates UTC instants", () => {
    const spec = buildChartSpec(LINE, MONTHLY) as { data: { values: Array<Record<string, unknown>> } };
    assert.deepEqual(spec.data.values[0], {
      month: Date.UTC(2024, 0, 1),
      region: "North",
      revenue: 1234567.5,
    });
  });

  it("a few categories get the Okabe-Ito colours, many and values get viridis", () => {
    const colour = (design: ChartDesign, data: ChartData) =>
      (buildChartSpec(design, data) as { encoding: { color: { scale: unknown } } }).encoding.color.scale;
    assert.deepEqual(colour(LINE, MONTHLY), { range: OKABE_ITO });
    const many: ChartData = {
      columns: ["k", "v"],
      rows: Array.from({ length: 12 }, (_, i) => ({ k: `k${i}`, v: i })),
    };
    const byKey: ChartDesign = {
      title: "t",
      mark: "bar",
      x: { field: "k" },
      y: { field: "v" },
      color: { field: "k" },
    };
    assert.deepEqual(colour(byKey, many), { scheme: "viridis" });
    assert.deepEqual(colour({ ...byKey, color: { field: "v" } }, many), { scheme: "viridis" });
  });

  it("bars with a colour and stack false stand side by side; a heatmap has a cell per row", async () => {
    const data: ChartData = {
      columns: ["category", "measure", "amount"],
      rows: [
        { category: "Tools", measure: "Revenue", amount: 10 },
        { category: "Tools", measure: "Margin", amount: 4 },
        { category: "Toys", measure: "Revenue", amount: 7 },
      ],
    };
    const bars: ChartDesign = {
      title: "Revenue and margin",
      mark: "bar",
      x: { field: "category" },
      y: { field: "amount" },
      color: { field: "measure" },
      stack: false,
    };
    const spec = buildChartSpec(bars, data) as { encoding: Record<string, unknown> };
    assert.deepEqual(spec.encoding.xOffset, { field: "measure" });
    assert.equal((svgMarks(await renderChart(spec as never, "svg")).rect ?? []).length, 3);
    const heatmap: ChartDesign = {
      title: "Retention",
      mark: "rect",
      x: { field: "category", type: "ordinal" },
      y: { field: "measure", type: "ordinal" },
      color: { field: "amount", format: "percent" },
    };
    const cells = svgMarks(await renderChart(buildChartSpec(heatmap, data), "svg")).rect ?? [];
    assert.equal(cells.length, 3);
    assert.ok(cells.includes("category: Tools; measure: Margin; amount: 400%"), cells.join("\n"));
  });

  it("a PNG is twice the SVG's size and has the text the SVG has, drawn with the shipped fonts", async () => {
    const svg = await renderChart(buildChartSpec(LINE, MONTHLY), "svg");
    const png = await renderChart(buildChartSpec(LINE, MONTHLY), "png");
    const [, width, height] = /width="(\d+)" height="(\d+)"/.exec(svg) ?? [];
    assert.deepEqual(pngSize(png), { width: 2 * Number(width), height: 2 * Number(height) });
    // The title is black text above the plot: with no font it would be white.
    const withoutText = await svgToPng(svg.replace(/<text\b[^>]*>[^<]*<\/text>/g, ""));
    assert.ok(darkPixels(png, 0, 60) > 500, `${darkPixels(png, 0, 60)} dark pixels in the title band`);
    assert.equal(darkPixels(withoutText, 0, 60), 0);
  });

  it("a channel naming a column the rows lack is refused with the columns there are", () => {
    assert.throws(
      () => buildChartSpec({ ...LINE, y: { field: "revenu" } }, MONTHLY),
      (error: unknown) =>
        error instanceof ChartFieldError &&
        error.message ===
          'Monthly revenue by region: y is the column "revenu", which the query does not return; its columns are month, region, revenue',
    );
  });

  it("a number format d3 cannot read is refused before drawing, naming it and the column", () => {
    assert.throws(
      () => buildChartSpec({ ...LINE, y: { field: "revenue", format: "dollars" } }, MONTHLY),
      (error: unknown) =>
        error instanceof ChartFormatError &&
        error.message ===
          'Monthly revenue by region: "dollars" (the format of revenue) is not a format: use currency, integer, number, percent, month, date, or a d3-format string like ",.2f"',
    );
  });

  it("a discrete axis with many categories gets room for each (a heatmap of 48 cohorts)", () => {
    const rows = Array.from({ length: 48 }, (_, i) => ({ cohort: `c${i}`, month: 1, share: 0.1 }));
    const spec = buildChartSpec(
      {
        title: "Retention",
        mark: "rect",
        x: { field: "month", type: "ordinal" },
        y: { field: "cohort", type: "ordinal" },
        color: { field: "share" },
      },
      { columns: ["cohort", "month", "share"], rows },
    ) as { width: number; height: number };
    assert.deepEqual([spec.width, spec.height], [640, 48 * 18]);
  });

  it("a chart with no rows still draws its titles", async () => {
    const svg = await renderChart(buildChartSpec(LINE, { columns: MONTHLY.columns, rows: [] }), "svg");
    assert.ok(svgTexts(svg).includes("Monthly revenue by region"));
    assert.equal((svgMarks(svg).symbol ?? []).length, 0);
  });
});
