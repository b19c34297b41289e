/**
 * What a chart shows, independent of where its rows come from: the mark, which columns go on x, y
 * and colour, their titles and formats. A project declares these in lake.json (`charts`); the
 * built-in charts and `lake chart --sql` build them in code.
 */

export const CHART_MARKS = ["line", "bar", "point", "area", "rect"] as const;
/** line, bar, point, area, or rect (a heatmap: x and y are categories, colour is the value). */
export type ChartMark = (typeof CHART_MARKS)[number];

export const FIELD_TYPES = ["quantitative", "temporal", "ordinal", "nominal"] as const;
/** Vega-Lite's measurement types: numbers, dates, ordered categories, categories. */
export type FieldType = (typeof FIELD_TYPES)[number];

/**
 * Named formats: `currency` ($1.2M), `integer` (1,234), `number` (1,234.5), `percent` (a ratio 0.25
 * shown as 25%), `month` (Jan 2024), `date` (2024-01-31). Anything else is a d3-format string (",.2f").
 */
export const NAMED_FORMATS = ["currency", "integer", "number", "percent", "month", "date"] as const;

export const SORT_ORDERS = ["ascending", "descending", "x", "-x", "y", "-y", "color", "-color"] as const;
/** A category axis's order: by its own values, or by another channel's (`-x`: largest x first). */
export type SortOrder = (typeof SORT_ORDERS)[number];

/** One channel: a result column and how it reads. */
export interface ChannelDesign {
  readonly field: string;
  /** Inferred from the values when absent: numbers are quantitative, ISO dates temporal, text nominal. */
  readonly type?: FieldType;
  /** The axis or legend title (default: the column name). */
  readonly title?: string;
  /** A named format (see NAMED_FORMATS) or a d3-format string. */
  readonly format?: string;
  readonly sort?: SortOrder;
}

/** A whole chart. */
export interface ChartDesign {
  readonly title: string;
  readonly description?: string;
  readonly mark: ChartMark;
  readonly x: ChannelDesign;
  readonly y: ChannelDesign;
  readonly color?: ChannelDesign;
  /** Bars and areas with a colour: stacked (default) or, when false, side by side. */
  readonly stack?: boolean;
}

/** A query result a chart is drawn from: its columns (also when there are no rows) and its rows. */
export interface ChartData {
  readonly columns: readonly string[];
  readonly rows: ReadonlyArray<Readonly<Record<string, unknown>>>;
}
