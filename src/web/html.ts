/**
 * HTML built on the server: a tagged template that escapes every interpolated value unless it is
 * already {@link Html}, the page layout with its navigation, and data handed to the browser scripts as
 * JSON in a non-executable `<script type="application/json">` (the CSP allows no inline script).
 */
import { formatBytes as formatByteCount } from "../lake/index.ts";

/** Markup that is safe to insert as is. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

type Value = Html | string | number | boolean | null | undefined | readonly Value[];

/** Escapes text for HTML content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A template whose values are escaped (arrays are joined; null, undefined and false print nothing). */
export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0] ?? "";
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? "");
  });
  return new Html(out);
}

function render(value: Value): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join("");
  if (value === null || value === undefined || value === false) return "";
  return escapeHtml(String(value));
}

/** JSON for the page's scripts; `<` is escaped so no value can close the script element. */
export function jsonData(id: string, data: unknown): Html {
  const json = JSON.stringify(data, (_key, value: unknown) =>
    typeof value === "bigint" ? String(value) : value,
  )
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
  return new Html(`<script type="application/json" id="${escapeHtml(id)}">${json}</script>`);
}

/** A chart the browser draws from its Vega-Lite specification; `data-rows` says how many rows it has. */
export function chart(id: string, result: { readonly spec: unknown; readonly rows: number }): Html {
  return html`<div class="chart" id="${id}" data-spec="${id}-spec" data-rows="${result.rows}"></div>${jsonData(`${id}-spec`, result.spec)}`;
}

/** The navigation's pages: path and label. */
const NAV: ReadonlyArray<readonly [string, string]> = [
  ["/", "Overview"],
  ["/marts", "Marts"],
  ["/quality", "Data quality"],
  ["/lineage", "Lineage"],
  ["/sql", "SQL"],
];

/** A whole page: navigation, title, body; `charts` loads the vega scripts the page draws with. */
export function page(options: {
  readonly title: string;
  readonly project: string;
  readonly active: string;
  readonly body: Html;
  readonly charts?: boolean;
}): string {
  const { title, project, active, body, charts } = options;
  return `<!doctype html>${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${project} · Medallion Lake</title>
<link rel="stylesheet" href="/static/app.css">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
${charts ? html`<script src="/vendor/vega.min.js"></script><script src="/vendor/vega-lite.min.js"></script>` : ""}
<script type="module" src="/static/app.js"></script>
</head>
<body>
<header class="top">
  <a class="brand" href="/">Medallion Lake <span class="project">${project}</span></a>
  <nav>${NAV.map(([path, label]) => html`<a href="${path}"${new Html(path === active ? ' aria-current="page"' : "")}>${label}</a>`)}</nav>
</header>
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>`}`;
}

/** Bytes in KiB, MiB or GiB, or a dash. */
export function formatBytes(bytes: number | null): string {
  return bytes === null ? "–" : formatByteCount(bytes);
}

/** A whole number with thousands separators, or a dash. */
export function formatCount(n: number | null): string {
  return n === null ? "–" : n.toLocaleString("en-US");
}

/** An instant as ISO-8601 UTC, to the second, in a `<time>` the browser script turns into "x ago". */
export function timeAgo(ms: number | null): Html {
  if (ms === null) return html`–`;
  const iso = new Date(ms).toISOString();
  return html`<time datetime="${iso}" data-ago>${iso.replace("T", " ").replace(/\.\d+Z$/, " UTC")}</time>`;
}

/** A table of JSON values (objects and arrays shown as JSON text). */
export function dataTable(columns: readonly string[], rows: readonly (readonly unknown[])[]): Html {
  return html`<div class="scroll"><table class="data">
<thead><tr>${columns.map((c) => html`<th>${c}</th>`)}</tr></thead>
<tbody>${rows.map((row) => html`<tr>${row.map((v) => html`<td${new Html(v === null ? ' class="null"' : "")}>${cell(v)}</td>`)}</tr>`)}</tbody>
</table></div>`;
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}
