/**
 * The Gold marts, computed from `silver.sales_enriched`. The monthly ones are partitioned by year and
 * month so a run recomputes only the months its new silver rows touched (all months on the first run
 * or a full refresh):
 * - `monthly_sales_summary`: month × region × category: revenue, units, orders, distinct customers,
 *   average order value, discount given, margin;
 * - `top_products_monthly`: the 10 products with the most revenue in each month;
 * - `regional_performance`: month × region: revenue, orders, customers, margin and margin %, the
 *   region's share of the month's revenue;
 * - `customer_cohorts`: customers grouped by the month of their first purchase (their cohort), and
 *   for each month since then the cohort's active customers, orders and revenue. It needs all of
 *   history, so it is recomputed in full whenever silver changes.
 */
import {
  type DeltaValue,
  isPrimitive,
  type PartitionValues,
  parsePartitionValue,
  type Snapshot,
} from "../../delta/index.ts";
import { createTableView, type DeltaContext, loadIfExists, writeTable } from "../../engine/index.ts";
import {
  consumedVersion,
  inputAppId,
  type PendingInput,
  pendingInput,
  touchedPartitions,
} from "../input-state.ts";
import { tableStore } from "../layer-tables.ts";
import type { ProjectConfig } from "../project-config.ts";

// A sale is one transaction and `sales_enriched` holds each transaction id once (deduplicated, then
// merged on the id), so the marts count orders with count(*): the same number as
// count(DISTINCT transaction_id), without hashing 10M ids per mart.

/** A mart: its name and the SQL computing it from the view `silver_sales`. */
export interface MartSpec {
  readonly name: string;
  readonly sql: string;
  /**
   * Partitioned by year and month and recomputed only for the touched months; otherwise the mart
   * needs all of history and is recomputed in full whenever silver changes.
   */
  readonly monthly: boolean;
}

export const MARTS: readonly MartSpec[] = [
  {
    name: "monthly_sales_summary",
    sql: `SELECT year, month, region, category,
        sum(net_amount) AS revenue, sum(quantity)::BIGINT AS units, count(*) AS orders,
        count(DISTINCT customer_id) AS customers,
        CAST(round(sum(net_amount) / count(*), 2) AS DECIMAL(18,2)) AS avg_order_value,
        sum(discount_amount) AS discount_given, sum(net_amount) - sum(cost_amount) AS margin
      FROM silver_sales GROUP BY year, month, region, category`,
    monthly: true,
  },
  {
    name: "top_products_monthly",
    sql: `SELECT year, month, row_number() OVER (PARTITION BY year, month ORDER BY sum(net_amount) DESC, product_id) AS rank,
        product_id, any_value(category) AS category, any_value(brand) AS brand,
        sum(net_amount) AS revenue, sum(quantity)::BIGINT AS units
      FROM silver_sales GROUP BY year, month, product_id
      QUALIFY rank <= 10`,
    monthly: true,
  },
  {
    name: "regional_performance",
    sql: `SELECT year, month, region, sum(net_amount) AS revenue, count(*) AS orders,
        count(DISTINCT customer_id) AS customers, sum(net_amount) - sum(cost_amount) AS margin,
        CAST(round(100 * (sum(net_amount) - sum(cost_amount)) / nullif(sum(net_amount), 0), 2) AS DECIMAL(9,2)) AS margin_pct,
        CAST(round(100 * sum(net_amount) / sum(sum(net_amount)) OVER (PARTITION BY year, month), 2) AS DECIMAL(9,2)) AS revenue_share_pct
      FROM silver_sales GROUP BY year, month, region`,
    monthly: true,
  },
  {
    name: "customer_cohorts",
    // Per customer and month first (a few rows per customer), then cohorts from that: far less work
    // than distinct counts and a join over every sale.
    sql: `WITH active AS (
        SELECT customer_id, year * 12 + month - 1 AS ym, count(*) AS orders, sum(net_amount) AS revenue
        FROM silver_sales GROUP BY customer_id, year, month),
      firsts AS (SELECT customer_id, min(ym) AS first FROM active GROUP BY customer_id)
      SELECT (f.first // 12)::INTEGER AS cohort_year, (f.first % 12 + 1)::INTEGER AS cohort_month,
        (a.ym - f.first)::INTEGER AS months_since_first,
        count(*) AS customers, sum(a.orders)::BIGINT AS orders, sum(a.revenue) AS revenue
      FROM active a JOIN firsts f USING (customer_id)
      GROUP BY ALL`,
    monthly: false,
  },
];

/** What refreshing one mart did. */
export interface MartResult {
  readonly table: string;
  /** Months recomputed (0 when the mart was up to date). */
  readonly months: number;
  readonly rows: number;
  /** Why the mart was recomputed in full, when it was (besides the first build). */
  readonly rebuildReason: string | undefined;
}

const INPUT = "silver.sales_enriched";
const MONTH = ["year", "month"];

/**
 * Refreshes every mart that has not consumed the latest `sales_enriched`. A monthly mart recomputes
 * the months whose silver files were added or removed since the version it consumed, read from
 * silver's log, so a run that stopped before gold, or `--select silver`, leaves nothing behind.
 * A mart is recomputed in full when it is new, with `fullRefresh`, when silver's changes cannot be
 * read, and always for the marts that need all of history.
 */
export async function buildMarts(
  ctx: DeltaContext,
  project: ProjectConfig,
  fullRefresh: boolean,
): Promise<MartResult[]> {
  const silverStore = tableStore(project, "silver", "sales_enriched");
  const silver = await loadIfExists(ctx, silverStore);
  if (silver === undefined) return [];
  const results: MartResult[] = [];
  for (const mart of MARTS) {
    const store = tableStore(project, "gold", mart.name);
    const current = await loadIfExists(ctx, store);
    const pending: PendingInput = fullRefresh
      ? { kind: "rebuild", reason: "full refresh" }
      : await pendingInput(INPUT, silverStore, silver, consumedVersion(current, INPUT), mart.monthly);
    // Only rearranged files (an optimize of silver) leave nothing to recompute.
    const unchanged =
      pending.kind === "incremental" && pending.files.length === 0 && pending.changes.removed.length === 0;
    if (pending.kind === "up-to-date" || unchanged) {
      results.push({ table: mart.name, months: 0, rows: 0, rebuildReason: undefined });
      continue;
    }
    const touched =
      mart.monthly && pending.kind === "incremental" ? touchedPartitions(pending.changes, MONTH) : undefined;
    const key = (values: PartitionValues) => `${values.year}-${values.month}`;
    const wanted = new Set(touched?.map(key));
    const files = touched ? silver.files().filter((f) => wanted.has(key(f.partitionValues))) : silver.files();
    await createTableView(ctx, silverStore, "silver_sales", { snapshot: silver, files });
    const written = await writeTable(
      ctx,
      store,
      { sql: mart.sql },
      {
        mode: "overwrite",
        partitionBy: mart.monthly ? MONTH : [],
        tableName: mart.name,
        rewrite: pending.kind === "rebuild",
        txn: { appId: inputAppId(INPUT), version: silver.version },
        ...(touched ? { replacePartitions: touched.map((values) => partitionFilter(silver, values)) } : {}),
      },
    );
    results.push({
      table: mart.name,
      months: touched ? touched.length : new Set(files.map((f) => key(f.partitionValues))).size,
      rows: written.rowsWritten,
      rebuildReason:
        pending.kind === "rebuild" && pending.reason !== "first build" ? pending.reason : undefined,
    });
  }
  return results;
}

/** Partition values as the typed values `replacePartitions` compares (silver's column types). */
function partitionFilter(silver: Snapshot, values: PartitionValues): Record<string, DeltaValue> {
  return Object.fromEntries(
    MONTH.map((name) => {
      const type = silver.schema.fields.find((f) => f.name === name)?.type;
      return [
        name,
        parsePartitionValue(values[name], type !== undefined && isPrimitive(type) ? type : "string"),
      ];
    }),
  );
}
