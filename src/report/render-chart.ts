/**
 * Draws a Vega-Lite specification without a browser: vega's headless view (`renderer: "none"`) gives
 * SVG, and resvg rasterises that SVG to PNG with the DejaVu fonts the package ships (resvg draws no
 * text at all when it finds no font, so system fonts are never relied on).
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { TopLevelSpec } from "vega-lite";
import { CHART_FONT } from "./chart-spec.ts";

export type ChartFormat = "svg" | "png";

const FONT_DIR = join(
  dirname(createRequire(import.meta.url).resolve("dejavu-fonts-ttf/package.json")),
  "ttf",
);
const FONT_FILES = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"].map((f) => join(FONT_DIR, f));

/** The chart as an SVG document. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  // Loaded on first use: every `lake` command imports this module, few of them draw.
  const [vega, { compile }] = await Promise.all([import("vega"), import("vega-lite")]);
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** An SVG document as a PNG image, at `scale` times its size (2: sharp on high-density screens). */
export async function svgToPng(svg: string, scale = 2): Promise<Uint8Array> {
  const { Resvg } = await import("@resvg/resvg-js");
  const resvg = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: CHART_FONT },
  });
  return resvg.render().asPng();
}

/** The chart as SVG text or PNG bytes. */
export async function renderChart(spec: TopLevelSpec, format: "svg"): Promise<string>;
export async function renderChart(spec: TopLevelSpec, format: "png"): Promise<Uint8Array>;
export async function renderChart(spec: TopLevelSpec, format: ChartFormat): Promise<string | Uint8Array>;
export async function renderChart(spec: TopLevelSpec, format: ChartFormat): Promise<string | Uint8Array> {
  const svg = await renderSvg(spec);
  return format === "svg" ? svg : await svgToPng(svg);
}
