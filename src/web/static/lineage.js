// Draws the lineage graph: one column per zone (landing, bronze, silver, gold), a box per node that
// links to its table page, curves from each input to what is built from it.

const SVG = "http://www.w3.org/2000/svg";
const ZONES = ["landing", "bronze", "silver", "gold"];
const BOX = { width: 210, height: 26, gapX: 90, gapY: 12, pad: 20 };

function svg(name, attributes, parent) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  parent?.appendChild(element);
  return element;
}

/**
 * Orders each column by the mean position of the node's inputs, so that edges cross less; a table a
 * model keeps beside it (keys, quarantine) comes right after that model.
 */
function layout(graph) {
  const inputs = new Map(graph.nodes.map((n) => [n.id, []]));
  for (const e of graph.edges) inputs.get(e.to)?.push(e.from);
  const zoneOf = new Map(graph.nodes.map((n) => [n.id, n.zone]));
  const ownerIn = (n) =>
    n.role === "keys" || n.role === "quarantine"
      ? inputs.get(n.id).find((id) => zoneOf.get(id) === n.zone)
      : undefined;
  const row = new Map();
  const columns = ZONES.map((zone) => graph.nodes.filter((n) => n.zone === zone));
  for (const column of columns) {
    const rank = (n) => {
      const from = inputs.get(n.id).filter((id) => row.has(id));
      return from.length === 0
        ? Number.POSITIVE_INFINITY
        : from.reduce((s, id) => s + row.get(id), 0) / from.length;
    };
    const main = column
      .filter((n) => ownerIn(n) === undefined)
      .map((n, i) => ({ n, r: rank(n), i }))
      .sort((a, b) => a.r - b.r || a.i - b.i)
      .map(({ n }) => n);
    const ordered = main.flatMap((n) => [n, ...column.filter((side) => ownerIn(side) === n.id)]);
    ordered.push(...column.filter((n) => !ordered.includes(n)));
    ordered.forEach((n, i) => {
      row.set(n.id, i);
    });
    column.splice(0, column.length, ...ordered);
  }
  return { columns, row };
}

/** Draws `graph` ({nodes, edges}) into `container`. */
export function drawLineage(container, graph) {
  const { columns, row } = layout(graph);
  const rows = Math.max(...columns.map((c) => c.length), 1);
  const width = BOX.pad * 2 + ZONES.length * BOX.width + (ZONES.length - 1) * BOX.gapX;
  const height = BOX.pad * 2 + 24 + rows * (BOX.height + BOX.gapY);
  const root = svg(
    "svg",
    { viewBox: `0 0 ${width} ${height}`, width, height, role: "img", "aria-label": "lineage graph" },
    container,
  );
  const at = new Map();
  ZONES.forEach((zone, c) => {
    const x = BOX.pad + c * (BOX.width + BOX.gapX);
    svg("text", { x: x + BOX.width / 2, y: BOX.pad + 10, class: "zone-title" }, root).textContent = zone;
    for (const node of columns[c])
      at.set(node.id, { x, y: BOX.pad + 24 + row.get(node.id) * (BOX.height + BOX.gapY) });
  });
  const edges = svg("g", { class: "edges" }, root);
  for (const e of graph.edges) {
    const from = at.get(e.from);
    const to = at.get(e.to);
    if (from === undefined || to === undefined) continue;
    const [y1, y2] = [from.y + BOX.height / 2, to.y + BOX.height / 2];
    // Within a column (a model and the tables it keeps beside it) the edge loops on the left side.
    const d =
      from.x === to.x
        ? `M${from.x},${y1} C${from.x - 24},${y1} ${to.x - 24},${y2} ${to.x},${y2}`
        : `M${from.x + BOX.width},${y1} C${(from.x + BOX.width + to.x) / 2},${y1} ${(from.x + BOX.width + to.x) / 2},${y2} ${to.x},${y2}`;
    const path = svg("path", { d, class: "edge" }, edges);
    path.dataset.from = e.from;
    path.dataset.to = e.to;
  }
  for (const node of graph.nodes) {
    const { x, y } = at.get(node.id);
    const parent = node.isTable ? svg("a", { href: `/tables/${node.id}` }, root) : root;
    const group = svg("g", { class: `node zone-${node.zone} role-${node.role}`, "data-id": node.id }, parent);
    svg("rect", { x, y, width: BOX.width, height: BOX.height, rx: 5 }, group);
    const label = svg("text", { x: x + 10, y: y + BOX.height / 2 + 4 }, group);
    label.textContent = node.isTable ? node.id.slice(node.id.indexOf(".") + 1) : `${node.id.slice(8)} files`;
    svg("title", {}, group).textContent = `${node.id} (${node.role})`;
  }
}
