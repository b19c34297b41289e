/** The Marts page: the charts lake.json declares, drawn in the browser, with region, category and date filters. */
import type { MartChart } from "../../lake/index.ts";
import { chart, html, page } from "../html.ts";

/** The filters the page offers, as the charts name them. */
export const MART_FILTERS = ["region", "category", "from", "to"] as const;

/** The Marts page's HTML; `filters` are the values the form sent. */
export function martsPage(
  project: string,
  charts: readonly MartChart[],
  filters: Readonly<Record<string, string>>,
): string {
  // Suggestions for the text filters: the values the drawn charts hold in a column of that name.
  const suggestions = (name: string) => {
    const values = new Set<string>();
    for (const c of charts) {
      if (!("result" in c)) continue;
      const rows =
        (c.result.spec as { data?: { values?: Array<Record<string, unknown>> } }).data?.values ?? [];
      for (const row of rows) if (typeof row[name] === "string") values.add(row[name] as string);
    }
    return [...values].sort();
  };
  const text = (name: "region" | "category") => html`<label>${name}
<input type="text" name="${name}" list="${name}-values" value="${filters[name] ?? ""}" placeholder="all" size="14">
<datalist id="${name}-values">${suggestions(name).map((v) => html`<option value="${v}"></option>`)}</datalist></label>`;
  const body = html`
<form class="filters" method="get" action="/marts">
  ${text("region")} ${text("category")}
  <label>from <input type="month" name="from" value="${filters.from ?? ""}"></label>
  <label>to <input type="month" name="to" value="${filters.to ?? ""}"></label>
  <button type="submit">Apply</button> <a href="/marts">clear</a>
</form>
${charts.length === 0 ? html`<p class="muted">lake.json declares no charts ("charts": { … }).</p>` : ""}
${charts.map(
  (c) => html`<section class="mart" data-chart="${c.name}" aria-label="${c.title}">
<p class="muted">${c.name} · filters: ${c.filters.length === 0 ? "none" : c.filters.map((f) => f.name).join(", ")}${
    "result" in c && Object.keys(c.result.filters).length > 0
      ? html` · applied: ${Object.entries(c.result.filters)
          .map(([k, v]) => `${k} = ${v}`)
          .join(", ")}`
      : ""
  }</p>
${"result" in c ? chart(`chart-${c.name}`, c.result) : html`<h2>${c.title}</h2><p class="error">${c.error}</p>`}</section>`,
)}`;
  return page({ title: "Marts", project, active: "/marts", body, charts: true });
}
