/** The table page: schema, partitioning, properties, history, a preview at any version, the files. */
import { type Json, type TableDetail, type TableFile, typeToString } from "../../lake/index.ts";
import { dataTable, formatBytes, formatCount, html, page, timeAgo } from "../html.ts";

/** The table page's HTML; `at` is what the time-travel form asked for. */
export function tablePage(
  project: string,
  t: TableDetail,
  at: { readonly version?: number; readonly timestamp?: string },
): string {
  const d = t.description;
  const old = d.version !== t.latestVersion;
  const body = html`
<p class="lead"><code>${d.location}</code></p>
<form class="travel" method="get" action="/tables/${t.name}">
  <label>Version <input type="number" name="version" min="0" max="${t.latestVersion}" value="${at.version ?? ""}" placeholder="${t.latestVersion}"></label>
  <span class="muted">or</span>
  <label>As of <input type="text" name="timestamp" value="${at.timestamp ?? ""}" placeholder="2024-05-01T12:00:00Z" size="24"></label>
  <button type="submit">Show</button>
  ${old ? html`<a href="/tables/${t.name}">latest (v${t.latestVersion})</a>` : ""}
</form>
<section class="cards">
  <div class="card"><h3>version</h3><p><b id="shown-version">${d.version}</b>${old ? html` <span class="badge old">of ${t.latestVersion}</span>` : " (latest)"}</p><p>${timeAgo(Date.parse(d.lastCommit))}</p></div>
  <div class="card"><h3>rows</h3><p><b id="row-count">${formatCount(d.numRows)}</b></p></div>
  <div class="card"><h3>files</h3><p><b>${formatCount(d.numFiles)}</b> · ${formatBytes(d.sizeBytes)}</p></div>
  <div class="card"><h3>partitioned by</h3><p>${d.partitionColumns.length === 0 ? "not partitioned" : d.partitionColumns.join(", ")}</p></div>
</section>
<section><h2>Schema</h2>
${dataTable(
  ["column", "type", "nullable"],
  d.schema.fields.map((f) => [f.name, typeToString(f.type), f.nullable]),
)}</section>
<section><h2>Properties</h2>
${dataTable(
  ["property", "value"],
  [
    ["protocol", `reader ${d.protocol.minReaderVersion}, writer ${d.protocol.minWriterVersion}`],
    ["table id", d.tableId],
    ...Object.entries(d.configuration),
  ],
)}</section>
<section><h2>Preview <span class="muted">(first ${t.preview.rows.length} rows of version ${d.version})</span></h2>
${dataTable(t.preview.columns, t.preview.rows)}</section>
<section><h2>History</h2>
<div class="scroll"><table class="data" id="history"><thead><tr><th class="num">version</th><th>time</th><th>operation</th><th>files</th><th>parameters</th></tr></thead>
<tbody>${t.history.map(
    (
      h,
    ) => html`<tr${h.version === d.version ? html` class="current"` : ""}><td class="num"><a href="/tables/${t.name}?version=${h.version}">${h.version}</a></td>
<td>${timeAgo(h.timestamp)}</td><td>${h.operation ?? ""}</td><td>+${h.adds} −${h.removes}</td><td><code>${JSON.stringify(h.operationParameters)}</code></td></tr>`,
  )}</tbody></table></div></section>
<section><h2>Files <span class="muted">(${t.files.length < t.totalFiles ? `${t.files.length} of ${t.totalFiles}` : t.totalFiles})</span></h2>
<div class="scroll"><table class="data"><thead><tr><th>path</th><th>partition</th><th class="num">records</th><th class="num">size</th><th>statistics</th></tr></thead>
<tbody>${t.files.map(
    (f) => html`<tr><td><code>${f.path}</code></td><td>${Object.entries(f.partitionValues)
      .map(([k, v]) => `${k}=${v ?? "null"}`)
      .join(", ")}</td>
<td class="num">${formatCount(f.numRecords)}${f.deletedRows > 0 ? ` (−${f.deletedRows})` : ""}</td><td class="num">${formatBytes(f.size)}</td>
<td><details><summary>min / max / nulls</summary>${dataTable(["column", "min", "max", "nulls"], statsRows(f))}</details></td></tr>`,
  )}</tbody></table></div></section>`;
  return page({ title: t.name, project, active: "", body });
}

/** One row per column with statistics: its min, max and null count. */
function statsRows(f: TableFile): Json[][] {
  const field = (value: Json, column: string): Json =>
    value !== null && typeof value === "object" && !Array.isArray(value) ? (value[column] ?? null) : null;
  const columns = new Set(
    [f.minValues, f.maxValues, f.nullCount].flatMap((v) =>
      v !== null && typeof v === "object" && !Array.isArray(v) ? Object.keys(v) : [],
    ),
  );
  return [...columns].map((c) => [c, field(f.minValues, c), field(f.maxValues, c), field(f.nullCount, c)]);
}
