/**
 * A chart design plus rows → a Vega-Lite specification with the rows inline: the one definition both
 * the server-side renderer (render-chart.ts) and the dashboard's browser draw. The default look is
 * here: titles, axis formats, a colour-blind-safe palette (Okabe-Ito for a few categories, viridis
 * otherwise and for values), legends, tooltips.
 */
import type { TopLevelSpec } from "vega-lite";
import {
  type ChannelDesign,
  type ChartData,
  type ChartDesign,
  type FieldType,
  NAMED_FORMATS,
} from "./chart-design.ts";
import { ChartFieldError, ChartFormatError } from "./errors.ts";

/** The font every chart uses; render-chart.ts ships its files so a PNG has the same text everywhere. */
export const CHART_FONT = "DejaVu Sans";

/** Okabe & Ito's palette, which reads for the common kinds of colour blindness (yellow last: it is faint on white). */
export const OKABE_ITO = [
  "#0072B2",
  "#E69F00",
  "#009E73",
  "#D55E00",
  "#CC79A7",
  "#56B4E9",
  "#000000",
  "#F0E442",
];

const WIDTH = 640;
const HEIGHT = 320;
/** The least room a category gets on a discrete axis: its label is about 12 px high. */
const CATEGORY_STEP = 18;
const NUMBER_FORMATS: Readonly<Record<string, string>> = {
  currency: "$,.3~s",
  integer: ",.0f",
  number: ",.2~f",
  percent: ".0%",
};
const TIME_FORMATS: Readonly<Record<string, string>> = { month: "%b %Y", date: "%Y-%m-%d" };
const ISO_DATE = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;
const NUMERIC = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i;
/** d3-format's specifier grammar: what it accepts without throwing "invalid format". */
const D3_NUMBER_FORMAT = /^(?:(.)?([<>=^]))?([+\-( ])?([$#])?(0)?(\d+)?(,)?(\.\d+)?(~)?([a-z%])?$/i;

const NAMED: ReadonlySet<string> = new Set(NAMED_FORMATS);

type Encoding = Record<string, unknown>;

/**
 * The Vega-Lite specification of `design` drawn from `data`. Numbers that arrive as text (decimals
 * and big integers do) become numbers, dates and timestamps become UTC instants.
 * @throws ChartFieldError when a channel names a column `data` does not have.
 */
export function buildChartSpec(design: ChartDesign, data: ChartData): TopLevelSpec {
  const channels = { x: design.x, y: design.y, ...(design.color ? { color: design.color } : {}) };
  for (const [channel, { field }] of Object.entries(channels)) {
    if (!data.columns.includes(field)) throw new ChartFieldError(design.title, channel, field, data.columns);
  }
  const types = Object.fromEntries(
    Object.values(channels).map((c) => [c.field, c.type ?? inferType(data.rows, c)]),
  );
  const values = data.rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (const [field, type] of Object.entries(types)) out[field] = coerce(row[field], type);
    return out;
  });
  const typeOf = (c: ChannelDesign) => types[c.field] as FieldType;
  // A time format is any text; a number format that d3 cannot parse would fail only when drawn.
  for (const c of Object.values(channels)) {
    const custom = c.format !== undefined && !NAMED.has(c.format) ? c.format : undefined;
    if (custom !== undefined && typeOf(c) === "quantitative" && !D3_NUMBER_FORMAT.test(custom))
      throw new ChartFormatError(design.title, c.field, custom);
  }
  const encoding: Encoding = {
    x: position(design.x, typeOf(design.x), "x"),
    y: position(design.y, typeOf(design.y), "y"),
  };
  if (design.color) {
    encoding.color = colour(design.color, typeOf(design.color), values);
    const side = typeOf(design.x) === "quantitative" && typeOf(design.y) !== "quantitative" ? "y" : "x";
    if (design.stack === false && design.mark === "bar")
      encoding[`${side}Offset`] = { field: design.color.field };
  }
  encoding.tooltip = Object.values(channels).map((c) => ({
    field: c.field,
    type: typeOf(c),
    title: c.title ?? c.field,
    ...timeUnit(c, typeOf(c)),
    ...format(c, typeOf(c)),
  }));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: design.title, ...(design.description ? { subtitle: design.description } : {}) },
    ...(design.description ? { description: design.description } : {}),
    width: extent(typeOf(design.x), values, design.x.field, WIDTH),
    height: extent(typeOf(design.y), values, design.y.field, HEIGHT),
    background: "white",
    padding: 12,
    data: { values },
    mark: mark(design),
    encoding,
    config: {
      font: CHART_FONT,
      title: { anchor: "start", fontSize: 16, subtitleFontSize: 12, subtitleColor: "#555" },
      axis: { labelFontSize: 11, titleFontSize: 12, labelLimit: 180 },
      legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 360 },
    },
  } as TopLevelSpec;
}

/**
 * What a column's values are, when the design does not say: from its first value that is not null,
 * or with no values from its format (a month is a date, a currency a number).
 */
function inferType(rows: ChartData["rows"], c: ChannelDesign): FieldType {
  const value = rows.find((r) => r[c.field] !== null && r[c.field] !== undefined)?.[c.field];
  if (typeof value === "number" || typeof value === "bigint") return "quantitative";
  if (typeof value === "string" && ISO_DATE.test(value)) return "temporal";
  if (typeof value === "string" && NUMERIC.test(value)) return "quantitative";
  if (value === undefined && c.format !== undefined)
    return TIME_FORMATS[c.format] !== undefined ? "temporal" : "quantitative";
  return "nominal";
}

/** A plot's width or height: the default, or room for each category when there are many (a heatmap's rows). */
function extent(
  type: FieldType,
  values: ReadonlyArray<Record<string, unknown>>,
  field: string,
  size: number,
): number {
  if (type !== "ordinal" && type !== "nominal") return size;
  return Math.max(size, new Set(values.map((v) => v[field])).size * CATEGORY_STEP);
}

function coerce(value: unknown, type: FieldType): unknown {
  if (value === null || value === undefined) return null;
  if (type === "quantitative") return typeof value === "number" ? value : Number(value);
  if (type === "temporal" && typeof value === "string") {
    const m = ISO_DATE.exec(value);
    // DuckDB prints timestamps without a zone; they are UTC, as the lake stores them.
    if (m) return Date.parse(`${m[1]}T${m[2] ?? "00:00:00"}${m[3] ?? "Z"}`);
  }
  if (typeof value === "bigint") return Number(value);
  return value;
}

function mark(design: ChartDesign): unknown {
  switch (design.mark) {
    case "line":
      return { type: "line", point: true, strokeWidth: 2 };
    case "point":
      return { type: "point", filled: true, size: 60 };
    case "rect":
      return { type: "rect", stroke: "white", strokeWidth: 1 };
    default:
      return { type: design.mark };
  }
}

function position(c: ChannelDesign, type: FieldType, axis: "x" | "y"): Encoding {
  return {
    field: c.field,
    type,
    title: c.title ?? c.field,
    ...timeUnit(c, type),
    ...(type === "temporal" ? { scale: { type: "utc" } } : {}),
    ...(c.sort ? { sort: c.sort } : {}),
    axis: {
      ...format(c, type),
      ...(axis === "x" && type !== "quantitative" && type !== "temporal" ? { labelAngle: -40 } : {}),
    },
  };
}

function colour(c: ChannelDesign, type: FieldType, values: ReadonlyArray<Record<string, unknown>>): Encoding {
  const distinct = new Set(values.map((v) => v[c.field])).size;
  const scale =
    type === "quantitative" || type === "temporal" || distinct > OKABE_ITO.length
      ? { scheme: "viridis" }
      : { range: OKABE_ITO };
  return {
    field: c.field,
    type,
    title: c.title ?? c.field,
    ...timeUnit(c, type),
    ...(c.sort ? { sort: c.sort } : {}),
    scale,
    legend: { ...format(c, type), ...(type === "quantitative" ? { gradientLength: 200 } : {}) },
  };
}

/** Months are whole months: ticks and bars fall on them rather than on the scale's "nice" instants. */
function timeUnit(c: ChannelDesign, type: FieldType): Encoding {
  if (type !== "temporal") return {};
  return c.format === "month" ? { timeUnit: "utcyearmonth" } : {};
}

/** The d3 format of a channel's labels: dates take time formats, numbers number formats, text none. */
function format(c: ChannelDesign, type: FieldType): Encoding {
  if (type === "temporal") {
    const named = c.format === undefined ? undefined : (TIME_FORMATS[c.format] ?? c.format);
    return named === undefined ? {} : { format: named };
  }
  if (type !== "quantitative") return {};
  if (c.format === undefined) return { format: "~s" };
  return { format: NUMBER_FORMATS[c.format] ?? c.format };
}
