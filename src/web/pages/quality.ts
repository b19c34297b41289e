/** The data-quality page: expectations with their action and counts per run, quarantine samples, rejected files. */
import type { ChartResult, QualityReport } from "../../lake/index.ts";
import { chart, dataTable, html, page, timeAgo } from "../html.ts";

/** The data-quality page's HTML. */
export function qualityPage(project: string, q: QualityReport, failures: ChartResult | undefined): string {
  const runHeads = q.runs.map(
    (r) =>
      html`<th class="num" title="${r.runId}">${timeAgo(r.startedAt)}${r.status === "succeeded" ? "" : html` <span class="badge failed">${r.status}</span>`}</th>`,
  );
  const counts = (values: ReadonlyArray<number | null>) =>
    values.map((n) => html`<td class="num${n !== null && n > 0 ? " hot" : ""}">${n ?? "–"}</td>`);
  const body = html`
<p class="lead">Counts are rows per run, newest run first; – means the run did not build that table.</p>
<section><h2>Expectations</h2>
${q.runs.length === 0 ? html`<p class="muted">No run yet.</p>` : ""}
${failures ? chart("failures", failures) : ""}
<div class="scroll"><table class="data" id="expectations"><thead><tr><th>table</th><th>rule</th><th>action</th><th>meaning</th>${runHeads}</tr></thead>
<tbody>${q.expectations.map(
    (e) =>
      html`<tr><td><a href="/tables/${e.table}">${e.table}</a></td><td><code>${e.rule}</code></td><td><span class="badge ${e.action}">${e.action}</span></td><td class="wrap">${e.description}</td>${counts(e.failed)}</tr>`,
  )}</tbody></table></div></section>
<section><h2>Rejected lines (bronze)</h2>
<div class="scroll"><table class="data"><thead><tr><th>source</th>${runHeads}</tr></thead>
<tbody>${q.rejectedLines.map((s) => html`<tr><td><a href="/tables/bronze.${s.source}_rejects">bronze.${s.source}_rejects</a></td>${counts(s.rejected)}</tr>`)}</tbody></table></div></section>
<section><h2>Quarantined rows</h2>
${q.quarantine.map(
  (
    s,
  ) => html`<h3><a href="/tables/${s.table}">${s.table}</a> <span class="muted">(${s.rows.length === 0 ? "empty" : `first ${s.rows.length} rows`})</span></h3>
${
  s.rows.length === 0
    ? ""
    : dataTable(
        failedRulesFirst(s.columns),
        s.rows.map((r) => failedRulesFirst(r, s.columns.indexOf("failed_rules"))),
      )
}`,
)}</section>
<section><h2>Rejected landing files</h2>
${
  q.rejectedFiles.length === 0
    ? html`<p class="muted">None: every landing file was readable.</p>`
    : dataTable(
        ["file", "state", "reason", "size"],
        q.rejectedFiles.map((f) => [f.file, f.state, f.last?.reason ?? null, f.size]),
      )
}</section>`;
  return page({ title: "Data quality", project, active: "/quality", body, charts: failures !== undefined });
}

/** The values with the failed rules moved to the front, where they are seen first. */
function failedRulesFirst<T>(values: readonly T[], index = values.indexOf("failed_rules" as T)): T[] {
  if (index < 0) return [...values];
  return [values[index] as T, ...values.filter((_, i) => i !== index)];
}
