/** The SQL console page: the query box; the browser script posts to /api/sql and shows the result. */
import type { TableSummary } from "../../lake/index.ts";
import { html, page } from "../html.ts";

/** The SQL page's HTML; `tables` are offered as names to query. */
export function sqlPage(
  project: string,
  tables: readonly TableSummary[],
  limits: { rows: number; seconds: number },
): string {
  const first = tables.find((t) => t.exists && t.zone === "gold") ?? tables.find((t) => t.exists);
  const body = html`
<p class="lead">Read-only SQL (DuckDB) over <code>zone.table</code> names; time travel with <code>zone.table@v3</code> or
<code>zone.table@2024-05-01T12:00:00Z</code>. At most ${limits.rows.toLocaleString("en-US")} rows, ${limits.seconds} s.</p>
<form id="sql-form" class="sql">
<textarea id="sql-text" name="sql" rows="6" spellcheck="false">${first ? `SELECT * FROM ${first.name} LIMIT 100` : "SELECT 42 AS answer"}</textarea>
<div class="row"><button type="submit" id="sql-run">Run</button> <span class="muted">Ctrl+Enter</span>
<span id="sql-status" class="status" role="status"></span></div>
</form>
<details class="tables"><summary>Tables</summary><p>${tables.filter((t) => t.exists).map((t) => html`<code class="table-name">${t.name}</code> `)}</p></details>
<section id="sql-result" hidden>
<div class="row picker">
  <label>View <select id="sql-view"><option value="table">table</option><option value="chart">chart</option></select></label>
  <label>x <select id="sql-x"></select></label>
  <label>y <select id="sql-y"></select></label>
  <label>colour <select id="sql-color"></select></label>
  <label>mark <select id="sql-mark"><option>bar</option><option>line</option><option>point</option></select></label>
</div>
<div id="sql-chart" class="chart" hidden></div>
<div id="sql-table"></div>
</section>`;
  return page({ title: "SQL", project, active: "/sql", body, charts: true });
}
