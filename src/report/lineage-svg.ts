/**
 * The lineage graph as an inline SVG: one column per zone (landing → bronze → silver → gold), a box
 * per table, a curve per "is written from". No script and no external reference: it draws the same in
 * a browser offline, in a mail client or printed.
 */
import { escapeXml } from "./escape.ts";
import type { ReportLineage } from "./report-content.ts";

const ZONES = ["landing", "bronze", "silver", "gold"];
const ZONE_COLOURS: Readonly<Record<string, string>> = {
  landing: "#6b6b6b",
  bronze: "#a0522d",
  silver: "#5f7285",
  gold: "#b8860b",
};
const BOX = { width: 190, height: 26, gap: 10 };
const COLUMN = 240;
const TOP = 34;

/** The graph as an `<svg>` element; nodes in zones it does not know are left out. */
export function lineageSvg(lineage: ReportLineage): string {
  const place = new Map<string, { x: number; y: number }>();
  const columns = ZONES.map((zone) => lineage.nodes.filter((n) => n.zone === zone));
  columns.forEach((nodes, c) => {
    nodes.forEach((node, r) => {
      place.set(node.id, { x: 10 + c * COLUMN, y: TOP + r * (BOX.height + BOX.gap) });
    });
  });
  const rows = Math.max(1, ...columns.map((n) => n.length));
  const width = 20 + (ZONES.length - 1) * COLUMN + BOX.width + 40;
  const height = TOP + rows * (BOX.height + BOX.gap) + 10;
  const parts: string[] = [];
  ZONES.forEach((zone, c) => {
    parts.push(
      `<text x="${10 + c * COLUMN}" y="18" class="zone" fill="${ZONE_COLOURS[zone]}">${zone}</text>`,
    );
  });
  for (const { from, to } of lineage.edges) {
    const a = place.get(from);
    const b = place.get(to);
    if (a === undefined || b === undefined) continue;
    const y1 = a.y + BOX.height / 2;
    const y2 = b.y + BOX.height / 2;
    const x1 = a.x + BOX.width;
    // Within a zone (a model reading another of its zone) the curve bows out to the right.
    const path =
      a.x === b.x
        ? `M${x1},${y1} C${x1 + 30},${y1} ${x1 + 30},${y2} ${x1},${y2}`
        : `M${x1},${y1} C${x1 + 30},${y1} ${b.x - 30},${y2} ${b.x},${y2}`;
    parts.push(`<path d="${path}" class="edge"><title>${escapeXml(from)} → ${escapeXml(to)}</title></path>`);
  }
  for (const node of lineage.nodes) {
    const at = place.get(node.id);
    if (at === undefined) continue;
    const label = node.id.slice(node.zone.length + 1);
    parts.push(
      `<g class="node" data-id="${escapeXml(node.id)}"><rect x="${at.x}" y="${at.y}" width="${BOX.width}" height="${BOX.height}" rx="4" stroke="${ZONE_COLOURS[node.zone]}"/>` +
        `<text x="${at.x + 8}" y="${at.y + 17}">${escapeXml(label)}</text><title>${escapeXml(node.id)}</title></g>`,
    );
  }
  return `<svg class="lineage" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Lineage of the lake's tables">${parts.join("")}</svg>`;
}
