/**
 * How values of Delta types are represented in JavaScript, everywhere above the Parquet reader:
 *
 * | Delta type                    | JS value                                        |
 * |-------------------------------|-------------------------------------------------|
 * | string                        | string                                          |
 * | long                          | bigint                                          |
 * | integer, short, byte          | number                                          |
 * | float, double                 | number (NaN and ±Infinity included)             |
 * | decimal(p,s)                  | string in plain notation with exactly s digits  |
 * | boolean                       | boolean                                         |
 * | binary                        | Uint8Array                                      |
 * | date                          | number of days since 1970-01-01                 |
 * | timestamp, timestamp_ntz      | bigint microseconds since 1970-01-01T00:00 (UTC, resp. wall clock) |
 * | struct                        | plain object keyed by field name                |
 * | array                         | array                                           |
 * | map                           | {@link MapValue}                                |
 * | null                          | null                                            |
 */

/** A map value: its entries in the order the data holds them. */
export class MapValue {
  constructor(readonly entries: ReadonlyArray<readonly [DeltaValue, DeltaValue]>) {}
}

export type DeltaValue =
  | null
  | string
  | number
  | bigint
  | boolean
  | Uint8Array
  | MapValue
  | readonly DeltaValue[]
  | { readonly [field: string]: DeltaValue };

/** One row of a table: top-level column name → value. */
export type Row = Record<string, DeltaValue>;

const MICROS_PER_MS = 1000n;
const MS_PER_DAY = 86_400_000;
const MICROS_PER_DAY = 86_400_000_000n;

/**
 * The days a Delta date holds: 0001-01-01 … 9999-12-31 (proleptic Gregorian), the range of Spark's
 * DateType, and the range in which a date's `YYYY-MM-DD` text (stats, partition values) is the ISO form
 * every reader parses. Timestamps hold the instants of those days.
 */
export const DATE_RANGE = { first: -719_162, last: 2_932_896 } as const;

/**
 * True when `value`, a JS value of the date or timestamp type `type`, lies in {@link DATE_RANGE}
 * (values of other types always do).
 */
export function inDateRange(value: DeltaValue, type: string): boolean {
  if (type === "date" && typeof value === "number")
    return value >= DATE_RANGE.first && value <= DATE_RANGE.last;
  if ((type === "timestamp" || type === "timestamp_ntz") && typeof value === "bigint")
    return (
      value >= BigInt(DATE_RANGE.first) * MICROS_PER_DAY &&
      value < BigInt(DATE_RANGE.last + 1) * MICROS_PER_DAY
    );
  return true;
}

/** `YYYY-MM-DD` for a day number (proleptic Gregorian, as Spark and Parquet count). */
export function formatDate(days: number): string {
  return new Date(days * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The day number of a `YYYY-MM-DD` date. @throws Error for text that is not such a date. */
export function parseDate(text: string): number {
  const match = /^([+-]?\d{4,6})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) throw new Error(`not a date: ${JSON.stringify(text)}`);
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not read years 0..99 as 1900..1999.
  date.setUTCFullYear(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  const ms = date.getTime();
  if (date.getUTCDate() !== Number(match[3]) || date.getUTCMonth() !== Number(match[2]) - 1) {
    throw new Error(`not a valid calendar date: ${JSON.stringify(text)}`);
  }
  return Math.round(ms / MS_PER_DAY);
}

/**
 * ISO-8601 text of a timestamp in microseconds: `2024-01-31T10:00:00.123456` plus `Z` when `utc`.
 */
export function formatTimestampMicros(micros: bigint, utc: boolean): string {
  let ms = micros / MICROS_PER_MS;
  let rest = micros % MICROS_PER_MS;
  if (rest < 0n) {
    rest += MICROS_PER_MS;
    ms -= 1n;
  }
  // Delta data stays within years 0001..9999, where toISOString gives YYYY-MM-DDTHH:MM:SS.mmmZ.
  const base = new Date(Number(ms)).toISOString().slice(0, 23);
  return `${base}${rest.toString().padStart(3, "0")}${utc ? "Z" : ""}`;
}

/** Lowercase hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const byte of bytes) out += byte.toString(16).padStart(2, "0");
  return out;
}
