import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseProject } from "../../src/pipeline/index.ts";

// The loader's own messages for charts and figures: the setting named, and what it takes.
const chart = (extra: Record<string, unknown>) => ({
  charts: {
    revenue: { title: "Revenue", mark: "line", x: { field: "month" }, y: { field: "revenue" }, ...extra },
  },
});

describe("charts and figures in lake.json", () => {
  const cases: Array<[string, unknown, string]> = [
    [
      "a mark lake cannot draw",
      chart({ mark: "pie" }),
      "charts.revenue.mark: must be one of line, bar, point, area, rect",
    ],
    [
      "a channel without its column",
      chart({ y: { title: "Revenue" } }),
      "charts.revenue.y.field: names the result column the channel shows",
    ],
    [
      "an unknown field type",
      chart({ x: { field: "month", type: "date" } }),
      "charts.revenue.x.type: must be one of quantitative, temporal, ordinal, nominal",
    ],
    [
      "both query and sqlFile",
      chart({ query: "SELECT 1", sqlFile: "c.sql" }),
      'charts.revenue: has both "query" and "sqlFile": keep one',
    ],
    ["stack given as text", chart({ stack: "no" }), "charts.revenue.stack: must be true or false"],
    [
      "a filter without its column",
      chart({ filters: { region: {} } }),
      "charts.revenue.filters.region.column: must be the SQL expression the filter restricts",
    ],
    [
      "a filter matching by a range",
      chart({ filters: { d: { column: "d", match: "between" } } }),
      "charts.revenue.filters.d.match: must be one of equals, from, to",
    ],
    [
      "a chart name with capitals",
      { charts: { Revenue: {} } },
      "charts.Revenue: a chart name is lower-case letters, digits and _",
    ],
    [
      "a figure without SQL",
      { figures: { revenue: { title: "Revenue", query: " " } } },
      "figures.revenue.query: must be SQL text",
    ],
    [
      "a figure formatted as a month",
      { figures: { revenue: { title: "R", query: "SELECT 1", format: "month" } } },
      "figures.revenue.format: must be one of currency, integer, number, percent",
    ],
  ];
  for (const [name, config, message] of cases) {
    it(`${name} is refused, naming the setting`, () => {
      assert.throws(() => parseProject(config, "/p/lake.json"), {
        name: "ProjectConfigError",
        message: `/p/lake.json: ${message}`,
      });
    });
  }

  it("a chart's SQL defaults to charts/<name>.sql and its filters to equality", () => {
    const [revenue] = parseProject(
      chart({ filters: { region: { column: "region" } } }),
      "/p/lake.json",
    ).charts;
    assert.equal(revenue?.sqlFile, "charts/revenue.sql");
    assert.deepEqual(revenue?.filters, [{ name: "region", column: "region", match: "equals" }]);
  });
});
