/**
 * Silver sales: the bronze sales rows this table has not consumed yet are cleaned and typed, checked
 * against the sales expectations (failures go to `sales_quarantine` with the rules they failed),
 * deduplicated on the transaction id (the first occurrence by file and line wins, also against rows
 * already in silver), joined with the dimensions and merged into `sales_enriched`, partitioned by
 * year and month. A missing dimension member (possible only when its expectation is set to warn)
 * gets key -1, the unknown member, and NULL attributes.
 * Accounting: new bronze rows = inserted rows + quarantined rows + removed duplicates.
 */
import { createTableView, type DeltaContext, loadIfExists, writeTable } from "../../engine/index.ts";
import { bronzeStores } from "../bronze-ingest.ts";
import { AccountingError } from "../errors.ts";
import {
  checkResults,
  type Expectation,
  type ExpectationResult,
  failedRulesSql,
  failureCountsSql,
  quarantinedSql,
  quarantineReasonsSql,
  withActions,
} from "../expectations.ts";
import { consumedVersion, inputAppId, type PendingInput, pendingInput } from "../input-state.ts";
import { tableStore } from "../layer-tables.ts";
import type { ProjectConfig } from "../project-config.ts";
import { dateSql, integerSql, priceSql, textSql } from "./cleaning.ts";

const UNIQUE_RULE = "transaction_id_unique";

/** The sales expectations and their default actions. */
export const SALES_EXPECTATIONS: readonly Expectation[] = [
  {
    name: "transaction_id_present",
    description: "every sale has a transaction id",
    condition: "transaction_id IS NOT NULL",
    action: "quarantine",
  },
  {
    name: "order_date_valid",
    description: "the order date is a real date in a documented format",
    condition: "order_date IS NOT NULL",
    action: "quarantine",
  },
  {
    name: "customer_id_present",
    description: "every sale names a customer",
    condition: "customer_id IS NOT NULL",
    action: "quarantine",
  },
  {
    name: "product_id_present",
    description: "every sale names a product",
    condition: "product_id IS NOT NULL",
    action: "quarantine",
  },
  {
    name: "location_id_present",
    description: "every sale names a location",
    condition: "location_id IS NOT NULL",
    action: "quarantine",
  },
  {
    name: "quantity_positive",
    description: "quantity is a whole number above 0",
    condition: "quantity > 0",
    action: "quarantine",
  },
  {
    name: "unit_price_valid",
    description: "unit price is a number from 0 to 99,999.99",
    condition: "unit_price >= 0 AND unit_price < 100000",
    action: "quarantine",
  },
  {
    name: "customer_exists",
    description: "the customer is in dim_customer",
    condition: "customer_id IS NULL OR customer_key IS NOT NULL",
    action: "quarantine",
  },
  {
    name: "product_exists",
    description: "the product is in dim_product",
    condition: "product_id IS NULL OR product_key IS NOT NULL",
    action: "quarantine",
  },
  {
    name: "location_exists",
    description: "the location is in dim_location",
    condition: "location_id IS NULL OR location_key IS NOT NULL",
    action: "quarantine",
  },
  {
    name: UNIQUE_RULE,
    description: "a transaction id appears once; the first occurrence (by file, then line) is kept",
    // Evaluated by the deduplication itself (min _rid per id), not as a row condition.
    condition: "true",
    action: "warn",
  },
];

/** What the sales model did in a run. */
export interface SalesResult {
  readonly newBronzeRows: number;
  readonly inserted: number;
  readonly quarantined: number;
  readonly duplicatesRemoved: number;
  /**
   * Rows of this batch that an interrupted run had already quarantined (its quarantine commit landed,
   * the model's did not): they are not decided again.
   */
  readonly alreadyQuarantined: number;
  readonly expectations: readonly ExpectationResult[];
  /** Why all of bronze was processed again, when it was (besides the first build). */
  readonly rebuildReason: string | undefined;
}

const INPUT = "bronze.sales";

/**
 * Moves the new bronze sales into silver. All of bronze is processed again (and `sales_enriched` and
 * `sales_quarantine` replaced) on the first build, with `fullRefresh`, or when bronze lost rows since
 * the last run (a delete or restore).
 * @throws ExpectationFailedError when a rule with action `fail` fails (nothing is written).
 * @throws AccountingError when the rows do not add up.
 */
export async function buildSales(
  ctx: DeltaContext,
  project: ProjectConfig,
  runId: string,
  fullRefresh: boolean,
): Promise<SalesResult | undefined> {
  const source = project.sources.find((s) => s.name === "sales");
  if (source === undefined) return undefined;
  const bronze = bronzeStores(project, source).bronze;
  const bronzeSnapshot = await loadIfExists(ctx, bronze);
  if (bronzeSnapshot === undefined) return undefined;
  const enrichedStore = tableStore(project, "silver", "sales_enriched");
  const quarantineStore = tableStore(project, "silver", "sales_quarantine");
  const enriched = await loadIfExists(ctx, enrichedStore);
  const quarantine = await loadIfExists(ctx, quarantineStore);
  // Each table records what it consumed in its own commit; the quarantine commits first, so after a
  // crash between the two it is ahead of the model, never behind.
  const modelConsumed = consumedVersion(enriched, INPUT);
  const quarantineConsumed = consumedVersion(quarantine, INPUT);
  const pending: PendingInput = fullRefresh
    ? { kind: "rebuild", reason: "full refresh" }
    : modelConsumed !== undefined && (quarantineConsumed ?? -1) < modelConsumed
      ? {
          kind: "rebuild",
          reason: "silver.sales_quarantine has consumed less of bronze.sales than sales_enriched",
        }
      : await pendingInput(INPUT, bronze, bronzeSnapshot, modelConsumed);
  if (pending.kind === "up-to-date") {
    return {
      newBronzeRows: 0,
      inserted: 0,
      quarantined: 0,
      duplicatesRemoved: 0,
      alreadyQuarantined: 0,
      expectations: [],
      rebuildReason: undefined,
    };
  }
  const rebuild = pending.kind === "rebuild";
  const quarantineAhead = !rebuild && (quarantineConsumed ?? -1) > (modelConsumed ?? -1);
  const rules = withActions(SALES_EXPECTATIONS, project.expectations.sales ?? {});

  const raw = await createTableView(ctx, bronze, "bronze_sales_new", {
    snapshot: bronzeSnapshot,
    files: rebuild ? bronzeSnapshot.files() : pending.files,
  });
  const existing =
    !rebuild && enriched
      ? `(SELECT transaction_id FROM ${await createTableView(ctx, enrichedStore, "sales_enriched_current", { snapshot: enriched })})`
      : "(SELECT NULL::VARCHAR AS transaction_id WHERE false)";
  const decided =
    quarantineAhead && quarantine
      ? `(SELECT (f.ordinal << 32) + q._source_row AS _rid FROM ${await createTableView(ctx, quarantineStore, "sales_quarantine_current", { snapshot: quarantine })} q
          JOIN sales_files f USING (_source_file))`
      : "(SELECT NULL::BIGINT AS _rid WHERE false)";
  const dims = {
    customer: await dimensionView(ctx, project, "dim_customer"),
    product: await dimensionView(ctx, project, "dim_product"),
    location: await dimensionView(ctx, project, "dim_location"),
  };
  const rowRules = rules.filter((r) => r.name !== UNIQUE_RULE);
  const uniqueAction = rules.find((r) => r.name === UNIQUE_RULE)?.action ?? "warn";
  const run = (sql: string) => ctx.session.connection.run(sql);
  const one = async (sql: string) => (await ctx.session.connection.runAndReadAll(sql)).getRows()[0] ?? [];
  try {
    // `_rid` orders rows by landing file, then line: the first occurrence of an id is its smallest _rid.
    await run(`CREATE OR REPLACE TEMP TABLE sales_files AS
      SELECT _source_file, row_number() OVER (ORDER BY _source_file) AS ordinal FROM (SELECT DISTINCT _source_file FROM ${raw})`);
    // A view, read twice (for the status below and for the rows merged into silver): materializing all
    // 27 columns of every row spills under the memory limit and costs more than reading bronze again.
    await run(`CREATE OR REPLACE TEMP VIEW sales_checked AS
      WITH typed AS (
        SELECT (f.ordinal << 32) + r._source_row AS _rid,
          ${textSql("transaction_id", "upper")} AS transaction_id, ${dateSql("order_date")} AS order_date,
          ${textSql("customer_id", "upper")} AS customer_id, ${textSql("product_id", "upper")} AS product_id,
          ${textSql("location_id", "upper")} AS location_id, ${integerSql("quantity")} AS quantity,
          ${priceSql("unit_price")} AS unit_price, coalesce(${integerSql("discount_pct")}, 0) AS discount_pct,
          ${textSql("payment_method", "lower")} AS payment_method, ${textSql("channel", "lower")} AS channel,
          r._source_file, r._source_row
        FROM ${raw} r JOIN sales_files f USING (_source_file)),
      joined AS (
        SELECT t.*, c.customer_key, p.product_key, l.location_key, p.category, p.subcategory, p.brand, p.unit_cost,
          l.region, l.store_type, l.country
        FROM typed t
        LEFT JOIN ${dims.customer} c ON c.customer_id = t.customer_id
        LEFT JOIN ${dims.product} p ON p.product_id = t.product_id
        LEFT JOIN ${dims.location} l ON l.location_id = t.location_id)
      SELECT *, ${failedRulesSql(rowRules)} AS failed_rules FROM joined`);
    // What the counts, the quarantine, the deduplication and the touched months need, per row. Rows an
    // interrupted run already quarantined are left out: their decision is recorded.
    await run(`CREATE OR REPLACE TEMP TABLE sales_status AS
      SELECT _rid, transaction_id, order_date, failed_rules, ${quarantinedSql(rowRules, "failed_rules")} AS quarantined
      FROM sales_checked ANTI JOIN ${decided} d USING (_rid)`);
    // The rows that go to silver: per valid transaction id not already in silver, the first occurrence.
    // A NULL id (possible when its rule only warns) is no one's duplicate.
    await run(`CREATE OR REPLACE TEMP TABLE sales_firsts AS
      SELECT min(s._rid) AS _rid FROM sales_status s ANTI JOIN ${existing} e ON e.transaction_id = s.transaction_id
      WHERE NOT s.quarantined GROUP BY s.transaction_id, CASE WHEN s.transaction_id IS NULL THEN s._rid END`);
    const [decidedRows] = quarantineAhead ? await one(`SELECT count(*) FROM ${decided}`) : [0];
    const [total, valid, firsts, ...ruleCounts] = await one(
      `SELECT count(*), count(*) FILTER (WHERE NOT quarantined), (SELECT count(*) FROM sales_firsts),
        ${failureCountsSql(rowRules, "failed_rules").join(", ")} FROM sales_status`,
    );
    const duplicates = Number(valid) - Number(firsts);
    const expectations = checkResults(
      "silver.sales_enriched",
      [...rowRules, { name: UNIQUE_RULE, description: "", condition: "true", action: uniqueAction }],
      [...ruleCounts, duplicates],
    );
    const failing = `SELECT _rid, ${quarantineReasonsSql(rowRules, "failed_rules")} AS failed_rules FROM sales_status WHERE quarantined${
      uniqueAction === "quarantine"
        ? ` UNION ALL SELECT _rid, ['${UNIQUE_RULE}'] FROM sales_status
            WHERE NOT quarantined AND _rid NOT IN (SELECT _rid FROM sales_firsts)`
        : ""
    }`;
    const quarantineSql = `SELECT r.*, q.failed_rules, '${runId}' AS _run_id FROM ${raw} r JOIN sales_files f USING (_source_file)
      JOIN (${failing}) q ON q._rid = (f.ordinal << 32) + r._source_row`;
    const txn = { appId: inputAppId(INPUT), version: bronzeSnapshot.version };
    const replace = rebuild ? { mode: "overwrite" as const, rewrite: true } : {};
    const quarantined = await writeTable(ctx, quarantineStore, { sql: quarantineSql }, { txn, ...replace });
    // Its memory is better spent on the partitioned write below (10M rows: ~400 MB of peak RSS).
    await run("DROP TABLE sales_status");
    const insertSql = `SELECT transaction_id, order_date, year(order_date)::INTEGER AS year, month(order_date)::INTEGER AS month,
        coalesce(customer_key, -1) AS customer_key, coalesce(product_key, -1) AS product_key, coalesce(location_key, -1) AS location_key,
        customer_id, product_id, location_id, quantity, unit_price, discount_pct,
        CAST(quantity * unit_price AS DECIMAL(18,2)) AS gross_amount,
        CAST(round(quantity * unit_price * discount_pct / 100, 2) AS DECIMAL(18,2)) AS discount_amount,
        CAST(quantity * unit_price - round(quantity * unit_price * discount_pct / 100, 2) AS DECIMAL(18,2)) AS net_amount,
        CAST(quantity * unit_cost AS DECIMAL(18,2)) AS cost_amount,
        payment_method, channel, category, subcategory, brand, region, store_type, country,
        _source_file, _source_row, '${runId}' AS _run_id
      FROM sales_checked SEMI JOIN sales_firsts USING (_rid)`;
    const merge = {
      operation: {
        name: "MERGE",
        parameters: {
          predicate: "target.transaction_id = source.transaction_id",
          matchedPredicates: "[]",
          notMatchedPredicates: '[{"actionType":"insert"}]',
        },
      },
      readsTable: true,
    };
    const inserted = await writeTable(
      ctx,
      enrichedStore,
      { sql: insertSql },
      {
        txn,
        partitionBy: ["year", "month"],
        tableName: "sales_enriched",
        ...(rebuild ? replace : merge),
      },
    );
    const newBronzeRows = Number(total ?? 0) + Number(decidedRows);
    const removed = uniqueAction === "quarantine" ? 0 : duplicates;
    const alreadyQuarantined = Number(decidedRows);
    if (newBronzeRows !== inserted.rowsWritten + quarantined.rowsWritten + alreadyQuarantined + removed) {
      throw new AccountingError(
        `silver.sales_enriched: ${newBronzeRows} new bronze rows, but ${inserted.rowsWritten} inserted + ${quarantined.rowsWritten} quarantined + ${alreadyQuarantined} quarantined by an interrupted run + ${removed} duplicates removed`,
      );
    }
    return {
      newBronzeRows,
      inserted: inserted.rowsWritten,
      quarantined: quarantined.rowsWritten,
      duplicatesRemoved: removed,
      alreadyQuarantined,
      expectations,
      rebuildReason: rebuild && pending.reason !== "first build" ? pending.reason : undefined,
    };
  } finally {
    await run(
      "DROP VIEW IF EXISTS sales_checked; DROP TABLE IF EXISTS sales_status; DROP TABLE IF EXISTS sales_firsts; DROP TABLE IF EXISTS sales_files",
    );
  }
}

/** A view over a silver dimension, or an empty one with its key columns when it does not exist yet. */
async function dimensionView(ctx: DeltaContext, project: ProjectConfig, name: string): Promise<string> {
  const store = tableStore(project, "silver", name);
  const snapshot = await loadIfExists(ctx, store);
  if (snapshot) return createTableView(ctx, store, name, { snapshot });
  const key = name.replace("dim_", "");
  await ctx.session.connection.run(
    `CREATE OR REPLACE TEMP VIEW ${name} AS SELECT NULL::BIGINT AS ${key}_key, NULL::VARCHAR AS ${key}_id, NULL::VARCHAR AS category,
     NULL::VARCHAR AS subcategory, NULL::VARCHAR AS brand, NULL::DECIMAL(12,2) AS unit_cost, NULL::VARCHAR AS region,
     NULL::VARCHAR AS store_type, NULL::VARCHAR AS country WHERE false`,
  );
  return name;
}
