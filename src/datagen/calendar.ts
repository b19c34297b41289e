/**
 * The sales calendar: 2021-01-01 to 2024-12-31, how many sales rows fall on each day (growth over the
 * years, Q4 and Black Friday peaks, weekend bumps, quiet holidays), and date arithmetic on day numbers
 * (days since 1970-01-01) with integers only.
 */
import type { ByteWriter } from "./byte-writer.ts";
import { Rng, STREAM } from "./rng.ts";

/** Day number of the first sales day, 2021-01-01. */
export const FIRST_DAY = daysFromCivil(2021, 1, 1);
/** Number of sales days: 2021-01-01 through 2024-12-31. */
export const DAY_COUNT = daysFromCivil(2024, 12, 31) - FIRST_DAY + 1;

const MONTH_FACTOR = [0.85, 0.8, 0.92, 0.95, 0.98, 0.97, 1.0, 1.02, 0.95, 1.02, 1.3, 1.6];
/** Sunday first, as `weekday` counts. */
const WEEKDAY_FACTOR = [1.2, 0.88, 0.9, 0.93, 0.98, 1.1, 1.38];
/** Sales grow by this factor per year. */
const YEARLY_GROWTH = 1.38;

/**
 * Where each day's rows start in the date-ordered sales file: `DAY_COUNT + 1` ascending row numbers,
 * the first 0 and the last `rows`. Day d holds rows `start[d] .. start[d + 1] - 1`. The rows are
 * spread by weight with the largest-remainder method, so the sum is exact.
 */
export function dayStarts(seed: number, rows: number): Float64Array {
  const rng = new Rng(seed, STREAM.calendar);
  const weights = new Float64Array(DAY_COUNT);
  let total = 0;
  for (let d = 0; d < DAY_COUNT; d++) {
    weights[d] = dayWeight(FIRST_DAY + d) * (0.92 + 0.16 * rng.float());
    total += weights[d] as number;
  }
  const counts = new Float64Array(DAY_COUNT);
  const order: number[] = [];
  let assigned = 0;
  for (let d = 0; d < DAY_COUNT; d++) {
    const exact = ((weights[d] as number) * rows) / total;
    counts[d] = Math.floor(exact);
    assigned += counts[d] as number;
    weights[d] = exact - (counts[d] as number);
    order.push(d);
  }
  order.sort((a, b) => (weights[b] as number) - (weights[a] as number) || a - b);
  for (let i = 0; i < rows - assigned; i++) {
    const d = order[i % DAY_COUNT] as number;
    counts[d] = (counts[d] as number) + 1;
  }
  const starts = new Float64Array(DAY_COUNT + 1);
  for (let d = 0; d < DAY_COUNT; d++) starts[d + 1] = (starts[d] as number) + (counts[d] as number);
  return starts;
}

/** The day (0-based from FIRST_DAY) that holds row `row`, by binary search in `dayStarts` output. */
export function dayOfRow(starts: Float64Array, row: number): number {
  let lo = 0;
  let hi = DAY_COUNT - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if ((starts[mid] as number) <= row) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The day number of a calendar date (proleptic Gregorian; month and day 1-based). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The calendar date [year, month, day] of a day number (inverse of `daysFromCivil`). */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

/** `YYYY-MM-DD` of a day number. */
export function isoDate(days: number): string {
  const [y, m, d] = civilFromDays(days);
  return `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** Writes `YYYY-MM-DD` of a day number. */
export function writeIsoDate(w: ByteWriter, days: number): void {
  const [y, m, d] = civilFromDays(days);
  w.digits(y, 4);
  w.byte(45);
  w.digits(m, 2);
  w.byte(45);
  w.digits(d, 2);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(days: number): number {
  return (((days + 4) % 7) + 7) % 7;
}

function dayWeight(days: number): number {
  const [year, month, day] = civilFromDays(days);
  const growth = YEARLY_GROWTH ** ((days - FIRST_DAY) / 365.25);
  // MONTH_FACTOR has 12 entries, WEEKDAY_FACTOR 7: month is 1..12, weekday 0..6.
  let w = growth * (MONTH_FACTOR[month - 1] as number) * (WEEKDAY_FACTOR[weekday(days)] as number);
  if (month === 11 && isBlackFriday(year, day)) w *= 2.4;
  if (month === 12 && day >= 18 && day <= 23) w *= 1.25;
  if ((month === 12 && day === 25) || (month === 1 && day === 1)) w *= 0.3;
  return w;
}

/** The Friday after the fourth Thursday of November. */
function isBlackFriday(year: number, day: number): boolean {
  const firstWeekday = weekday(daysFromCivil(year, 11, 1));
  const firstThursday = 1 + ((4 - firstWeekday + 7) % 7);
  return day === firstThursday + 22;
}
