/**
 * Reading what the chart renderers produce: the texts and mark items of vega's SVG, a PNG's size
 * from its header, and its pixels (decoded by resvg, by drawing the PNG as an image).
 */
import { Resvg } from "@resvg/resvg-js";

/** The text of every `<text>` element, entities decoded. */
export function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((m) => decode(m[1] ?? ""));
}

/**
 * The items of each mark of the chart: `{ symbol: [labels…], rect: […] }` (points are symbols; bars
 * and heatmap cells are rects), each item by its aria-label ("Month: Jan 2024; Revenue: $1.2k").
 */
export function svgMarks(svg: string): Record<string, string[]> {
  const marks: Record<string, string[]> = {};
  for (const group of svg.matchAll(/<g class="mark-(\w+) role-mark[^"]*"[^>]*>(.*?)<\/g>/g)) {
    const kind = group[1] as string;
    const labels = [...(group[2] ?? "").matchAll(/<path aria-label="([^"]*)" role="graphics-symbol"/g)];
    marks[kind] = [...(marks[kind] ?? []), ...labels.map((m) => decode(m[1] ?? ""))];
  }
  return marks;
}

/** A PNG's width and height, from its IHDR chunk; throws when the bytes are no PNG. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const signature = [137, 80, 78, 71, 13, 10, 26, 10];
  if (!signature.every((b, i) => png[i] === b)) throw new Error("not a PNG");
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** How many pixels of the PNG's rows `top` to `bottom` (excluded) are dark (all channels below 128). */
export function darkPixels(png: Uint8Array, top: number, bottom: number): number {
  const { width, height } = pngSize(png);
  const href = `data:image/png;base64,${Buffer.from(png).toString("base64")}`;
  const wrapper = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><image href="${href}" width="${width}" height="${height}"/></svg>`;
  const pixels = new Resvg(wrapper, { font: { loadSystemFonts: false } }).render().pixels;
  let dark = 0;
  for (let y = top; y < Math.min(bottom, height); y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      if ((pixels[i] ?? 255) < 128 && (pixels[i + 1] ?? 255) < 128 && (pixels[i + 2] ?? 255) < 128) dark++;
    }
  }
  return dark;
}

function decode(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}
