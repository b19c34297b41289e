/**
 * Key figures as a project declares them in lake.json (`figures`): a title and SQL over `zone.table`
 * names whose first row's first column is the figure (total revenue, customers, ...). The report
 * shows them above its charts.
 */

/** A key figure declared in the project. */
export interface FigureConfig {
  readonly name: string;
  readonly title: string;
  readonly query: string;
  /** currency, integer, number or percent (a ratio); default: the value as the query gives it. */
  readonly format?: FigureFormat;
  readonly description?: string;
}

export const FIGURE_FORMATS = ["currency", "integer", "number", "percent"] as const;
export type FigureFormat = (typeof FIGURE_FORMATS)[number];

type Fail = (field: string, problem: string) => Error;

/** Validates one entry of `figures` (its keys are checked against the schema by the caller). */
export function parseFigure(name: string, raw: unknown, fail: Fail): FigureConfig {
  const at = `figures.${name}`;
  if (!/^[a-z][a-z0-9_]*$/.test(name)) throw fail(at, "a figure name is lower-case letters, digits and _");
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw fail(at, "must be an object");
  const figure = raw as Record<string, unknown>;
  for (const field of ["title", "query", "description"]) {
    const value = figure[field];
    if (
      (value !== undefined || field !== "description") &&
      (typeof value !== "string" || value.trim() === "")
    )
      throw fail(`${at}.${field}`, field === "query" ? "must be SQL text" : "must be a non-empty string");
  }
  if (figure.format !== undefined && !FIGURE_FORMATS.includes(figure.format as FigureFormat))
    throw fail(`${at}.format`, `must be one of ${FIGURE_FORMATS.join(", ")}`);
  return {
    name,
    title: figure.title as string,
    query: figure.query as string,
    ...(figure.format === undefined ? {} : { format: figure.format as FigureFormat }),
    ...(figure.description === undefined ? {} : { description: figure.description as string }),
  };
}
