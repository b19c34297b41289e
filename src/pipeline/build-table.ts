/**
 * A `table` model: its SQL's rows replace the table's (CREATE OR REPLACE: schema and partitioning
 * follow the SQL and `partitionBy`) whenever its definition or a table it reads has changed since its
 * last build; otherwise the run reports it up to date. Rows failing a quarantine rule go to
 * `<model>_quarantine` (replaced too) with the rules they failed and the run id.
 */
import { loadIfExists, writeTable } from "../engine/index.ts";
import { checkResults, failureCountsSql, quarantinedSql, quarantineReasonsSql } from "./expectations.ts";
import { tableStore } from "./layer-tables.ts";
import {
  type BuildContext,
  buildTxns,
  builtFrom,
  checkedSql,
  definitionHash,
  type ModelResult,
  quarantineName,
  quarantines,
} from "./model-build.ts";
import type { PlannedModel } from "./model-graph.ts";
import { resolveTableReferences } from "./table-references.ts";

/** Builds a table model. @throws ExpectationFailedError for a `fail` rule (nothing written). */
export async function buildTable(b: BuildContext, model: PlannedModel): Promise<ModelResult> {
  const { ctx, project } = b;
  const config = model.config;
  const label = `${config.zone}.${config.name}`;
  const resolved = await resolveTableReferences(ctx, project, model.sql);
  const hash = definitionHash(model);
  const store = tableStore(project, config.zone, config.name);
  const current = await loadIfExists(ctx, store);
  const upToDate = builtFrom(current, hash, resolved.inputs);
  const result = {
    table: label,
    kind: config.kind,
    inputRows: 0,
    quarantined: 0,
    duplicatesRemoved: 0,
    retried: 0,
  };
  if (upToDate && !b.fullRefresh) return { ...result, rebuilt: false, rows: 0, expectations: [] };
  const txn = (snapshot: typeof current) => buildTxns(hash, snapshot, resolved.inputs);
  const options = {
    mode: "overwrite" as const,
    replaceTable: true,
    partitionBy: config.partitionBy,
    tableName: config.name,
    txn: txn(current),
    rewrite: true,
  };
  const rules = config.expectations;
  if (rules.length === 0) {
    const written = await writeTable(ctx, store, { sql: resolved.sql }, options);
    return { ...result, rebuilt: true, rows: written.rowsWritten, expectations: [] };
  }
  const checked = `${config.name}__checked`;
  try {
    // Materialized: the rows are read for the counts, the model and the quarantine.
    await ctx.session.connection.run(`CREATE OR REPLACE TEMP TABLE ${checked} AS
      SELECT *, ${quarantinedSql(rules, "failed_rules")} AS _quarantined FROM (${checkedSql(resolved.sql, rules)})`);
    const [total, ...counts] =
      (
        await ctx.session.connection.runAndReadAll(
          `SELECT count(*), ${failureCountsSql(rules, "failed_rules").join(", ")} FROM ${checked}`,
        )
      ).getRows()[0] ?? [];
    const expectations = checkResults(label, rules, counts);
    const written = await writeTable(
      ctx,
      store,
      { sql: `SELECT * EXCLUDE (failed_rules, _quarantined) FROM ${checked} WHERE NOT _quarantined` },
      options,
    );
    let quarantined = 0;
    if (quarantines(rules)) {
      const quarantineStore = tableStore(project, config.zone, quarantineName(config));
      quarantined = (
        await writeTable(
          ctx,
          quarantineStore,
          {
            sql: `SELECT * EXCLUDE (failed_rules, _quarantined), ${quarantineReasonsSql(rules, "failed_rules")} AS failed_rules,
              '${b.runId}' AS _run_id FROM ${checked} WHERE _quarantined`,
          },
          {
            mode: "overwrite",
            replaceTable: true,
            txn: txn(await loadIfExists(ctx, quarantineStore)),
            rewrite: true,
          },
        )
      ).rowsWritten;
    }
    return {
      ...result,
      rebuilt: true,
      inputRows: Number(total),
      rows: written.rowsWritten,
      quarantined,
      expectations,
    };
  } finally {
    await ctx.session.connection.run(`DROP TABLE IF EXISTS ${checked}`);
  }
}
