/**
 * The benchmark's baseline: the pipeline's transformations as plain DuckDB SQL over the same CSV
 * files, writing Parquet, with no Delta log, no idempotence bookkeeping and no row accounting.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { DuckDbSession, sqlString } from "../src/engine/index.ts";

type Timer = <T>(label: string, work: () => Promise<T>) => Promise<T>;

const text = (c: string, f = "") => (f ? `${f}(NULLIF(trim(${c}), ''))` : `NULLIF(trim(${c}), '')`);
const date = (c: string) =>
  `CAST(coalesce(try_strptime(${text(c)}, '%Y-%m-%d'), try_strptime(${text(c)}, '%d/%m/%Y')) AS DATE)`;

/** What a run produced, for comparing engines: rows in `sales_enriched`, total gold revenue. */
export interface PipelineFigures {
  readonly rows: number;
  /** The exact DECIMAL sum, as text. */
  readonly revenue: string;
}

/** Runs bronze, silver and gold as plain SQL, timing each; returns its {@link PipelineFigures}. */
export async function plainDuckDbPipeline(
  data: string,
  out: string,
  memoryLimit: string,
  time: Timer,
): Promise<PipelineFigures> {
  const session = await DuckDbSession.open({ memoryLimit });
  const run = (sql: string) => session.connection.run(sql);
  // The dialect and columns are given, as the pipeline gives them: sniffed per file, DuckDB decides
  // some files have no quote character and rejects every line with a quoted comma (~5 % of the sales).
  const csv = async (pattern: string, firstFile: string) => {
    const header = (await readFile(join(data, firstFile), "utf8")).slice(0, 4096).split(/\r?\n/)[0] ?? "";
    const columns = header.split(",").map((c) => `${sqlString(c.trim())}: 'VARCHAR'`);
    return `read_csv(${sqlString(join(data, pattern))}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
      columns = {${columns.join(", ")}}, strict_mode = true, store_rejects = true)`;
  };
  const parquet = (name: string) => sqlString(join(out, name));
  try {
    await time("  bronze (CSV → Parquet, text columns)", async () => {
      for (const table of ["customers", "products", "locations"]) {
        await run(
          `COPY (SELECT * FROM ${await csv(`${table}.csv`, `${table}.csv`)}) TO ${parquet(`${table}.parquet`)} (FORMAT parquet, COMPRESSION zstd)`,
        );
      }
      await run(
        `COPY (SELECT * FROM ${await csv("sales_transactions_*.csv", "sales_transactions_0001.csv")}) TO ${parquet("sales.parquet")} (FORMAT parquet, COMPRESSION zstd)`,
      );
    });
    await time("  silver (typed, validated, dedup, joined)", async () => {
      await run(`CREATE TABLE dim_customer AS SELECT row_number() OVER (ORDER BY customer_id) AS customer_key, * FROM
        (SELECT DISTINCT ON (customer_id) ${text("customer_id", "upper")} AS customer_id FROM read_parquet(${parquet("customers.parquet")}) WHERE customer_id IS NOT NULL)`);
      await run(`CREATE TABLE dim_product AS SELECT row_number() OVER (ORDER BY product_id) AS product_key, * FROM
        (SELECT DISTINCT ON (product_id) ${text("product_id", "upper")} AS product_id, ${text("category")} AS category,
          TRY_CAST(${text("unit_cost")} AS DECIMAL(12,2)) AS unit_cost FROM read_parquet(${parquet("products.parquet")}))`);
      await run(`CREATE TABLE dim_location AS SELECT row_number() OVER (ORDER BY location_id) AS location_key, * FROM
        (SELECT DISTINCT ON (location_id) ${text("location_id", "upper")} AS location_id, ${text("region")} AS region FROM read_parquet(${parquet("locations.parquet")}))`);
      await run(`COPY (
        WITH typed AS (SELECT file_row_number AS _rid, ${text("transaction_id", "upper")} AS transaction_id, ${date("order_date")} AS order_date,
            ${text("customer_id", "upper")} AS customer_id, ${text("product_id", "upper")} AS product_id, ${text("location_id", "upper")} AS location_id,
            TRY_CAST(${text("quantity")} AS INTEGER) AS quantity, TRY_CAST(${text("unit_price")} AS DECIMAL(12,2)) AS unit_price,
            coalesce(TRY_CAST(${text("discount_pct")} AS INTEGER), 0) AS discount_pct
          FROM read_parquet(${parquet("sales.parquet")}, file_row_number = true)),
        valid AS (SELECT t.*, c.customer_key, p.product_key, l.location_key, p.category, p.unit_cost, l.region FROM typed t
          JOIN dim_customer c USING (customer_id) JOIN dim_product p USING (product_id) JOIN dim_location l USING (location_id)
          WHERE transaction_id IS NOT NULL AND order_date IS NOT NULL AND quantity > 0 AND unit_price >= 0 AND unit_price < 100000),
        firsts AS (SELECT min(_rid) AS _rid FROM valid GROUP BY transaction_id)
        SELECT transaction_id, order_date, year(order_date)::INTEGER AS year, month(order_date)::INTEGER AS month, customer_key, product_key,
          location_key, customer_id, quantity, unit_price, category, region,
          CAST(quantity * unit_price - round(quantity * unit_price * discount_pct / 100, 2) AS DECIMAL(18,2)) AS net_amount,
          CAST(round(quantity * unit_price * discount_pct / 100, 2) AS DECIMAL(18,2)) AS discount_amount,
          CAST(quantity * unit_cost AS DECIMAL(18,2)) AS cost_amount
        FROM valid SEMI JOIN firsts USING (_rid))
        TO ${parquet("sales_enriched")} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (year, month))`);
    });
    await time("  gold (monthly summary)", async () => {
      await run(`COPY (SELECT year, month, region, category, sum(net_amount) AS revenue, sum(quantity) AS units,
          count(DISTINCT transaction_id) AS orders, count(DISTINCT customer_id) AS customers, sum(discount_amount) AS discount_given,
          sum(net_amount) - sum(cost_amount) AS margin
        FROM read_parquet(${sqlString(join(out, "sales_enriched", "**", "*.parquet"))}, hive_partitioning = true) GROUP BY ALL)
        TO ${parquet("monthly_sales_summary.parquet")} (FORMAT parquet)`);
    });
    const figures = await session.connection.runAndReadAll(`SELECT
      (SELECT count(*) FROM read_parquet(${sqlString(join(out, "sales_enriched", "**", "*.parquet"))})) AS rows,
      (SELECT sum(revenue) FROM read_parquet(${parquet("monthly_sales_summary.parquet")}))::VARCHAR AS revenue`);
    const [row] = figures.getRowObjectsJson() as { rows: string; revenue: string }[];
    return { rows: Number(row?.rows), revenue: String(row?.revenue) };
  } finally {
    session.close();
  }
}
