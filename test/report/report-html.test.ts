import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatFigure, REPORT_SECTIONS, type ReportContent, reportHtml } from "../../src/report/index.ts";

const CONTENT: ReportContent = {
  project: "shop <b>&</b>",
  generatedAt: Date.UTC(2024, 4, 1, 12, 0, 0),
  figures: [{ title: "Revenue", value: "1234567.891", format: "currency" }],
  charts: [
    {
      title: "Revenue",
      svg: '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" class="marks"><defs><linearGradient id="gradient_0"/></defs><rect fill="url(#gradient_0)"/></svg>',
      rows: 3,
    },
    { title: "Cohorts", problem: "No Delta table at gold.customer_cohorts" },
  ],
  tables: [
    {
      zone: "gold",
      table: "sales",
      version: 3,
      rows: 1200,
      files: 2,
      lastCommit: "2024-05-01T11:00:00.000Z",
    },
  ],
  lastRun: {
    runId: "run-7",
    status: "failed",
    error: "gold.sales: <boom>",
    startedAt: Date.UTC(2024, 4, 1, 11, 0, 0),
    endedAt: Date.UTC(2024, 4, 1, 11, 0, 42),
    steps: [{ step: "bronze.sales", rows: 1000, setAside: 3, detail: "1 new file loaded" }],
  },
  runs: 7,
  rules: [{ table: "silver.sales", rule: "qty", action: "quarantine", lastRun: 3, allRuns: 1234 }],
  rejectedFiles: [{ file: "sales/x.csv", reason: "not UTF-8", at: Date.UTC(2024, 4, 1) }],
  lineage: {
    nodes: [
      { id: "landing.sales", zone: "landing" },
      { id: "bronze.sales", zone: "bronze" },
      { id: "gold.sales", zone: "gold" },
    ],
    edges: [
      { from: "landing.sales", to: "bronze.sales" },
      { from: "bronze.sales", to: "gold.sales" },
    ],
  },
};

describe("the HTML report", () => {
  const html = reportHtml(CONTENT);

  it("has every section, in order", () => {
    const ids = [...html.matchAll(/<section id="([^"]+)">/g)].map((m) => m[1]);
    assert.deepEqual(ids, [...REPORT_SECTIONS]);
  });

  it("refers to nothing outside the file, and its chart ids are its own", () => {
    assert.doesNotMatch(html, /https?:|(?:src|href)\s*=|<script|<link|url\((?!#)/i);
    assert.match(
      html,
      /<linearGradient id="chart0-gradient_0"\/><\/defs><rect fill="url\(#chart0-gradient_0\)"/,
    );
  });

  it("escapes every text it is given", () => {
    assert.match(html, /<h1>shop &lt;b&gt;&amp;&lt;\/b&gt;<\/h1>/);
    assert.match(html, /<p class="problem">gold\.sales: &lt;boom&gt;<\/p>/);
    assert.doesNotMatch(html, /<boom>|<b>&/);
  });

  it("shows the run, the rules, the rejected files, the tables, a chart's problem", () => {
    assert.match(
      html,
      /Run <code>run-7<\/code> <span class="status failed">failed<\/span>, started 2024-05-01 11:00:00 UTC, took 42\.0 s \(7 runs recorded\)/,
    );
    assert.match(html, /<td>bronze\.sales<\/td><td class="n">1,000<\/td><td class="n">3<\/td>/);
    assert.match(html, /<td>qty<\/td><td>quarantine<\/td><td class="n">3<\/td><td class="n">1,234<\/td>/);
    assert.match(html, /<td>sales\/x\.csv<\/td><td>not UTF-8<\/td>/);
    assert.match(html, /<td>gold\.sales<\/td><td class="n">3<\/td><td class="n">1,200<\/td>/);
    assert.match(html, /<h3>Cohorts<\/h3><p class="problem">No Delta table at gold\.customer_cohorts<\/p>/);
    assert.match(html, /drawn from 3 rows/);
  });

  it("draws the lineage with a box per table and a curve per edge", () => {
    assert.deepEqual(
      [...html.matchAll(/<g class="node" data-id="([^"]+)"/g)].map((m) => m[1]),
      ["landing.sales", "bronze.sales", "gold.sales"],
    );
    assert.equal((html.match(/<path d="[^"]+" class="edge">/g) ?? []).length, 2);
  });

  it("formats figures as money, whole numbers and percentages", () => {
    assert.equal(formatFigure({ title: "r", value: "1234567.891", format: "currency" }), "$1,234,568");
    assert.equal(formatFigure({ title: "r", value: 12.5, format: "currency" }), "$12.50");
    assert.equal(formatFigure({ title: "n", value: "1234567", format: "integer" }), "1,234,567");
    assert.equal(formatFigure({ title: "p", value: 0.3355, format: "percent" }), "33.6%");
    assert.equal(formatFigure({ title: "t", value: "North" }), "North");
    assert.equal(formatFigure({ title: "none", value: null, format: "integer" }), "–");
  });
});
