/**
 * A `dimension` model: the latest row (by `latestBy`) of each member (`naturalKey`) among the rows its
 * SQL gives, with a `surrogateKey` from the model's key map (`<model>_keys`), which only ever grows:
 * a natural key keeps its number across rebuilds, full refreshes and concurrent runs. Rebuilt in full
 * when an input or its definition changed. A row without a natural key cannot be a member: it is
 * quarantined (rule `<naturalKey>_present`), as are rows failing other quarantine rules.
 * Accounting: input rows = members + quarantined rows + superseded older rows.
 */
import { createTableView, loadIfExists, sqlIdentifier, writeTable } from "../engine/index.ts";
import { AccountingError } from "./errors.ts";
import {
  checkResults,
  type Expectation,
  failureCountsSql,
  quarantinedSql,
  quarantineReasonsSql,
} from "./expectations.ts";
import { tableStore } from "./layer-tables.ts";
import {
  type BuildContext,
  buildTxns,
  builtFrom,
  checkedSql,
  definitionHash,
  type ModelResult,
  quarantineName,
  upToDate,
} from "./model-build.ts";
import type { PlannedModel } from "./model-graph.ts";
import type { Zone } from "./project-config.ts";
import { assignKeys } from "./surrogate-keys.ts";
import { resolveTableReferences } from "./table-references.ts";

/** Builds a dimension model. @throws ExpectationFailedError, AccountingError. */
export async function buildDimension(b: BuildContext, model: PlannedModel): Promise<ModelResult> {
  const { ctx, project } = b;
  const config = model.config;
  const label = `${config.zone}.${config.name}`;
  const naturalKey = config.naturalKey as string;
  const store = tableStore(project, config.zone, config.name);
  const quarantineStore = tableStore(project, config.zone, quarantineName(config));
  const resolved = await resolveTableReferences(ctx, project, model.sql);
  if (resolved.inputs.length === 0) return upToDate(config);
  const hash = definitionHash(model);
  // The dimension and its quarantine each record what they consumed: after a crash between their
  // commits, the next run completes the one behind.
  const stale = async (table: typeof store) =>
    !builtFrom(await loadIfExists(ctx, table), hash, resolved.inputs);
  if (!b.fullRefresh && !(await stale(store)) && !(await stale(quarantineStore))) return upToDate(config);

  const rules = keyRule(config.expectations, naturalKey);
  const prefix = `${config.name}__`;
  const key = sqlIdentifier(naturalKey);
  const run = (sql: string) => ctx.session.connection.run(sql);
  try {
    await run(`CREATE OR REPLACE TEMP TABLE ${prefix}checked AS
      SELECT *, ${quarantinedSql(rules, "failed_rules")} AS quarantined FROM (${checkedSql(resolved.sql, rules)})`);
    const [counts] = (
      await ctx.session.connection.runAndReadAll(
        `SELECT count(*), count(*) FILTER (WHERE NOT quarantined), count(DISTINCT ${key}) FILTER (WHERE NOT quarantined),
          ${failureCountsSql(rules, "failed_rules").join(", ")} FROM ${prefix}checked`,
      )
    ).getRows();
    const [inputRows = 0, kept = 0, members = 0, ...ruleCounts] = (counts ?? []).map(Number);
    const expectations = checkResults(label, rules, ruleCounts);
    const keys = await assignKeys(
      ctx,
      tableStore(project, config.zone, `${config.name}_keys`),
      `SELECT ${key} AS natural_key FROM ${prefix}checked WHERE NOT quarantined`,
      `${prefix}key_map`,
    );
    const latest = `SELECT DISTINCT ON (${key}) * EXCLUDE (failed_rules, quarantined) FROM ${prefix}checked
      WHERE NOT quarantined ORDER BY ${key}, ${config.latestBy.join(", ")}`;
    const rows = `SELECT k.key AS ${sqlIdentifier(config.surrogateKey as string)}, d.* FROM (${latest}) d
      JOIN ${keys.view} k ON k.natural_key = d.${key}`;
    const txn = (snapshot: Awaited<ReturnType<typeof loadIfExists>>) =>
      buildTxns(hash, snapshot, resolved.inputs);
    const current = await loadIfExists(ctx, store);
    const written = await writeTable(
      ctx,
      store,
      { sql: rows },
      { mode: "overwrite", replaceTable: true, txn: txn(current), rewrite: true, tableName: config.name },
    );
    const failing = `SELECT * EXCLUDE (quarantined), ${quarantineReasonsSql(rules, "failed_rules")} AS _reasons
      FROM ${prefix}checked WHERE quarantined`;
    const quarantineSql = await inputRowsOf(b, model, resolved.inputs, failing);
    const quarantine = await loadIfExists(ctx, quarantineStore);
    const quarantined = await writeTable(
      ctx,
      quarantineStore,
      { sql: quarantineSql },
      { mode: "overwrite", replaceTable: true, txn: txn(quarantine), rewrite: true },
    );
    const superseded = kept - members;
    if (inputRows !== written.rowsWritten + quarantined.rowsWritten + superseded) {
      throw new AccountingError(
        `${label}: ${inputRows} input rows, but ${written.rowsWritten} members + ${quarantined.rowsWritten} quarantined + ${superseded} superseded`,
      );
    }
    return {
      table: label,
      kind: config.kind,
      rebuilt: true,
      inputRows,
      rows: written.rowsWritten,
      quarantined: quarantined.rowsWritten,
      duplicatesRemoved: superseded,
      retried: 0,
      expectations,
      newKeys: keys.added,
    };
  } finally {
    await run(`DROP TABLE IF EXISTS ${prefix}checked`);
  }
}

/** The rules with the natural key's own: a row without one is quarantined, whatever else is declared. */
function keyRule(rules: readonly Expectation[], naturalKey: string): Expectation[] {
  const declared = rules.find((r) => r.condition === `${sqlIdentifier(naturalKey)} IS NOT NULL`);
  const rule: Expectation = {
    name: declared?.name ?? `${naturalKey}_present`,
    description: declared?.description ?? `${naturalKey} is present`,
    condition: `${sqlIdentifier(naturalKey)} IS NOT NULL`,
    action: "quarantine",
  };
  return [rule, ...rules.filter((r) => r !== declared)];
}

/**
 * The quarantine rows for the failing rows of `failing` (which has `_reasons`): the row as it arrived
 * when the model carries the lineage of its one bronze input, otherwise the model's row; then the
 * rules it failed and the run id.
 */
export async function inputRowsOf(
  b: BuildContext,
  model: PlannedModel,
  inputs: ReadonlyArray<{ readonly reference: string }>,
  failing: string,
): Promise<string> {
  const bronze = inputs.filter((i) => i.reference.startsWith("bronze.") && !i.reference.includes("@"));
  const columns = (await b.ctx.session.connection.runAndReadAll(`DESCRIBE ${failing}`))
    .getRows()
    .map((r) => String(r[0]));
  const lineage = columns.includes("_source_file") && columns.includes("_source_row");
  if (bronze.length !== 1 || !lineage) {
    return `SELECT * EXCLUDE (failed_rules, _reasons), _reasons AS failed_rules, '${b.runId}' AS _run_id FROM (${failing})`;
  }
  const [zone, table] = (bronze[0] as { reference: string }).reference.split(".") as [Zone, string];
  const raw = await createTableView(b.ctx, tableStore(b.project, zone, table), `${model.config.name}__raw`);
  return `SELECT r.*, q._reasons AS failed_rules, '${b.runId}' AS _run_id FROM ${raw} r
    JOIN (${failing}) q USING (_source_file, _source_row)`;
}
