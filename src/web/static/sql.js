// The SQL console: posts the query as JSON to /api/sql, shows the rows as a table, or as a chart of
// the columns the user picks for x, y and colour.
import { renderChart } from "./charts.js";

const $ = (id) => document.getElementById(id);

function table(columns, rows) {
  const element = document.createElement("table");
  element.className = "data";
  const head = element.createTHead().insertRow();
  for (const c of columns) head.appendChild(document.createElement("th")).textContent = c;
  const body = element.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    for (const value of row) {
      const td = tr.insertCell();
      td.textContent =
        value === null ? "null" : typeof value === "object" ? JSON.stringify(value) : String(value);
      if (value === null) td.className = "null";
    }
  }
  const scroll = document.createElement("div");
  scroll.className = "scroll";
  scroll.appendChild(element);
  return scroll;
}

function options(select, columns, chosen, allowNone) {
  select.replaceChildren();
  if (allowNone) select.add(new Option("(none)", ""));
  for (const c of columns) select.add(new Option(c, c, false, c === chosen));
}

/** The Vega-Lite type of a column from its values: numbers are quantitative, ISO dates temporal. */
function fieldType(rows, index) {
  const values = rows.map((r) => r[index]).filter((v) => v !== null);
  if (
    values.length > 0 &&
    values.every((v) => typeof v === "number" || (typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v)))
  )
    return "quantitative";
  if (values.length > 0 && values.every((v) => typeof v === "string" && /^\d{4}-\d{2}-\d{2}/.test(v)))
    return "temporal";
  return "nominal";
}

function chartSpec(result) {
  const x = $("sql-x").value;
  const y = $("sql-y").value;
  const color = $("sql-color").value;
  const index = (c) => result.columns.indexOf(c);
  const values = result.rows.map((row) =>
    Object.fromEntries(
      result.columns.map((c, i) => [
        c,
        fieldType(result.rows, i) === "quantitative" && row[i] !== null ? Number(row[i]) : row[i],
      ]),
    ),
  );
  const encoding = {
    x: { field: x, type: fieldType(result.rows, index(x)) },
    y: { field: y, type: fieldType(result.rows, index(y)) },
  };
  if (color) encoding.color = { field: color, type: "nominal" };
  return {
    width: "container",
    height: 320,
    data: { values },
    mark: { type: $("sql-mark").value, tooltip: true },
    encoding,
  };
}

/** Wires the console's form. */
export function startSqlConsole(form) {
  let result;
  const show = async () => {
    if (result === undefined) return;
    const chart = $("sql-view").value === "chart";
    $("sql-chart").hidden = !chart;
    $("sql-table").hidden = chart;
    if (chart) await renderChart($("sql-chart"), chartSpec(result));
  };
  const run = async () => {
    const status = $("sql-status");
    status.textContent = "Running…";
    status.className = "status";
    const response = await fetch("/api/sql", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sql: $("sql-text").value }),
    });
    const body = await response.json();
    if (!response.ok) {
      status.textContent = body.error;
      status.className = "status error";
      return;
    }
    result = body;
    status.textContent = `${body.rows.length.toLocaleString("en-US")} rows${body.truncated ? " (stopped at the row limit)" : ""} in ${Math.round(body.milliseconds)} ms`;
    const numeric = body.columns.filter((_, i) => fieldType(body.rows, i) === "quantitative");
    const others = body.columns.filter((c) => !numeric.includes(c));
    options($("sql-x"), body.columns, others[0] ?? body.columns[0], false);
    options($("sql-y"), body.columns, numeric.at(-1) ?? body.columns.at(-1), false);
    options($("sql-color"), body.columns, others[1] ?? "", true);
    $("sql-table").replaceChildren(table(body.columns, body.rows));
    $("sql-result").hidden = false;
    await show();
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run().catch((error) => console.error(error));
  });
  $("sql-text").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) form.requestSubmit();
  });
  for (const id of ["sql-view", "sql-x", "sql-y", "sql-color", "sql-mark"])
    $(id).addEventListener("change", () => show().catch((error) => console.error(error)));
}
