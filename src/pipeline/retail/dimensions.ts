/**
 * The retail dimensions in Silver: `dim_customer`, `dim_product`, `dim_location`. Each is rebuilt from
 * its whole bronze table when bronze changed: text trimmed and normalised, dates and prices typed,
 * the latest ingested row per natural key kept, and a surrogate key from the dimension's key map that
 * never changes for a natural key. Rows without a natural key go to `<dim>_quarantine`.
 * Accounting: bronze rows = dimension rows + quarantined rows + superseded older rows.
 */
import { createTableView, type DeltaContext, loadIfExists, writeTable } from "../../engine/index.ts";
import type { ObjectStore } from "../../storage/index.ts";
import { bronzeStores } from "../bronze-ingest.ts";
import { AccountingError } from "../errors.ts";
import { consumedVersion, inputAppId } from "../input-state.ts";
import { tableStore } from "../layer-tables.ts";
import type { ProjectConfig } from "../project-config.ts";
import { assignKeys } from "../surrogate-keys.ts";
import { dateSql, priceSql, textSql } from "./cleaning.ts";

/** One dimension: its source, natural key, and the typed columns built from bronze text. */
export interface DimensionSpec {
  readonly name: string;
  readonly source: string;
  readonly naturalKey: string;
  readonly keyColumn: string;
  /** Column name → SQL expression over the bronze columns. */
  readonly columns: Readonly<Record<string, string>>;
}

export const DIMENSIONS: readonly DimensionSpec[] = [
  {
    name: "dim_customer",
    source: "customers",
    naturalKey: "customer_id",
    keyColumn: "customer_key",
    columns: {
      customer_id: textSql("customer_id", "upper"),
      first_name: textSql("first_name"),
      last_name: textSql("last_name"),
      email: textSql("email", "lower"),
      birth_date: dateSql("birth_date"),
      signup_date: dateSql("signup_date"),
      city: textSql("city"),
      country: textSql("country"),
    },
  },
  {
    name: "dim_product",
    source: "products",
    naturalKey: "product_id",
    keyColumn: "product_key",
    columns: {
      product_id: textSql("product_id", "upper"),
      product_name: textSql("product_name"),
      category: textSql("category"),
      subcategory: textSql("subcategory"),
      brand: textSql("brand"),
      list_price: priceSql("list_price"),
      unit_cost: priceSql("unit_cost"),
    },
  },
  {
    name: "dim_location",
    source: "locations",
    naturalKey: "location_id",
    keyColumn: "location_key",
    columns: {
      location_id: textSql("location_id", "upper"),
      store_name: textSql("store_name"),
      city: textSql("city"),
      region: textSql("region"),
      country: textSql("country"),
      store_type: textSql("store_type", "lower"),
    },
  },
];

/** What building one dimension did. */
export interface DimensionResult {
  readonly table: string;
  readonly rebuilt: boolean;
  readonly bronzeRows: number;
  readonly rows: number;
  readonly quarantined: number;
  readonly superseded: number;
  readonly newKeys: number;
}

/**
 * Rebuilds the dimension when its bronze table has a version it has not consumed (or always, with
 * `fullRefresh`); key maps are never rebuilt. A dimension whose bronze table does not exist yet is skipped.
 * @throws AccountingError when the rows do not add up.
 */
export async function buildDimension(
  ctx: DeltaContext,
  project: ProjectConfig,
  spec: DimensionSpec,
  fullRefresh: boolean,
): Promise<DimensionResult | undefined> {
  const source = project.sources.find((s) => s.name === spec.source);
  if (source === undefined) return undefined;
  const bronze = bronzeStores(project, source).bronze;
  const bronzeSnapshot = await loadIfExists(ctx, bronze);
  if (bronzeSnapshot === undefined) return undefined;
  const input = `bronze.${spec.source}`;
  const table = tableStore(project, "silver", spec.name);
  const quarantineTable = tableStore(project, "silver", `${spec.name}_quarantine`);
  // The dimension and its quarantine each record what they consumed: after a crash between their
  // commits, the one behind is rebuilt on the next run.
  const stale = async (store: ObjectStore) =>
    consumedVersion(await loadIfExists(ctx, store), input) !== bronzeSnapshot.version;
  if (!fullRefresh && !(await stale(table)) && !(await stale(quarantineTable))) {
    return {
      table: spec.name,
      rebuilt: false,
      bronzeRows: 0,
      rows: 0,
      quarantined: 0,
      superseded: 0,
      newKeys: 0,
    };
  }
  const raw = await createTableView(ctx, bronze, `bronze_${spec.source}`, { snapshot: bronzeSnapshot });
  const typed = Object.entries(spec.columns).map(([name, sql]) => `${sql} AS ${name}`);
  const cleaned = `SELECT ${typed.join(", ")}, _ingested_at, _source_file, _source_row FROM ${raw}`;
  await ctx.session.connection.run(`CREATE OR REPLACE TEMP VIEW ${spec.name}_cleaned AS ${cleaned}`);
  const keys = await assignKeys(
    ctx,
    tableStore(project, "silver", `${spec.name}_keys`),
    `SELECT ${spec.naturalKey} AS natural_key FROM ${spec.name}_cleaned`,
    `${spec.name}_key_map`,
  );
  const latest = `SELECT DISTINCT ON (${spec.naturalKey}) * FROM ${spec.name}_cleaned WHERE ${spec.naturalKey} IS NOT NULL
    ORDER BY ${spec.naturalKey}, _ingested_at DESC, _source_file DESC, _source_row DESC`;
  const rows = `SELECT k.key AS ${spec.keyColumn}, d.* FROM (${latest}) d JOIN ${keys.view} k ON k.natural_key = d.${spec.naturalKey}`;
  const txn = { appId: inputAppId(input), version: bronzeSnapshot.version };
  // A table that already consumed this version is skipped by its txn (unless this is a full refresh).
  await writeTable(
    ctx,
    table,
    { sql: rows },
    { mode: "overwrite", txn, rewrite: fullRefresh, tableName: spec.name },
  );
  const quarantine = `SELECT *, ['${spec.naturalKey}_present'] AS failed_rules FROM ${raw} WHERE ${spec.columns[spec.naturalKey]} IS NULL`;
  await writeTable(
    ctx,
    quarantineTable,
    { sql: quarantine },
    { mode: "overwrite", txn, rewrite: fullRefresh },
  );
  // Accounting over what the two tables now hold for this bronze version.
  const [counts] = (
    await ctx.session.connection.runAndReadAll(
      `SELECT count(*), count(DISTINCT ${spec.naturalKey}) FILTER (WHERE ${spec.naturalKey} IS NOT NULL), count(*) FILTER (WHERE ${spec.naturalKey} IS NOT NULL),
        (SELECT count(*) FROM ${await createTableView(ctx, table, `${spec.name}_written`)}),
        (SELECT count(*) FROM ${await createTableView(ctx, quarantineTable, `${spec.name}_quarantine_written`)})
       FROM ${spec.name}_cleaned`,
    )
  ).getRows();
  const [bronzeRows, distinctKeys, keyed, dimensionRows, quarantinedRows] = (counts ?? []).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const superseded = keyed - distinctKeys;
  if (bronzeRows !== dimensionRows + quarantinedRows + superseded) {
    throw new AccountingError(
      `silver.${spec.name}: ${bronzeRows} bronze rows, but ${dimensionRows} dimension rows + ${quarantinedRows} quarantined + ${superseded} superseded`,
    );
  }
  return {
    table: spec.name,
    rebuilt: true,
    bronzeRows,
    rows: dimensionRows,
    quarantined: quarantinedRows,
    superseded,
    newKeys: keys.added,
  };
}
