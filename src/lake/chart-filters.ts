/**
 * A chart's filters as SQL: the condition that replaces `{{filters}}` in its query. Values are
 * quoted literals (a text compared as text, a date checked to be one), never pasted SQL.
 */
import { type ChartConfig, type ChartFilterConfig, FILTERS_PLACEHOLDER } from "../pipeline/index.ts";
import { LakeUsageError } from "./errors.ts";

const DATE = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/;

/**
 * `sql` with its placeholder replaced by the condition of the filters in `values` that `chart`
 * declares (values for filters it does not offer, and empty values, are left out), and the filters
 * applied.
 * @throws LakeUsageError for a from/to value that is not a date (YYYY-MM or YYYY-MM-DD).
 */
export function applyChartFilters(
  chart: Pick<ChartConfig, "name" | "filters">,
  sql: string,
  values: Readonly<Record<string, string>>,
): { sql: string; applied: Record<string, string> } {
  const applied: Record<string, string> = {};
  const conditions: string[] = [];
  for (const filter of chart.filters) {
    const value = values[filter.name];
    if (value === undefined || value === "") continue;
    conditions.push(condition(chart.name, filter, value));
    applied[filter.name] = value;
  }
  const where = conditions.length === 0 ? "TRUE" : conditions.map((c) => `(${c})`).join(" AND ");
  return { sql: sql.split(FILTERS_PLACEHOLDER).join(where), applied };
}

function condition(chart: string, filter: ChartFilterConfig, value: string): string {
  if (filter.match === "equals") return `CAST((${filter.column}) AS VARCHAR) = ${literal(value)}`;
  const day = dayOf(value, filter.match);
  if (day === undefined)
    throw new LakeUsageError(
      `chart ${chart}: filter ${filter.name} takes a date like 2024-05 or 2024-05-31, got "${value}"`,
    );
  return `(${filter.column}) ${filter.match === "from" ? ">=" : "<="} DATE '${day}'`;
}

/** The day a from/to value means: a month starts on its first day and ends on its last. */
function dayOf(value: string, match: "from" | "to"): string | undefined {
  const m = DATE.exec(value);
  if (m === null) return undefined;
  const [year, month] = [Number(m[1]), Number(m[2])];
  const day =
    m[3] !== undefined
      ? Number(m[3])
      : match === "from"
        ? 1
        : new Date(Date.UTC(year, month, 0)).getUTCDate();
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 2024-02-30 over into March: a date that does not come back is not a date.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return undefined;
  return date.toISOString().slice(0, 10);
}

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
