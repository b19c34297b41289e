/**
 * Partition values as the log stores them ("Partition Value Serialization"): the strings of
 * `add.partitionValues` read into typed values (accepting what Spark, delta-rs and older writers
 * produced), typed values written in Spark's forms, and Spark's Hive-style directory names.
 * Values follow the representation of `values.ts`.
 */
import { decimalParams, type PrimitiveType } from "./schema.ts";
import { type DeltaValue, formatDate, formatTimestampMicros, parseDate } from "./values.ts";

/** The directory value Spark and Hive use for a null partition value. */
export const HIVE_DEFAULT_PARTITION = "__HIVE_DEFAULT_PARTITION__";

/**
 * Reads one `partitionValues` entry. `null`, a missing key and `""` are null for every type. Accepts:
 * integers in decimal digits; floats as `1.0`, `1`, `1.0E10`, `NaN`, `Infinity`, `inf`; booleans in any
 * case; dates `YYYY-MM-DD`; timestamps as `YYYY-MM-DD[ T]HH:MM[:SS[.fffffffff]]` with `Z`, an offset
 * (`-08:00`, `+0530`) or no zone (read as UTC, as delta-rs and delta-kernel-rs do); timestamp_ntz in the
 * same form without a zone; decimals in plain or exponent notation (`1E-7`), returned with exactly
 * `scale` fraction digits; binary as the UTF-8 bytes of the text. A string column keeps `"null"`.
 * @throws Error naming the type and the text when the text is not a value of the type.
 */
export function parsePartitionValue(text: string | null | undefined, type: PrimitiveType): DeltaValue {
  if (text === null || text === undefined || text === "" || type === "void") return null;
  const fail = (why = ""): Error =>
    new Error(`Invalid ${type} partition value ${JSON.stringify(text)}${why ? `: ${why}` : ""}`);
  switch (type) {
    case "string":
      return text;
    case "byte":
    case "short":
    case "integer":
    case "long": {
      if (!/^[+-]?\d+$/.test(text)) throw fail();
      const value = BigInt(text);
      const bits = INTEGER_BITS[type];
      if (value < -(1n << (bits - 1n)) || value >= 1n << (bits - 1n)) throw fail("out of range");
      return type === "long" ? value : Number(value);
    }
    case "float":
    case "double": {
      const value = parseFloating(text);
      if (value === undefined) throw fail();
      return type === "float" ? Math.fround(value) : value;
    }
    case "boolean": {
      const lower = text.toLowerCase();
      if (lower !== "true" && lower !== "false") throw fail();
      return lower === "true";
    }
    case "binary":
      return new TextEncoder().encode(text);
    case "date":
      try {
        return parseDate(text);
      } catch {
        throw fail();
      }
    case "timestamp":
    case "timestamp_ntz":
      return parseTimestamp(text, type === "timestamp", fail);
    default: {
      const decimal = decimalParams(type);
      if (!decimal) throw fail("unknown type");
      return normalizeDecimal(text, decimal.precision, decimal.scale, fail);
    }
  }
}

/**
 * Writes a value as Spark writes it into `partitionValues`: null (and `""`, which Delta cannot store)
 * as null; integers in digits; floats Java style (`1.0`, `-0.5`, `1.0E10`, `NaN`, `Infinity`); dates
 * `YYYY-MM-DD`; timestamps ISO-8601 UTC with micros (`2024-01-01T10:00:00.000000Z`); timestamp_ntz
 * `YYYY-MM-DD HH:MM:SS[.ffffff]` without trailing zeros; decimals in plain notation with exactly
 * `scale` digits; binary as its UTF-8 text. `parsePartitionValue` reads every result back unchanged.
 * @throws Error when the JS value is not the representation of `type` (see `values.ts`), is out of
 * the type's range, or is binary that is not UTF-8.
 */
export function serializePartitionValue(value: DeltaValue, type: PrimitiveType): string | null {
  if (value === null || type === "void") return null;
  const fail = (why: string): Error =>
    new Error(`Cannot write ${describe(value)} as a ${type} partition value: ${why}`);
  switch (type) {
    case "string":
      if (typeof value !== "string") throw fail("expected a string");
      return value === "" ? null : value;
    case "long":
      if (typeof value !== "bigint") throw fail("expected a bigint");
      return parsedBack(value.toString(), type, fail);
    case "byte":
    case "short":
    case "integer":
      if (!Number.isInteger(value)) throw fail("expected an integer number");
      return parsedBack(String(value), type, fail);
    case "float":
    case "double":
      if (typeof value !== "number") throw fail("expected a number");
      if (type === "float" && Math.fround(value) !== value && !Number.isNaN(value)) {
        throw fail("not a 32-bit float");
      }
      return javaFloatingString(value, type === "float");
    case "boolean":
      if (typeof value !== "boolean") throw fail("expected a boolean");
      return String(value);
    case "binary":
      if (!(value instanceof Uint8Array)) throw fail("expected a Uint8Array");
      try {
        return value.length === 0 ? null : new TextDecoder("utf-8", { fatal: true }).decode(value);
      } catch {
        throw fail("the bytes are not UTF-8 text");
      }
    case "date":
      if (!Number.isInteger(value) || Number(value) < MIN_DAYS || Number(value) > MAX_DAYS) {
        throw fail("expected a day number within years 0001..9999");
      }
      return formatDate(Number(value));
    case "timestamp":
    case "timestamp_ntz": {
      if (typeof value !== "bigint" || value < MIN_MICROS || value > MAX_MICROS) {
        throw fail("expected bigint microseconds within years 0001..9999");
      }
      if (type === "timestamp") return formatTimestampMicros(value, true);
      return formatTimestampMicros(value, false)
        .replace("T", " ")
        .replace(/\.?0+$/, "");
    }
    default: {
      const decimal = decimalParams(type);
      if (!decimal || typeof value !== "string") throw fail("expected a decimal string");
      return normalizeDecimal(value, decimal.precision, decimal.scale, (why) => fail(why ?? "not a decimal"));
    }
  }
}

/**
 * The Hive-style relative directory Spark writes a file of these partition values into, ending in
 * `/` (`""` for no columns): `name=value/` per column, names and values escaped as Spark's
 * `ExternalCatalogUtils.escapePathName` does on Linux (each of `" # % ' * / : = ? \ { [ ] ^`, DEL and
 * U+0001..U+001F as upper-case `%XX`), null or `""` as `__HIVE_DEFAULT_PARTITION__`. Directory names
 * are a convention, not read back (Spark names a timestamp directory after its session-zone text,
 * `ts=2024-01-01 10%3A00%3A00`); passing the `partitionValues` text is fine. The result is an on-disk
 * name: `encodeAddPath` (data-file-path.ts) turns it into `add.path`.
 */
export function partitionDirectory(columns: readonly { name: string; value: string | null }[]): string {
  return columns
    .map(({ name, value }) => {
      const escaped = value === null || value === "" ? HIVE_DEFAULT_PARTITION : escapePathName(value);
      return `${escapePathName(name)}=${escaped}/`;
    })
    .join("");
}

const INTEGER_BITS = { byte: 8n, short: 16n, integer: 32n, long: 64n } as const;
const MICROS_PER_DAY = 86_400_000_000n;
const MIN_DAYS = -719_162; // 0001-01-01
const MAX_DAYS = 2_932_896; // 9999-12-31
const MIN_MICROS = BigInt(MIN_DAYS) * MICROS_PER_DAY;
const MAX_MICROS = BigInt(MAX_DAYS + 1) * MICROS_PER_DAY - 1n;
const TIMESTAMP =
  /^([+-]?\d{4,6}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const HIVE_ESCAPED = new Set("\"#%'*/:=?\\{[]^\u007f");

function escapePathName(text: string): string {
  let out = "";
  for (const c of text) {
    const code = c.charCodeAt(0);
    const escaped = (code >= 0x01 && code <= 0x1f) || HIVE_ESCAPED.has(c);
    out += escaped ? `%${code.toString(16).toUpperCase().padStart(2, "0")}` : c;
  }
  return out;
}

function parseFloating(text: string): number | undefined {
  if (/^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i.test(text)) return Number(text);
  if (/^[+-]?nan$/i.test(text)) return Number.NaN;
  const inf = /^([+-]?)(?:inf|infinity)$/i.exec(text);
  if (inf) return inf[1] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  return undefined;
}

function parseTimestamp(text: string, utc: boolean, fail: (why?: string) => Error): bigint {
  const m = TIMESTAMP.exec(text);
  if (!m) throw fail();
  const [, date = "", hh = "0", mm = "0", ss = "0", fraction = "", zone] = m;
  if (zone && !utc) throw fail("timestamp_ntz has no time zone");
  let days: number;
  try {
    days = parseDate(date);
  } catch {
    throw fail("invalid date");
  }
  const [h, min, s] = [Number(hh), Number(mm), Number(ss)];
  if (h > 23 || min > 59 || s > 59) throw fail("invalid time of day");
  let offsetMinutes = 0;
  if (zone && zone.toUpperCase() !== "Z") {
    const digits = zone.slice(1).replace(":", "");
    const [oh, om] = [Number(digits.slice(0, 2)), Number(digits.slice(2) || "0")];
    if (oh > 18 || om > 59) throw fail("invalid zone offset");
    offsetMinutes = (zone.startsWith("-") ? -1 : 1) * (oh * 60 + om);
  }
  const seconds = BigInt(h * 3600 + min * 60 + s - offsetMinutes * 60);
  // Digits past microseconds are dropped, which rounds down like Spark's cast to a timestamp.
  return BigInt(days) * MICROS_PER_DAY + seconds * 1_000_000n + BigInt(fraction.padEnd(6, "0").slice(0, 6));
}

/**
 * Plain notation with exactly `scale` fraction digits; exponent forms accepted. Throws (through
 * `fail`) when digits would be lost or the value needs more than `precision` digits.
 */
function normalizeDecimal(
  text: string,
  precision: number,
  scale: number,
  fail: (why?: string) => Error,
): string {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text);
  const [, sign = "", int = "", fraction = "", exponent = "0"] = m ?? [];
  if (!m || int.length + fraction.length === 0) throw fail();
  const tooBig = () => fail(`does not fit decimal(${precision},${scale})`);
  const shift = Number(exponent) - fraction.length + scale;
  let unscaled = (int + fraction).replace(/^0+/, "");
  if (unscaled !== "" && shift > precision) throw tooBig();
  if (shift >= 0) unscaled += unscaled === "" ? "" : "0".repeat(shift);
  else if (/[^0]/.test(unscaled.slice(shift))) throw fail(`has more than ${scale} fraction digits`);
  else unscaled = unscaled.slice(0, shift);
  if (unscaled.length > precision) throw tooBig();
  const padded = unscaled.padStart(scale + 1, "0");
  const plain = scale === 0 ? padded : `${padded.slice(0, -scale)}.${padded.slice(-scale)}`;
  return sign === "-" && unscaled !== "" ? `-${plain}` : plain;
}

/** Java's `Double.toString` / `Float.toString`: shortest digits, plain in [1e-3, 1e7), else `d.dEn`. */
function javaFloatingString(value: number, float: boolean): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  const [mantissa = "", exponentText = "0"] = shortestExponential(Math.abs(value), float).split("e");
  const digits = mantissa.replace(".", "").replace(/(.)0+$/, "$1");
  const exponent = Number(exponentText);
  const sign = value < 0 ? "-" : "";
  if (Math.abs(value) >= 1e-3 && Math.abs(value) < 1e7) {
    if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
    const int = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
    return `${sign}${int}.${digits.slice(exponent + 1) || "0"}`;
  }
  return `${sign}${digits[0]}.${digits.slice(1) || "0"}E${exponent}`;
}

function shortestExponential(abs: number, float: boolean): string {
  const roundTrips = (text: string) => (float ? Math.fround(Number(text)) : Number(text)) === abs;
  let text = abs.toExponential(8);
  for (let precision = 1; precision <= 17; precision++) {
    text = abs.toExponential(precision - 1);
    if (roundTrips(text)) break;
  }
  // Like Java (JDK 19+), one significant digit gives way to the closest two-digit decimal: 4.9E-324.
  const two = abs.toExponential(1);
  return !text.includes(".") && roundTrips(two) ? two : text;
}

function parsedBack(text: string, type: PrimitiveType, fail: (why: string) => Error): string {
  try {
    parsePartitionValue(text, type);
  } catch {
    throw fail("out of range");
  }
  return text;
}

function describe(value: DeltaValue): string {
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "string") return JSON.stringify(value);
  if (value instanceof Uint8Array) return `Uint8Array(${value.length})`;
  return typeof value === "object" ? "a nested value" : String(value);
}
