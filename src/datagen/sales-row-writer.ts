/**
 * Writes sales lines, one call per row, into a chunk's byte buffer: the row's date from the calendar,
 * a basket context that several lines share, then product, quantity, price and discount per line,
 * with the planted dirt of the row (if any) written in place of the clean value.
 */
import { ByteWriter, utf8 } from "./byte-writer.ts";
import { civilFromDays, dayOfRow, FIRST_DAY, writeIsoDate } from "./calendar.ts";
import { dirtCode } from "./dirt-plan.ts";
import type { Rng } from "./rng.ts";
import type { SalesModel } from "./sales-model.ts";

const COMMA = 44;
const MAX_UNITS = 12;
const CUSTOMER_ID_MAX = 9_999_999;
const PRODUCT_ID_MAX = 99_999;

const EXACT = dirtCode("duplicate_exact");
const CONFLICT = dirtCode("duplicate_id_conflict");
const WHITESPACE = dirtCode("whitespace_case");
const DAY_FIRST = dirtCode("date_day_first");
const BAD_DATE = dirtCode("date_invalid");
const QTY_ZERO = dirtCode("quantity_zero");
const QTY_NEGATIVE = dirtCode("quantity_negative");
const CUSTOMER_MISSING = dirtCode("customer_missing");
const CUSTOMER_UNKNOWN = dirtCode("customer_unknown");
const PRODUCT_MISSING = dirtCode("product_missing");
const PRODUCT_UNKNOWN = dirtCode("product_unknown");
const PRICE_UNPARSEABLE = dirtCode("price_unparseable");
const PRICE_NEGATIVE = dirtCode("price_negative");
const COLUMN_COUNT = dirtCode("malformed_column_count");
const BAD_QUOTE = dirtCode("malformed_quote");

/** Payment methods in their clean spelling, then as stray-case variants (same order). */
const PAYMENT = ["card", "cash", "mobile", '"store credit, promo"'].map(utf8);
const PAYMENT_PADDED = [" Card ", " Cash ", " Mobile ", '" Store Credit, Promo "'].map(utf8);
const PAYMENT_UPPER = ["CARD", "CASH", "MOBILE", '"STORE CREDIT, PROMO"'].map(utf8);
const CARD = 0;
const CASH = 1;
const MOBILE = 2;
const STORE_CREDIT = 3;
const BAD_QUOTES = ['"card "contactless""', '"store credit, "promo""'].map(utf8);
const CHANNEL = ["store", "online"].map(utf8);
const CHANNEL_ODD = [" store", "STORE", "ONLINE", "Online "].map(utf8);
const BAD_DATES = ["-02-30", "-13-01", "-06-31"].map(utf8);
const NOT_A_DATE = utf8("not a date");
const NA = utf8("N/A");
/** Not an empty field: DuckDB accepts a trailing empty field even in strict mode. */
const EXTRA_FIELD = utf8(",gift");
const DISCOUNTS = [5, 10, 15, 20, 25];
/** Cumulative probabilities of basket sizes 1..8. */
const BASKET_SIZE = [0.4, 0.65, 0.8, 0.89, 0.94, 0.97, 0.99, 1];

/** Writes the lines of one chunk in row order (see the module header). */
export class SalesRowWriter {
  private readonly lineStart: Int32Array;
  private readonly units: Int8Array;
  private readonly date = new Uint8Array(10);
  private year = 0;
  private month = 0;
  private dom = 0;
  private day: number;
  private dayEnd = 0;
  private basketLeft = 0;
  private online = 0;
  private location = 0;
  private region = 0;
  private customer = 0;
  private payment = 0;

  /** A writer for rows `first .. first + rows - 1` of the model, appending to `out`. */
  constructor(
    private readonly model: SalesModel,
    private readonly rng: Rng,
    private readonly out: ByteWriter,
    private readonly first: number,
    rows: number,
  ) {
    this.lineStart = new Int32Array(rows);
    this.units = new Int8Array(rows);
    // nextDay() moves to the day that holds `first` at the first row.
    this.day = dayOfRow(model.dayStarts, first) - 1;
  }

  /**
   * Writes row `i` of the chunk with dirt `code` (CLEAN, SOURCE or a dirtCode); `source` is the row a
   * duplicate copies. Rows must come in order.
   */
  row(i: number, code: number, source: number): void {
    const w = this.out;
    const rng = this.rng;
    const row = this.first + i;
    this.lineStart[i] = w.pos;
    while (row >= this.dayEnd) this.nextDay();
    if (code === EXACT) {
      // The source is the row before (planDirt), so its line ends where this one starts.
      w.repeat(this.lineStart[source] as number, this.lineStart[i] as number);
      this.units[i] = this.units[source] as number;
      return;
    }
    if (this.basketLeft === 0) this.newBasket();
    this.basketLeft--;
    const variant = code === WHITESPACE ? rng.int(4) : -1;

    w.byte(84); // T
    w.digits(code === CONFLICT ? this.first + source + 1 : row + 1, 10);
    w.byte(COMMA);
    this.writeDate(code);
    w.byte(COMMA);
    this.writeCustomer(code, variant);
    w.byte(COMMA);

    const model = this.model;
    const category = this.drawCategory();
    const start = model.categoryStart[category] as number;
    const size = (model.categoryStart[category + 1] as number) - start;
    const u = rng.float();
    const product = model.categoryProducts[start + Math.floor(size * u * u * u)] as number;
    if (code === PRODUCT_UNKNOWN) {
      w.byte(80);
      w.digits(model.products + 1 + rng.int(PRODUCT_ID_MAX - model.products), 5);
    } else if (code !== PRODUCT_MISSING) {
      w.byte(80);
      w.digits(product + 1, 5);
    }
    w.byte(COMMA);
    w.byte(76); // L
    w.digits(this.location + 1, 4);
    w.byte(COMMA);

    let units = 1;
    const more = model.moreUnits[category] as number;
    while (units < MAX_UNITS && rng.float() < more) units++;
    if (code === CONFLICT) {
      const theirs = this.units[source] as number;
      units = theirs >= MAX_UNITS ? theirs - 1 : theirs + 1;
    }
    this.units[i] = units;
    if (code === QTY_ZERO) w.byte(48);
    else if (code === QTY_NEGATIVE) w.int(-1 - rng.int(3));
    else w.int(units);
    w.byte(COMMA);

    const price = Math.round(((model.listCents[product] as number) * (900 + rng.int(201))) / 1000);
    if (code === PRICE_UNPARSEABLE) {
      if (rng.chance(0.5)) w.bytes(NA);
    } else w.cents(code === PRICE_NEGATIVE ? -price : price);
    w.byte(COMMA);

    const discountChance = this.month >= 11 ? 0.42 : 0.27;
    const discount = rng.float() < discountChance ? (DISCOUNTS[rng.int(5)] as number) : 0;
    const shortLine = code === COLUMN_COUNT && rng.chance(0.5);
    if (!shortLine) {
      w.int(discount);
      w.byte(COMMA);
    }

    // Index choices below stay within the arrays they index (payment 0..3, variant 0..3).
    if (code === BAD_QUOTE) w.bytes(BAD_QUOTES[this.payment === STORE_CREDIT ? 1 : 0] as Uint8Array);
    else if (variant === 0) w.bytes(PAYMENT_PADDED[this.payment] as Uint8Array);
    else if (variant === 1) w.bytes(PAYMENT_UPPER[this.payment] as Uint8Array);
    else w.bytes(PAYMENT[this.payment] as Uint8Array);
    w.byte(COMMA);
    if (variant === 2) w.bytes(CHANNEL_ODD[this.online * 2 + rng.int(2)] as Uint8Array);
    else w.bytes(CHANNEL[this.online] as Uint8Array);
    if (code === COLUMN_COUNT && !shortLine) w.bytes(EXTRA_FIELD);
    w.byte(10);
  }

  private writeDate(code: number): void {
    const w = this.out;
    if (code === DAY_FIRST) {
      w.digits(this.dom, 2);
      w.byte(47);
      w.digits(this.month, 2);
      w.byte(47);
      w.digits(this.year, 4);
    } else if (code === BAD_DATE) {
      const kind = this.rng.int(5);
      if (kind < 3) {
        w.digits(this.year, 4);
        w.bytes(BAD_DATES[kind] as Uint8Array);
      } else if (kind === 3) w.bytes(NOT_A_DATE);
    } else w.bytes(this.date);
  }

  private writeCustomer(code: number, variant: number): void {
    const w = this.out;
    if (code === CUSTOMER_MISSING) return;
    if (code === CUSTOMER_UNKNOWN) {
      w.byte(67);
      w.digits(this.model.customers + 1 + this.rng.int(CUSTOMER_ID_MAX - this.model.customers), 7);
      return;
    }
    if (variant === 3) {
      w.byte(32);
      w.byte(99); // c
    } else w.byte(67); // C
    w.digits(this.customer, 7);
  }

  private drawCategory(): number {
    const weights = this.model.regionCategories;
    const count = this.model.categoryStart.length - 1;
    const base = this.region * count;
    const target = this.rng.float() * (weights[base + count - 1] as number);
    let c = 0;
    while (c < count - 1 && (weights[base + c] as number) <= target) c++;
    return c;
  }

  private newBasket(): void {
    const rng = this.rng;
    const model = this.model;
    const sizeRoll = rng.float();
    let size = 1;
    while (size < BASKET_SIZE.length && (BASKET_SIZE[size - 1] as number) <= sizeRoll) size++;
    this.basketLeft = size;
    this.online = rng.float() < 0.12 + 0.04 * (this.year - 2021) ? 1 : 0;
    this.location = this.online
      ? (model.onlineLocations[rng.weighted(model.onlineWeights)] as number)
      : (model.storeLocations[rng.weighted(model.storeWeights)] as number);
    this.region = model.locationRegion[this.location] as number;
    const u = rng.float();
    const rank = Math.floor(model.customers * u * u);
    this.customer = ((rank * model.customerStride + model.customerOffset) % model.customers) + 1;
    const p = rng.float();
    this.payment = this.online
      ? p < 0.62
        ? CARD
        : p < 0.92
          ? MOBILE
          : STORE_CREDIT
      : p < 0.5
        ? CARD
        : p < 0.74
          ? CASH
          : p < 0.93
            ? MOBILE
            : STORE_CREDIT;
  }

  private nextDay(): void {
    this.day++;
    this.dayEnd = this.model.dayStarts[this.day + 1] as number;
    const [y, m, d] = civilFromDays(FIRST_DAY + this.day);
    this.year = y;
    this.month = m;
    this.dom = d;
    const scratch = new ByteWriter(10);
    writeIsoDate(scratch, FIRST_DAY + this.day);
    this.date.set(scratch.buf);
    this.basketLeft = 0;
  }
}
