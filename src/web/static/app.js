// The dashboard's browser entry: relative times, charts from the page's JSON, the lineage graph and
// the SQL console. Plain ES modules, no build step; vega and vega-lite are globals from /vendor/.
import { renderChart } from "./charts.js";
import { drawLineage } from "./lineage.js";
import { startSqlConsole } from "./sql.js";

/** The JSON a page hands its scripts in <script type="application/json" id="…">. */
export function pageData(id) {
  const element = document.getElementById(id);
  return element === null ? undefined : JSON.parse(element.textContent);
}

function showTimesAgo() {
  const now = Date.now();
  for (const element of document.querySelectorAll("time[data-ago]")) {
    const seconds = Math.round((now - Date.parse(element.getAttribute("datetime"))) / 1000);
    const [value, unit] =
      seconds < 90
        ? [seconds, "s"]
        : seconds < 5400
          ? [Math.round(seconds / 60), "min"]
          : seconds < 172800
            ? [Math.round(seconds / 3600), "h"]
            : [Math.round(seconds / 86400), "days"];
    element.title = element.textContent;
    element.textContent = `${value} ${unit} ago`;
  }
}

async function drawCharts() {
  for (const element of document.querySelectorAll(".chart[data-spec]")) {
    await renderChart(element, pageData(element.dataset.spec));
  }
}

showTimesAgo();
const lineage = document.getElementById("lineage");
if (lineage !== null) drawLineage(lineage, pageData(lineage.dataset.graph));
const sqlForm = document.getElementById("sql-form");
if (sqlForm !== null) startSqlConsole(sqlForm);
drawCharts().catch((error) => {
  console.error(error);
});
