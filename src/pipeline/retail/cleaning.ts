/**
 * SQL for cleaning bronze text into typed silver values, shared by the retail models. Bronze keeps
 * text exactly as read; these expressions trim, normalise case, treat empty text as missing, and
 * parse the documented formats (anything else becomes NULL, for an expectation to catch).
 */
import { sqlIdentifier } from "../../engine/index.ts";

/** Accepted date formats, in the order they are tried: ISO 8601, then day/month/year. */
export const DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"] as const;

/** Trimmed text, empty as NULL, optionally upper- or lower-cased. */
export function textSql(column: string, normalize?: "upper" | "lower"): string {
  const trimmed = `NULLIF(trim(${sqlIdentifier(column)}), '')`;
  return normalize ? `${normalize}(${trimmed})` : trimmed;
}

/** A date in one of {@link DATE_FORMATS}; invalid dates (2023-02-30) and other text become NULL. */
export function dateSql(column: string): string {
  const text = textSql(column);
  return `CAST(coalesce(${DATE_FORMATS.map((f) => `try_strptime(${text}, '${f}')`).join(", ")}) AS DATE)`;
}

/** A money amount with 2 decimals; text that is not a number becomes NULL. */
export function priceSql(column: string): string {
  return `TRY_CAST(${textSql(column)} AS DECIMAL(12,2))`;
}

/** A whole number; other text becomes NULL. */
export function integerSql(column: string): string {
  return `TRY_CAST(${textSql(column)} AS INTEGER)`;
}
