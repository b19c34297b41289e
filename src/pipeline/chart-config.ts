/**
 * Charts as a project declares them in lake.json (`charts`): SQL over `zone.table` names (inline, or
 * `charts/<name>.sql`) and how its result is drawn. Filters name SQL expressions the query's
 * `{{filters}}` placeholder restricts; lake/ fills the placeholder when someone picks a value.
 * The marks, types and sort orders are report/'s (chart-design.ts): lake/ hands a ChartConfig to
 * report/, so the compiler checks the two lists agree.
 */

export const CHART_MARK_NAMES = ["line", "bar", "point", "area", "rect"] as const;
export const CHART_FIELD_TYPES = ["quantitative", "temporal", "ordinal", "nominal"] as const;
export const CHART_SORT_ORDERS = [
  "ascending",
  "descending",
  "x",
  "-x",
  "y",
  "-y",
  "color",
  "-color",
] as const;
/** How a filter's value restricts its column: equal to it, or a date range's start or end (inclusive). */
export const CHART_FILTER_MATCHES = ["equals", "from", "to"] as const;

/** The text a chart's SQL holds where its filters go; it is replaced by a condition (TRUE when none). */
export const FILTERS_PLACEHOLDER = "{{filters}}";

/** One axis or the colour of a chart. */
export interface ChartChannelConfig {
  readonly field: string;
  readonly type?: (typeof CHART_FIELD_TYPES)[number];
  readonly title?: string;
  readonly format?: string;
  readonly sort?: (typeof CHART_SORT_ORDERS)[number];
}

/** A filter a chart offers: a value picked for `name` restricts `column` (an SQL expression). */
export interface ChartFilterConfig {
  readonly name: string;
  readonly column: string;
  readonly match: (typeof CHART_FILTER_MATCHES)[number];
}

/** A chart declared in the project. */
export interface ChartConfig {
  readonly name: string;
  readonly title: string;
  readonly description?: string;
  /** The SQL, inline or read from `sqlFile` (relative to the project folder). */
  readonly query?: string;
  readonly sqlFile?: string;
  readonly mark: (typeof CHART_MARK_NAMES)[number];
  readonly x: ChartChannelConfig;
  readonly y: ChartChannelConfig;
  readonly color?: ChartChannelConfig;
  readonly stack?: boolean;
  readonly filters: readonly ChartFilterConfig[];
}

type Fail = (field: string, problem: string) => Error;

const NAME = /^[a-z][a-z0-9_]*$/;

/** Validates one entry of `charts` (its keys are checked against the schema by the caller). */
export function parseChart(name: string, raw: unknown, fail: Fail): ChartConfig {
  const at = `charts.${name}`;
  if (!NAME.test(name)) throw fail(at, "a chart name is lower-case letters, digits and _");
  const chart = object(raw, at, fail);
  const text = (field: string, required: boolean) => {
    const value = chart[field];
    if (value === undefined && !required) return undefined;
    if (typeof value !== "string" || value.trim() === "")
      throw fail(`${at}.${field}`, "must be a non-empty string");
    return value;
  };
  const title = text("title", true) as string;
  const description = text("description", false);
  if (chart.query !== undefined && chart.sqlFile !== undefined)
    throw fail(at, 'has both "query" and "sqlFile": keep one');
  const query = text("query", false);
  const sqlFile = text("sqlFile", false);
  if (!CHART_MARK_NAMES.includes(chart.mark as never))
    throw fail(`${at}.mark`, `must be one of ${CHART_MARK_NAMES.join(", ")}`);
  if (chart.stack !== undefined && typeof chart.stack !== "boolean")
    throw fail(`${at}.stack`, "must be true or false");
  const filtersIn = chart.filters === undefined ? {} : object(chart.filters, `${at}.filters`, fail);
  const filters = Object.entries(filtersIn).map(([filter, spec]) =>
    parseFilter(filter, spec, `${at}.filters.${filter}`, fail),
  );
  const color = chart.color === undefined ? undefined : parseChannel(chart.color, `${at}.color`, fail);
  return {
    name,
    title,
    ...(description === undefined ? {} : { description }),
    ...(query !== undefined ? { query } : { sqlFile: sqlFile ?? `charts/${name}.sql` }),
    mark: chart.mark as ChartConfig["mark"],
    x: parseChannel(chart.x, `${at}.x`, fail),
    y: parseChannel(chart.y, `${at}.y`, fail),
    ...(color === undefined ? {} : { color }),
    ...(chart.stack === undefined ? {} : { stack: chart.stack as boolean }),
    filters,
  };
}

function parseChannel(raw: unknown, at: string, fail: Fail): ChartChannelConfig {
  const channel = object(raw, at, fail);
  const text = (field: string) => {
    const value = channel[field];
    if (value !== undefined && (typeof value !== "string" || value === ""))
      throw fail(`${at}.${field}`, "must be a non-empty string");
    return value as string | undefined;
  };
  const field = text("field");
  if (field === undefined) throw fail(`${at}.field`, "names the result column the channel shows");
  const oneOf = <T extends string>(key: string, values: readonly T[]) => {
    const value = channel[key];
    if (value !== undefined && !values.includes(value as T))
      throw fail(`${at}.${key}`, `must be one of ${values.join(", ")}`);
    return value as T | undefined;
  };
  const type = oneOf("type", CHART_FIELD_TYPES);
  const sort = oneOf("sort", CHART_SORT_ORDERS);
  const title = text("title");
  const format = text("format");
  return {
    field,
    ...(type === undefined ? {} : { type }),
    ...(title === undefined ? {} : { title }),
    ...(format === undefined ? {} : { format }),
    ...(sort === undefined ? {} : { sort }),
  };
}

function parseFilter(name: string, raw: unknown, at: string, fail: Fail): ChartFilterConfig {
  if (!NAME.test(name)) throw fail(at, "a filter name is lower-case letters, digits and _");
  const filter = object(raw, at, fail);
  if (typeof filter.column !== "string" || filter.column.trim() === "")
    throw fail(`${at}.column`, "must be the SQL expression the filter restricts");
  const match = filter.match ?? "equals";
  if (!CHART_FILTER_MATCHES.includes(match as never))
    throw fail(`${at}.match`, `must be one of ${CHART_FILTER_MATCHES.join(", ")}`);
  return { name, column: filter.column, match: match as ChartFilterConfig["match"] };
}

function object(value: unknown, field: string, fail: Fail): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw fail(field, "must be an object");
  return value as Record<string, unknown>;
}
