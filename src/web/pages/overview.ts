/** The overview page: zones and tables with rows, size and freshness; recent runs and their times. */
import type { LakeOverview, TableSummary } from "../../lake/index.ts";
import { chart, dataTable, formatBytes, formatCount, type Html, html, page, timeAgo } from "../html.ts";

const ZONES = ["bronze", "silver", "gold", "_system"] as const;

/** The overview page's HTML. */
export function overviewPage(o: LakeOverview): string {
  const body = html`
<p class="lead">Project <code>${o.projectRoot}</code>.
${o.running ? html`<span class="badge running">running: ${o.running.runId} since ${timeAgo(o.running.startedAt)}</span>` : html`<span class="badge idle">no run in progress</span>`}</p>
<section class="cards">${ZONES.map((zone) =>
    zoneCard(
      zone,
      o.tables.filter((t) => t.zone === zone),
    ),
  )}</section>
<section><h2>Tables</h2>
<div class="scroll"><table class="data" id="tables">
<thead><tr><th>table</th><th>role</th><th class="num">version</th><th class="num">rows</th><th class="num">files</th><th class="num">size</th><th>last commit</th></tr></thead>
<tbody>${o.tables.map(
    (
      t,
    ) => html`<tr class="zone-${t.zone}"><td>${t.exists ? html`<a href="/tables/${t.name}">${t.name}</a>` : html`${t.name} <span class="muted">(not written yet)</span>`}</td>
<td>${t.role}</td><td class="num">${t.version ?? "–"}</td><td class="num">${formatCount(t.rows)}</td><td class="num">${formatCount(t.files)}</td><td class="num">${formatBytes(t.sizeBytes)}</td><td>${timeAgo(t.lastCommit)}</td></tr>`,
  )}</tbody></table></div></section>
<section><h2>Recent runs</h2>
${
  o.runs.length === 0
    ? html`<p class="muted">No run yet: <code>lake run</code> records one here.</p>`
    : html`
${o.runTimes ? chart("run-times", o.runTimes) : ""}
${dataTable(
  ["run", "started", "status", "seconds", "error"],
  o.runs.map((r) => [
    r.runId,
    new Date(r.startedAt).toISOString(),
    r.status,
    (r.endedAt - r.startedAt) / 1000,
    r.error,
  ]),
)}`
}
</section>`;
  return page({
    title: "Overview",
    project: o.projectName,
    active: "/",
    body,
    charts: o.runTimes !== undefined,
  });
}

function zoneCard(zone: string, tables: readonly TableSummary[]): Html {
  const written = tables.filter((t) => t.exists);
  const rows = written.every((t) => t.rows !== null) ? written.reduce((s, t) => s + (t.rows ?? 0), 0) : null;
  const size = written.reduce((s, t) => s + (t.sizeBytes ?? 0), 0);
  const newest = Math.max(0, ...written.map((t) => t.lastCommit ?? 0));
  return html`<div class="card zone-${zone}"><h3>${zone}</h3>
<p><b>${written.length}</b> of ${tables.length} tables written</p>
<p><b>${formatCount(rows)}</b> rows · ${formatBytes(size)}</p>
<p>updated ${newest === 0 ? "never" : timeAgo(newest)}</p></div>`;
}
