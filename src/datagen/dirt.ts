/**
 * The one place where the sales file's deliberate dirt is defined: every kind, its rate, whether a
 * cleaning step can recover it, and what it looks like. The generator plants exactly
 * `dirtQuota(kind, rows)` rows of each kind per chunk, each planted row has exactly one kind, and the
 * manifest reports the exact totals, so tests and the pipeline's accounting can assert exact numbers.
 * docs/DATASET.md explains the same table for readers of the data.
 */

/** The names of the dirt kinds, in the order of `DIRT`. */
export const DIRT_KINDS = [
  "whitespace_case",
  "date_day_first",
  "date_invalid",
  "quantity_zero",
  "quantity_negative",
  "customer_missing",
  "customer_unknown",
  "product_missing",
  "product_unknown",
  "price_unparseable",
  "price_negative",
  "duplicate_exact",
  "duplicate_id_conflict",
  "malformed_column_count",
  "malformed_quote",
] as const;

/** One kind of planted dirt. */
export type DirtKind = (typeof DIRT_KINDS)[number];

/** What one kind of dirt is and how often it occurs. */
export interface DirtSpec {
  readonly kind: DirtKind;
  /** Rows of this kind per million sales rows. */
  readonly ppm: number;
  /** True when trimming, case folding or a documented date format turns the row into a valid one. */
  readonly recoverable: boolean;
  /** The column it is in (or `line` for the whole line). */
  readonly column: string;
  readonly description: string;
  /** Literal examples as they appear in the file (`C0001234` stands for any id). */
  readonly examples: readonly string[];
}

/**
 * Every dirt kind with its rate, in `DIRT_KINDS` order. The error kinds add up to 0.43 % of the rows,
 * 0.48 % with the day-first dates; stray whitespace and case add 1 %.
 */
export const DIRT: readonly DirtSpec[] = [
  spec(
    "whitespace_case",
    10_000,
    true,
    "payment_method, channel, customer_id",
    "Stray spaces and wrong case; trim + lower-case payment_method and channel, trim + upper-case customer_id.",
    [" Card ", "CASH", "Mobile", "ONLINE", " store", " c0001234"],
  ),
  spec(
    "date_day_first",
    500,
    true,
    "order_date",
    "The right date written day first (DD/MM/YYYY), as a second documented format.",
    ["31/12/2022"],
  ),
  spec(
    "date_invalid",
    600,
    false,
    "order_date",
    "A date that no format parses: impossible days and months, text, or nothing.",
    ["2023-02-30", "2022-13-01", "2024-06-31", "not a date", ""],
  ),
  spec("quantity_zero", 400, false, "quantity", "Zero units.", ["0"]),
  spec("quantity_negative", 400, false, "quantity", "A negative number of units.", ["-1", "-3"]),
  spec("customer_missing", 400, false, "customer_id", "No customer id.", [""]),
  spec(
    "customer_unknown",
    400,
    false,
    "customer_id",
    "A well-formed customer id that is not in customers.csv (above the highest id).",
    ["C9123456"],
  ),
  spec("product_missing", 300, false, "product_id", "No product id.", [""]),
  spec(
    "product_unknown",
    300,
    false,
    "product_id",
    "A well-formed product id that is not in products.csv (above the highest id).",
    ["P91234"],
  ),
  spec("price_unparseable", 300, false, "unit_price", "A price that does not parse as a number.", [
    "N/A",
    "",
  ]),
  spec("price_negative", 200, false, "unit_price", "A price that parses but is below zero.", ["-19.99"]),
  spec(
    "duplicate_exact",
    500,
    false,
    "line",
    "An exact copy of the line before it (same transaction id, same content).",
    [],
  ),
  spec(
    "duplicate_id_conflict",
    200,
    false,
    "transaction_id",
    "The transaction id of an earlier line in the file with different content (another quantity).",
    [],
  ),
  spec(
    "malformed_column_count",
    200,
    false,
    "line",
    "9 fields (discount_pct left out) or 11 (a trailing comma).",
    [],
  ),
  spec(
    "malformed_quote",
    100,
    false,
    "payment_method",
    "A quoted field with an unescaped quote inside; quotes stay balanced on the line, so a strict CSV reader rejects just this line.",
    ['"store credit, "promo""', '"card "contactless""'],
  ),
];

/** How many rows of `kind` a chunk of `rows` sales rows holds: floor(rows × ppm / 10^6). */
export function dirtQuota(kind: DirtSpec, rows: number): number {
  return Math.floor((rows * kind.ppm) / 1_000_000);
}

/** A count per kind, every kind present (0 when none were planted). */
export type DirtCounts = Record<DirtKind, number>;

/** Counts from an array indexed like `DIRT_KINDS`. */
export function dirtCounts(byIndex: ArrayLike<number>): DirtCounts {
  const counts = {} as DirtCounts;
  DIRT_KINDS.forEach((kind, i) => {
    counts[kind] = byIndex[i] ?? 0;
  });
  return counts;
}

function spec(
  kind: DirtKind,
  ppm: number,
  recoverable: boolean,
  column: string,
  description: string,
  examples: readonly string[],
): DirtSpec {
  return { kind, ppm, recoverable, column, description, examples };
}
