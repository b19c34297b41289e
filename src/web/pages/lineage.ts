/** The lineage page: sources → bronze → silver → gold, drawn in the browser from the graph's JSON. */
import type { Lineage } from "../../lake/index.ts";
import { html, jsonData, page } from "../html.ts";

/** The lineage page's HTML. */
export function lineagePage(project: string, lineage: Lineage): string {
  const body = html`
<p class="lead">Drawn from lake.json and the models' SQL. Each table links to its page.</p>
<div id="lineage" class="lineage" data-graph="lineage-graph"></div>
${jsonData("lineage-graph", lineage)}`;
  return page({ title: "Lineage", project, active: "/lineage", body });
}
