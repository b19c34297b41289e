/**
 * Validation of every request parameter, before anything reaches lake/: a table name is a project
 * table's shape (the project then checks it is one of its tables), a version is a whole number, a
 * timestamp parses, SQL is text of bounded length.
 */

/** A request parameter that is not valid; the server answers 400 with the message. */
export class BadParameterError extends Error {
  constructor(
    readonly parameter: string,
    problem: string,
  ) {
    super(`${parameter}: ${problem}`);
    this.name = "BadParameterError";
  }
}

const TABLE_NAME = /^(bronze|silver|gold|_system)\.[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** `zone.table`. @throws BadParameterError for anything else. */
export function tableName(value: string): string {
  if (!TABLE_NAME.test(value))
    throw new BadParameterError("table", "must be zone.table, like silver.sales_enriched");
  return value;
}

/** A version or an instant to open a table at, from `?version=` or `?timestamp=` (not both). */
export function tableAt(query: {
  readonly version?: string | undefined;
  readonly timestamp?: string | undefined;
}): { version?: number; timestamp?: number } {
  const version = query.version?.trim() || undefined;
  const timestamp = query.timestamp?.trim() || undefined;
  if (version !== undefined && timestamp !== undefined)
    throw new BadParameterError("version", "give a version or a timestamp, not both");
  if (version !== undefined) {
    if (!/^\d{1,15}$/.test(version)) throw new BadParameterError("version", "must be a whole number >= 0");
    return { version: Number(version) };
  }
  if (timestamp !== undefined) {
    const ms =
      timestamp.length <= 40
        ? Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(timestamp) ? timestamp : `${timestamp}Z`)
        : Number.NaN;
    if (!/^\d{4}-\d{2}-\d{2}/.test(timestamp) || Number.isNaN(ms))
      throw new BadParameterError("timestamp", "must be an ISO-8601 timestamp like 2024-05-01T12:00:00Z");
    return { timestamp: ms };
  }
  return {};
}

/** The most SQL text the console takes. */
export const MAX_SQL_LENGTH = 100_000;

/** The console's SQL from a JSON body `{ "sql": "…" }`. */
export function sqlText(body: unknown): string {
  const sql = body !== null && typeof body === "object" ? (body as { sql?: unknown }).sql : undefined;
  if (typeof sql !== "string" || sql.trim() === "")
    throw new BadParameterError("sql", "must be the SQL text");
  if (sql.length > MAX_SQL_LENGTH)
    throw new BadParameterError("sql", `is longer than ${MAX_SQL_LENGTH.toLocaleString("en-US")} characters`);
  return sql;
}

/** The Marts page's filters: region and category as short text, from and to as YYYY-MM or YYYY-MM-DD. */
export function martFilters(query: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const filters: Record<string, string> = {};
  for (const name of ["region", "category"]) {
    const value = query[name]?.trim();
    if (!value) continue;
    if (value.length > 200 || /\p{Cc}/u.test(value))
      throw new BadParameterError(name, "must be a short line of text");
    filters[name] = value;
  }
  for (const name of ["from", "to"]) {
    const value = query[name]?.trim();
    if (!value) continue;
    if (!isMonthOrDay(value))
      throw new BadParameterError(name, "must be a month like 2024-05 or a day like 2024-05-31");
    filters[name] = value;
  }
  return filters;
}

/** `YYYY-MM` or `YYYY-MM-DD` naming a real month or day. */
function isMonthOrDay(value: string): boolean {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(value);
  if (m === null) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3] ?? 1)));
  return date.toISOString().slice(0, m[3] === undefined ? 7 : 10) === value;
}
