/**
 * Parsing the text DuckDB gives for values of primitive types (a VARCHAR cast, as in
 * `COPY ... RETURN_STATS` min/max and partition keys) into Delta values.
 */
import { type DeltaValue, decimalParams, type PrimitiveType, parseDate } from "../delta/index.ts";

const TIMESTAMP =
  /^(-?\d{4,})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([+-])(\d{2})(?::?(\d{2}))?(?::(\d{2}))?|Z)?$/;
/** DuckDB prints years before 1 as `0001-01-01 (BC)` (1 BC, the astronomical year 0), in timestamps before the time. */
const BC = /^(\d{4,})(-\d{2}-\d{2}) \(BC\)/;

/**
 * The Delta value of DuckDB's text for a value of `type`; `undefined` for types DuckDB text does not
 * round-trip (binary) so callers leave such stats out.
 * @throws Error for text that is not a value of the type.
 */
export function parseDuckDbText(text: string, type: PrimitiveType): DeltaValue | undefined {
  switch (type) {
    case "string":
      return text;
    case "long":
      return BigInt(text);
    case "integer":
    case "short":
    case "byte":
    case "float":
    case "double": {
      const value =
        text === "inf" ? Number.POSITIVE_INFINITY : text === "-inf" ? Number.NEGATIVE_INFINITY : Number(text);
      if (Number.isNaN(value) && text.toLowerCase() !== "nan")
        throw new Error(`not a number: ${JSON.stringify(text)}`);
      // DuckDB prints a FLOAT by its shortest decimal form; the value is the nearest 32-bit float.
      return type === "float" ? Math.fround(value) : value;
    }
    case "boolean":
      return text === "true" || text === "1";
    case "date":
      return parseDate(astronomical(text));
    case "timestamp":
    case "timestamp_ntz":
      return timestampMicros(text);
    case "binary":
    case "void":
      return undefined;
    default: {
      const decimal = decimalParams(type);
      if (decimal === undefined) throw new Error(`unexpected type ${type}`);
      return normalizeDecimal(text, decimal.scale);
    }
  }
}

/** Microseconds since the epoch of `2024-01-31 10:00:00.123456[+00[:00]]` (UTC when no offset). */
export function timestampMicros(text: string): bigint {
  const m = TIMESTAMP.exec(astronomical(text.trim()));
  if (!m) throw new Error(`not a timestamp: ${JSON.stringify(text)}`);
  const [, y, mo, d, h, mi, s, frac = "", sign, oh = "0", om = "0", os = "0"] = m;
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not read years 0..99 as 1900..1999.
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(s));
  const ms = date.getTime();
  const offsetSeconds =
    sign === undefined ? 0 : (sign === "-" ? -1 : 1) * (Number(oh) * 3600 + Number(om) * 60 + Number(os));
  const micros = BigInt(frac.padEnd(6, "0").slice(0, 6));
  return (BigInt(ms) / 1000n - BigInt(offsetSeconds)) * 1_000_000n + micros;
}

/**
 * The astronomical form of DuckDB's BC dates: `0001-01-01 (BC)` → `0000-01-01`, `0002-…` → `-0001-…`;
 * other text unchanged.
 */
function astronomical(text: string): string {
  const m = BC.exec(text);
  if (!m) return text;
  const year = 1 - Number(m[1]);
  const shown = `${year < 0 ? "-" : ""}${String(Math.abs(year)).padStart(4, "0")}`;
  return `${shown}${m[2]}${text.slice(m[0].length)}`;
}

/** Plain decimal text with exactly `scale` fraction digits (truncating extra digits). */
export function normalizeDecimal(text: string, scale: number): string {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!m) throw new Error(`not a decimal: ${JSON.stringify(text)}`);
  const [, sign = "", whole = "", fraction = ""] = m;
  const digits = `${whole.replace(/^0+(?=\d)/, "") || "0"}${scale > 0 ? `.${fraction.padEnd(scale, "0").slice(0, scale)}` : ""}`;
  return sign === "-" && /[1-9]/.test(digits) ? `-${digits}` : digits;
}
