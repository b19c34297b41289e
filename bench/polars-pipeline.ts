/**
 * The pipeline benchmark's nodejs-polars run: the same transformations as `plain-duckdb.ts`, over
 * the same CSV files, in a process of its own so that its peak RSS is its own and a polars memory
 * blow-up cannot take the main benchmark down. `pipeline.ts` installs polars on demand (see
 * `polars-deps.ts`) and starts it with `POLARS_MAX_THREADS` set, as
 * `node --expose-gc --import tsx bench/polars-pipeline.ts '<PolarsTask JSON>'`.
 *
 * It prints one JSON line per event, a {@link PolarsEvent}: a line per stage as it finishes, then
 * the figures to compare with plain DuckDB. Where polars cannot do what DuckDB does, the code says
 * what it does instead. Money is DECIMAL as in plain DuckDB, and the one DOUBLE step (the rounded
 * discount) is computed the way DuckDB computes it, so the two agree to the cent, row for row.
 */
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { PipelineFigures } from "./plain-duckdb.ts";

/** What to run: where polars is installed, the dataset folder, the output folder. */
export interface PolarsTask {
  readonly polarsDir: string;
  readonly data: string;
  readonly out: string;
}

/** One line of output: a finished stage, or the figures at the end. */
export type PolarsEvent =
  | { readonly stage: string; readonly seconds: number; readonly peakRssMiB: number }
  | PipelineFigures;

const task = JSON.parse(process.argv[2] ?? "{}") as PolarsTask;
const pl = createRequire(join(task.polarsDir, "package.json"))("nodejs-polars") as Polars;
const { col, lit } = pl;
const emit = (event: PolarsEvent) => console.log(JSON.stringify(event));
const stage = async (label: string, work: () => Promise<void>) => {
  const start = performance.now();
  await work();
  const seconds = (performance.now() - start) / 1000;
  emit({ stage: label, seconds, peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) });
};

const out = (name: string) => join(task.out, name);
/** `NULLIF(trim(c), '')`, upper-cased if asked. DuckDB's trim strips spaces only. */
const text = (c: string, upper = false) => {
  const trimmed = col(c).str.stripChars(" ");
  const value = pl
    .when(trimmed.eq(lit("")))
    .then(lit(null))
    .otherwise(trimmed);
  return upper ? value.str.toUpperCase() : value;
};
const date = (c: string) =>
  text(c).str.strptime(pl.Date, "%Y-%m-%d").fillNull(text(c).str.strptime(pl.Date, "%d/%m/%Y"));
/** A lazy CSV scan with every column read as text. */
const csv = (pattern: string, options: CsvOptions = {}) =>
  pl.scanCSV(join(task.data, pattern), { inferSchemaLength: 0, ...options });

// DuckDB's strict CSV reader rejects a line that is not exactly 10 RFC 4180 fields. polars has no
// strict mode: with `truncateRaggedLines` it pads short lines and cuts long ones, and it reads
// `"card "contactless""` as `card contactless`. So bronze also scans the files as raw lines (no
// separator, no quote char), stacks that scan beside the CSV scan row for row, and keeps the rows
// whose line is 10 well-formed fields.
const SALES = "sales_transactions_*.csv";
const FIELD = '(?:"(?:[^"]|"")*"|[^",]*)';
const TEN_FIELDS = `^${FIELD}(?:,${FIELD}){9}$`;
const salesRows = () => csv(SALES, { truncateRaggedLines: true });
const salesLines = () => csv(SALES, { schema: { _line: pl.Utf8 }, sep: "\x1f", quoteChar: "\x1e" });

await stage("  bronze (CSV → Parquet, text columns)", async () => {
  for (const table of ["customers", "products", "locations"]) {
    await csv(`${table}.csv`)
      .sinkParquet(out(`${table}.parquet`), { compression: "zstd" })
      .collect();
  }
  const wellFormed = salesLines().select(col("_line").str.contains(TEN_FIELDS).alias("_ok"));
  await pl
    .concat([salesRows(), wellFormed], { how: "horizontal" })
    .filter(col("_ok"))
    .drop("_ok")
    .sinkParquet(out("sales.parquet"), { compression: "zstd" })
    .collect();
});
// A horizontal concat of unequal heights pads with nulls, which the filter above would drop silently.
const [rowCount, lineCount] = [await count(salesRows()), await count(salesLines())];
if (rowCount !== lineCount) {
  throw new Error(
    `polars read ${rowCount} CSV rows but ${lineCount} lines from ${SALES}: the line check is misaligned`,
  );
}

await stage("  silver (typed, validated, dedup, joined)", async () => {
  const bronze = (table: string) => pl.scanParquet(out(`${table}.parquet`));
  /** `row_number() OVER (ORDER BY id)` as a BIGINT key; the dimensions are small, so `unique` is fine. */
  const dimension = async (frame: LazyFrame, id: string, key: string) =>
    (
      await frame
        .unique({ subset: id, keep: "first" })
        .sort(id)
        .withRowIndex(key, 1)
        .withColumns(col(key).cast(pl.Int64))
        .collect()
    ).lazy();
  const customers = await dimension(
    bronze("customers")
      .filter(col("customer_id").isNotNull())
      .select(text("customer_id", true).alias("customer_id")),
    "customer_id",
    "customer_key",
  );
  const products = await dimension(
    bronze("products").select(
      text("product_id", true).alias("product_id"),
      text("category").alias("category"),
      text("unit_cost").cast(pl.Decimal(12, 2), false).alias("unit_cost"),
    ),
    "product_id",
    "product_key",
  );
  const locations = await dimension(
    bronze("locations").select(
      text("location_id", true).alias("location_id"),
      text("region").alias("region"),
    ),
    "location_id",
    "location_key",
  );
  const typed = pl
    .scanParquet(out("sales.parquet"), { rowIndexName: "_rid" })
    .select(
      col("_rid"),
      text("transaction_id", true).alias("transaction_id"),
      date("order_date").alias("order_date"),
      text("customer_id", true).alias("customer_id"),
      text("product_id", true).alias("product_id"),
      text("location_id", true).alias("location_id"),
      text("quantity").cast(pl.Int32, false).alias("quantity"),
      text("unit_price").cast(pl.Decimal(12, 2), false).alias("unit_price"),
      text("discount_pct").cast(pl.Int32, false).fillNull(lit(0).cast(pl.Int32)).alias("discount_pct"),
    );
  const valid = typed
    .join(customers, { on: "customer_id", how: "inner" })
    .join(products, { on: "product_id", how: "inner" })
    .join(locations, { on: "location_id", how: "inner" })
    .filter(
      col("transaction_id")
        .isNotNull()
        .and(col("order_date").isNotNull())
        .and(col("quantity").gt(0))
        .and(col("unit_price").gtEq(0))
        .and(col("unit_price").lt(100000)),
    );
  // Keep-first dedup without `unique()`, which blows up to several GB on the wide rows: the smallest
  // row index per transaction, then a semi join on it (engine-facts §5).
  const firsts = valid.groupBy("transaction_id").agg(col("_rid").min().alias("_rid")).select(col("_rid"));
  const gross = col("quantity").mul(col("unit_price"));
  // DECIMAL / INTEGER is a DOUBLE in both engines, and DuckDB's round(x, 2) is std::round(x * 100) / 100:
  // 2 × 7.25 × 15 % / 100 is the double just below 2.175, which rounds to 2.17. polars divides a
  // column by a scalar by multiplying with its reciprocal (217.5 / 100 gives 2.1750000000000003,
  // which rounds to 2.18, on about one row in a thousand), so the divisions here are by a column of 100s, which
  // polars divides exactly, and the doubles are made from the exact cents, as DuckDB makes them.
  const hundred = col("quantity").mul(0).add(100).cast(pl.Float64);
  const double = (amount: Expr) =>
    amount.mul(lit(100).cast(pl.Int64)).cast(pl.Int64).cast(pl.Float64).div(hundred);
  const discount = double(gross.mul(col("discount_pct")))
    .div(hundred)
    .mul(100)
    .round(0, "halfawayfromzero")
    .div(hundred);
  const enriched = valid
    .join(firsts, { on: "_rid", how: "semi" })
    .select(
      col("transaction_id"),
      col("order_date"),
      col("order_date").dt.year().cast(pl.Int32).alias("year"),
      col("order_date").dt.month().cast(pl.Int32).alias("month"),
      col("customer_key"),
      col("product_key"),
      col("location_key"),
      col("customer_id"),
      col("quantity"),
      col("unit_price"),
      col("category"),
      col("region"),
      double(gross).sub(discount).cast(pl.Decimal(18, 2)).alias("net_amount"),
      discount.cast(pl.Decimal(18, 2)).alias("discount_amount"),
      col("quantity").mul(col("unit_cost")).cast(pl.Decimal(18, 2)).alias("cost_amount"),
    )
    // The streaming engine: measured at 10 M rows, the default in-memory engine took about 1.5x the
    // time and 5.9 GB instead of 3.4 GB.
    .collectSync({ engine: "streaming" });
  // polars has no partitioned sink: collect silver once, then write each year/month slice as one
  // file in a hive-style folder, partition columns left out of the files as DuckDB does. Holding
  // the whole table in memory is what this costs.
  const partitions = await enriched.lazy().groupBy(["year", "month"]).agg(pl.len()).collect();
  for (const { year, month } of partitions.toRecords() as { year: number; month: number }[]) {
    const folder = out(join("sales_enriched", `year=${year}`, `month=${month}`));
    await mkdir(folder, { recursive: true });
    enriched
      .filter(col("year").eq(year).and(col("month").eq(month)))
      .drop(["year", "month"])
      .writeParquet(join(folder, "data_0.parquet"), { compression: "zstd" });
  }
});
// A frame's native memory is freed only when V8 collects its JS wrapper, which a heap this small
// rarely needs: collect now so that gold does not run beside the silver table (needs --expose-gc).
globalThis.gc?.();

const enrichedFiles = out(join("sales_enriched", "**", "*.parquet"));
await stage("  gold (monthly summary)", async () => {
  const net = col("net_amount").sum();
  await pl
    .scanParquet(enrichedFiles, { hivePartitioning: true })
    .groupBy(["year", "month", "region", "category"])
    .agg(
      net.alias("revenue"),
      col("quantity").sum().alias("units"),
      col("transaction_id").nUnique().alias("orders"),
      col("customer_id").nUnique().alias("customers"),
      col("discount_amount").sum().alias("discount_given"),
      net.sub(col("cost_amount").sum()).alias("margin"),
    )
    .sinkParquet(out("monthly_sales_summary.parquet"), { compression: "snappy" })
    .collect();
});

const [total] = (
  await pl
    .scanParquet(out("monthly_sales_summary.parquet"))
    .select(col("revenue").sum().cast(pl.Utf8).alias("revenue"))
    .collect()
).toRecords() as { revenue: string }[];
emit({ rows: await count(pl.scanParquet(enrichedFiles)), revenue: String(total?.revenue) });

/** The number of rows of `frame`. */
async function count(frame: LazyFrame): Promise<number> {
  const [row] = (await frame.select(pl.len().alias("n")).collect()).toRecords() as { n: number }[];
  return Number(row?.n);
}

/*
 * The part of the nodejs-polars API used above. Its own typings cannot be imported: the package is
 * installed on demand outside node_modules, and type checking must pass without it.
 */

/** A polars data type (opaque here). */
interface DataType {
  readonly variant: string;
}
type Operand = Expr | number;

interface Expr {
  alias(name: string): Expr;
  cast(type: DataType, strict?: boolean): Expr;
  eq(other: Expr | number): Expr;
  gt(other: Operand): Expr;
  gtEq(other: Operand): Expr;
  lt(other: Operand): Expr;
  and(other: Expr): Expr;
  isNotNull(): Expr;
  fillNull(other: Expr): Expr;
  mul(other: Operand): Expr;
  div(other: Operand): Expr;
  sub(other: Operand): Expr;
  add(other: Operand): Expr;
  round(decimals: number, mode: "halfawayfromzero" | "halftoeven"): Expr;
  min(): Expr;
  sum(): Expr;
  nUnique(): Expr;
  readonly str: {
    stripChars(chars: string): Expr;
    toUpperCase(): Expr;
    strptime(type: DataType, format: string): Expr;
    contains(pattern: string): Expr;
  };
  readonly dt: { year(): Expr; month(): Expr };
}

interface When {
  then(value: Expr): { otherwise(value: Expr): Expr };
}

interface LazyFrame {
  select(...exprs: Expr[]): LazyFrame;
  withColumns(...exprs: Expr[]): LazyFrame;
  filter(predicate: Expr): LazyFrame;
  drop(column: string): LazyFrame;
  join(other: LazyFrame, options: { on: string; how: "inner" | "semi" }): LazyFrame;
  groupBy(by: string | string[]): { agg(...exprs: Expr[]): LazyFrame };
  unique(options: { subset: string; keep: "first" }): LazyFrame;
  sort(by: string): LazyFrame;
  withRowIndex(name: string, offset: number): LazyFrame;
  sinkParquet(path: string, options: { compression: "zstd" | "snappy" }): LazyFrame;
  collect(): Promise<DataFrame>;
  collectSync(options: { engine: "streaming" }): DataFrame;
}

interface DataFrame {
  lazy(): LazyFrame;
  filter(predicate: Expr): DataFrame;
  drop(columns: string[]): DataFrame;
  writeParquet(path: string, options: { compression: "zstd" }): void;
  toRecords(): unknown[];
}

interface CsvOptions {
  inferSchemaLength?: number;
  truncateRaggedLines?: boolean;
  schema?: Record<string, DataType>;
  sep?: string;
  quoteChar?: string;
}

interface Polars {
  col(name: string): Expr;
  lit(value: number | string | null): Expr;
  len(): Expr;
  when(condition: Expr): When;
  concat(frames: LazyFrame[], options: { how: "horizontal" }): LazyFrame;
  scanCSV(path: string, options: CsvOptions): LazyFrame;
  scanParquet(path: string, options?: { rowIndexName?: string; hivePartitioning?: boolean }): LazyFrame;
  Decimal(precision: number, scale: number): DataType;
  readonly Utf8: DataType;
  readonly Int32: DataType;
  readonly Int64: DataType;
  readonly Float64: DataType;
  readonly Date: DataType;
}
