/**
 * The lake report as one self-contained HTML document: inline CSS, charts as inline SVG, no script
 * and no reference to anything outside the file, so it opens the same offline, attached to a mail, or
 * from an object store.
 */
import { escapeXml as esc } from "./escape.ts";
import { lineageSvg } from "./lineage-svg.ts";
import type { ReportChart, ReportContent, ReportFigure, ReportRun } from "./report-content.ts";

/** The sections of a report, in order, by their element id. */
export const REPORT_SECTIONS = [
  "figures",
  "charts",
  "last-run",
  "data-quality",
  "tables",
  "lineage",
] as const;

/** The report as an HTML document. */
export function reportHtml(content: ReportContent): string {
  const generated = iso(content.generatedAt);
  const body = [
    `<header><h1>${esc(content.project)}</h1><p>Lake report, generated ${generated}</p></header>`,
    section("figures", "Key figures", figures(content.figures)),
    section("charts", "Charts", content.charts.map((c, i) => chart(c, i)).join("\n")),
    section("last-run", "Last run", lastRun(content.lastRun, content.runs)),
    section("data-quality", "Data quality", quality(content)),
    section("tables", "Tables", tables(content)),
    section("lineage", "Lineage", `<div class="scroll">${lineageSvg(content.lineage)}</div>`),
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(content.project)}: lake report</title>
<style>${CSS}</style>
</head>
<body>
${body.join("\n")}
</body>
</html>
`;
}

function section(id: string, title: string, inner: string): string {
  return `<section id="${id}"><h2>${title}</h2>\n${inner}\n</section>`;
}

function figures(list: readonly ReportFigure[]): string {
  if (list.length === 0)
    return `<p class="none">The project declares no key figures (lake.json "figures").</p>`;
  const cards = list.map(
    (f) =>
      `<div class="figure"><div class="value">${esc(formatFigure(f))}</div><div class="label">${esc(f.title)}</div>${f.description ? `<div class="note">${esc(f.description)}</div>` : ""}</div>`,
  );
  return `<div class="figures">${cards.join("")}</div>`;
}

/** A figure's value as the report prints it (US English: $1,234,567, 12.5%). */
export function formatFigure(f: ReportFigure): string {
  if (f.value === null) return "–";
  const n = typeof f.value === "number" ? f.value : Number(f.value);
  if (Number.isNaN(n) || f.format === undefined) return String(f.value);
  const options: Intl.NumberFormatOptions =
    f.format === "currency"
      ? { style: "currency", currency: "USD", maximumFractionDigits: Math.abs(n) >= 1000 ? 0 : 2 }
      : f.format === "percent"
        ? { style: "percent", maximumFractionDigits: 1 }
        : { maximumFractionDigits: f.format === "integer" ? 0 : 2 };
  return new Intl.NumberFormat("en-US", options).format(n);
}

function chart(c: ReportChart, index: number): string {
  if ("problem" in c)
    return `<figure class="chart"><h3>${esc(c.title)}</h3><p class="problem">${esc(c.problem)}</p></figure>`;
  const rows = `drawn from ${num(c.rows)} row${c.rows === 1 ? "" : "s"}`;
  return `<figure class="chart"><div class="scroll">${inlineSvg(c.svg, `chart${index}-`)}</div><figcaption>${rows}</figcaption></figure>`;
}

/**
 * An SVG document as an element of the page: HTML gives inline SVG its namespace, so no URI is kept,
 * and its ids (gradients, clip paths) get `prefix`, since ids are shared by the whole page.
 */
function inlineSvg(svg: string, prefix: string): string {
  return svg
    .replace(/^<\?xml[^>]*>\s*/, "")
    .replace(/\s+xmlns(?::\w+)?="[^"]*"/g, "")
    .replace(/\bid="([^"]+)"/g, `id="${prefix}$1"`)
    .replace(/url\(#([^)]+)\)/g, `url(#${prefix}$1)`);
}

function lastRun(run: ReportRun | undefined, runs: number): string {
  if (run === undefined) return `<p class="none">No run is recorded yet: lake run builds the tables.</p>`;
  const seconds = (run.endedAt - run.startedAt) / 1000;
  const head = `<p>Run <code>${esc(run.runId)}</code> <span class="status ${esc(run.status)}">${esc(run.status)}</span>, started ${iso(run.startedAt)}, took ${seconds.toFixed(1)} s (${runs} run${runs === 1 ? "" : "s"} recorded).</p>`;
  const error = run.error ? `<p class="problem">${esc(run.error)}</p>` : "";
  const rows = run.steps.map((s) => [
    esc(s.step),
    num(s.rows),
    num(s.setAside),
    s.seconds === undefined ? "" : `${s.seconds.toFixed(1)} s`,
    esc(s.detail),
  ]);
  return `${head}${error}${table(["Step", "Rows written", "Set aside", "Time", "What it did"], rows, [1, 2, 3])}`;
}

function quality(content: ReportContent): string {
  const rules = content.rules.map((r) => [
    esc(r.table),
    esc(r.rule),
    esc(r.action),
    num(r.lastRun),
    num(r.allRuns),
    esc(r.description ?? ""),
  ]);
  const rulesTable =
    rules.length === 0
      ? `<p class="none">No expectation is declared, or no run is recorded.</p>`
      : table(["Table", "Rule", "Action", "Rows failing (last run)", "All runs", "Meaning"], rules, [3, 4]);
  const files = content.rejectedFiles.map((f) => [esc(f.file), esc(f.reason), iso(f.at)]);
  const filesTable =
    files.length === 0
      ? `<p class="none">No landing file was rejected.</p>`
      : table(["File", "Why it was rejected", "When"], files, []);
  return `<h3>Rules</h3>${rulesTable}<h3>Rejected files</h3>${filesTable}`;
}

function tables(content: ReportContent): string {
  if (content.tables.length === 0) return `<p class="none">No table exists yet.</p>`;
  const rows = content.tables.map((t) => [
    esc(`${t.zone}.${t.table}`),
    num(t.version),
    t.rows === null ? "?" : num(t.rows),
    num(t.files),
    esc(t.lastCommit),
  ]);
  return table(["Table", "Version", "Rows", "Files", "Last commit"], rows, [1, 2, 3]);
}

/** A table of cells that are HTML already; the columns in `numeric` align right. */
function table(
  headers: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  numeric: readonly number[],
): string {
  const cls = (i: number) => (numeric.includes(i) ? ' class="n"' : "");
  const th = headers.map((h, i) => `<th${cls(i)}>${h}</th>`).join("");
  const body = rows.map((cells) => `<tr>${cells.map((c, i) => `<td${cls(i)}>${c}</td>`).join("")}</tr>`);
  return `<div class="scroll"><table><thead><tr>${th}</tr></thead><tbody>${body.join("")}</tbody></table></div>`;
}

function num(n: number): string {
  return n.toLocaleString("en-US");
}

function iso(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

const CSS = `
:root{--ink:#1d1d1f;--muted:#5f6368;--line:#e3e3e3;--bg:#fafafa;--ok:#009E73;--bad:#D55E00}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1100px;padding:24px;font:14px/1.45 "DejaVu Sans",system-ui,sans-serif;color:var(--ink);background:var(--bg)}
header h1{margin:0;font-size:26px}header p{margin:4px 0 0;color:var(--muted)}
section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin:20px 0}
h2{margin:0 0 12px;font-size:19px}h3{font-size:15px;margin:16px 0 8px}
.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(160px,1fr));gap:12px}
.figure{border:1px solid var(--line);border-radius:6px;padding:12px}
.figure .value{font-size:22px;font-weight:bold}.figure .label{color:var(--muted)}.figure .note{font-size:12px;color:var(--muted)}
figure.chart{margin:0 0 24px}figcaption{color:var(--muted);font-size:12px}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:#f3f3f3}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.status{padding:1px 6px;border-radius:4px;color:#fff}.status.succeeded{background:var(--ok)}.status.failed{background:var(--bad)}
.problem{color:var(--bad)}.none{color:var(--muted)}
code{font-family:"DejaVu Sans Mono",monospace;font-size:12px}
svg.lineage{font:12px "DejaVu Sans",sans-serif}
svg.lineage .zone{font-weight:bold;font-size:13px;text-transform:capitalize}
svg.lineage rect{fill:#fff;stroke-width:1.5}
svg.lineage .edge{fill:none;stroke:#9aa0a6;stroke-width:1.2}
`;
