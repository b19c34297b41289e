/**
 * An `incremental` model: its SQL reads one input as `stream(zone.table)`, and each run it sees only
 * the rows of that input that are new since the version it consumed (the others it reads whole).
 * Its rows are checked against its expectations (failures go to `<model>_quarantine` as the input
 * row, with the rules they failed and the run id), deduplicated on `uniqueKey` (the first, or last,
 * in `orderBy` order; also against rows already in the model), and appended or merged.
 *
 * Rows are identified by their lineage (`_source_file`, `_source_row`), which the input and the
 * model's rows must carry. Accounting: input rows = rows written + quarantined + duplicates removed
 * (+ rows an interrupted run had already written).
 *
 * Crashes: the model commits first, then its quarantine; both record the input version consumed
 * and a batch number. A quarantine behind its model (a crash between the two commits) is completed
 * on the next run: the rows already in the model are not decided again.
 *
 * Retry: rows quarantined only by `retry` rules are evaluated again with the new rows on each run;
 * those that now pass move into the model and leave the quarantine in the same run.
 */
import type { Snapshot } from "../delta/index.ts";
import { createTableView, loadIfExists, sqlIdentifier, writeTable } from "../engine/index.ts";
import { AccountingError } from "./errors.ts";
import { checkResults, failureCountsSql, quarantinedSql, quarantineReasonsSql } from "./expectations.ts";
import { consumedVersion, type PendingInput, pendingInput } from "./input-state.ts";
import { tableStore } from "./layer-tables.ts";
import {
  type BuildContext,
  buildTxns,
  checkedSql,
  currentDefinition,
  definitionHash,
  ModelError,
  type ModelResult,
  quarantineName,
  quarantines,
  upToDate,
} from "./model-build.ts";
import type { PlannedModel } from "./model-graph.ts";
import type { Zone } from "./project-config.ts";
import { resolveTableReferences, streamReferences } from "./table-references.ts";

const BATCH_APP_ID = "medallion-lake/batch";

/**
 * Builds an incremental model.
 * @throws ModelError when its SQL does not read exactly one `stream(...)` or its rows lack lineage.
 * @throws ExpectationFailedError, AccountingError.
 */
export async function buildIncremental(b: BuildContext, model: PlannedModel): Promise<ModelResult> {
  const { ctx, project } = b;
  const config = model.config;
  const label = `${config.zone}.${config.name}`;
  const streams = streamReferences(model.sql);
  if (streams.length !== 1)
    throw new ModelError(label, "an incremental model reads its input as stream(zone.table), exactly once");
  const input = streams[0] as string;
  const [inputZone, inputTable] = input.split(".") as [Zone, string];
  const inputStore = tableStore(project, inputZone, inputTable);
  const inputSnapshot = await loadIfExists(ctx, inputStore);
  if (inputSnapshot === undefined) return upToDate(config);

  const store = tableStore(project, config.zone, config.name);
  const quarantineStore = tableStore(project, config.zone, quarantineName(config));
  const current = await loadIfExists(ctx, store);
  const quarantine = await loadIfExists(ctx, quarantineStore);
  const rules = config.expectations;
  const uniqueRule = rules.find((r) => r.unique !== undefined && r.unique === config.uniqueKey);
  const rowRules = rules.filter((r) => r !== uniqueRule);
  const uniqueAction = uniqueRule?.action ?? "warn";
  const keepsQuarantine = quarantines(rules);

  const hash = definitionHash(model);
  const modelConsumed = consumedVersion(current, input);
  const batch = current?.txn(BATCH_APP_ID)?.version ?? 0;
  // The quarantine is complete when it recorded the model's batch; otherwise a crash came between them.
  const quarantineBehind =
    keepsQuarantine && current !== undefined && (quarantine?.txn(BATCH_APP_ID)?.version ?? 0) !== batch;
  const quarantineConsumed = quarantineBehind ? consumedVersion(quarantine, input) : modelConsumed;
  const pending: PendingInput = b.fullRefresh
    ? { kind: "rebuild", reason: "full refresh" }
    : current !== undefined && currentDefinition(current) !== hash
      ? { kind: "rebuild", reason: "its definition changed" }
      : await pendingInput(input, inputStore, inputSnapshot, quarantineConsumed);
  const rebuild = pending.kind === "rebuild";
  const retryRules = rowRules.filter((r) => r.retry && r.action === "quarantine").map((r) => r.name);
  // Quarantined rows are tried again when a model they must exist in has changed since the last batch.
  const lookupsChanged = async () => {
    for (const target of new Set(
      rowRules.filter((r) => retryRules.includes(r.name) && r.existsIn).map((r) => r.existsIn?.model ?? ""),
    )) {
      const [zone, table] = target.split(".") as [Zone, string];
      const snapshot = await loadIfExists(ctx, tableStore(project, zone, table));
      if (snapshot !== undefined && snapshot.version !== consumedVersion(current, target)) return true;
    }
    return false;
  };
  const retrying =
    !rebuild &&
    !quarantineBehind &&
    retryRules.length > 0 &&
    quarantine !== undefined &&
    (await lookupsChanged());
  const candidates = retrying
    ? await ctx.session.connection.runAndReadAll(
        `SELECT count(*) FROM ${await createTableView(ctx, quarantineStore, `${config.name}__quarantine_now`, { snapshot: quarantine })}
         WHERE list_has_all(${nameList(retryRules)}, failed_rules)`,
      )
    : undefined;
  const candidateCount = Number(candidates?.getRows()[0]?.[0] ?? 0);
  if (pending.kind === "up-to-date" && !quarantineBehind && candidateCount === 0) return upToDate(config);

  const prefix = `${config.name}__`;
  const run = (sql: string) => ctx.session.connection.run(sql);
  const one = async (sql: string) => (await ctx.session.connection.runAndReadAll(sql)).getRows()[0] ?? [];
  const newRows = await createTableView(ctx, inputStore, `${prefix}new`, {
    snapshot: inputSnapshot,
    files:
      pending.kind === "incremental"
        ? pending.files
        : pending.kind === "rebuild"
          ? inputSnapshot.files()
          : [],
  });
  const inputColumns = inputSnapshot.schema.fields.map((f) => sqlIdentifier(f.name));
  if (!["_source_file", "_source_row"].every((c) => inputSnapshot.schema.fields.some((f) => f.name === c)))
    throw new ModelError(label, `its input ${input} has no lineage columns (_source_file, _source_row)`);
  const retried = `(SELECT ${inputColumns.join(", ")} FROM ${prefix}quarantine_now
    WHERE list_has_all(${nameList(retryRules)}, failed_rules))`;
  try {
    await run(`CREATE OR REPLACE TEMP VIEW ${prefix}input AS SELECT ${inputColumns.join(", ")} FROM ${newRows}
      ${candidateCount > 0 ? `UNION ALL SELECT * FROM ${retried}` : ""}`);
    // `_rid` orders rows by file, then line: a row's lineage as one number.
    await run(`CREATE OR REPLACE TEMP TABLE ${prefix}files AS
      SELECT _source_file, row_number() OVER (ORDER BY _source_file) AS ordinal
      FROM (SELECT DISTINCT _source_file FROM ${prefix}input)`);
    const rid = (alias: string) => `((f.ordinal << 32) + ${alias}._source_row)`;
    const resolved = await resolveTableReferences(
      ctx,
      project,
      `SELECT m.*, ${rid("m")} AS _rid FROM (${model.sql}) m JOIN ${prefix}files f USING (_source_file)`,
      { streams: { [input]: `${prefix}input` } },
    );
    // Two views over the same rows: the checked one (with the rules) for the status below, the plain
    // one for the rows written, which then pays for no rule lookups.
    await run(`CREATE OR REPLACE TEMP VIEW ${prefix}rows AS ${resolved.sql}`);
    const checks = await resolveTableReferences(
      ctx,
      project,
      checkedSql(`SELECT * FROM ${prefix}rows`, rowRules),
    );
    await run(`CREATE OR REPLACE TEMP VIEW ${prefix}checked AS ${checks.sql}`);
    const outputColumns = (await ctx.session.connection.runAndReadAll(`DESCRIBE ${prefix}checked`))
      .getRows()
      .map((r) => String(r[0]));
    if (!outputColumns.includes("_source_file") || !outputColumns.includes("_source_row"))
      throw new ModelError(
        label,
        "its rows must carry the lineage columns _source_file and _source_row of its input",
      );
    // Rows an interrupted run already wrote to the model are decided: they are not written again.
    const recovering = quarantineBehind && !rebuild && current !== undefined;
    const decided = recovering
      ? `(SELECT ${rid("q")} AS _rid FROM ${await createTableView(ctx, store, `${prefix}current_lineage`, { snapshot: current })} q
          JOIN ${prefix}files f USING (_source_file))`
      : "(SELECT NULL::BIGINT AS _rid WHERE false)";
    const key = config.uniqueKey === undefined ? undefined : sqlIdentifier(config.uniqueKey);
    const order = orderItems(config.orderBy);
    await run(`CREATE OR REPLACE TEMP TABLE ${prefix}status AS
      SELECT _rid, ${key ?? "NULL"} AS _key, ${order.columns.map((c) => `${c}, `).join("")}failed_rules,
        ${quarantinedSql(rowRules, "failed_rules")} AS quarantined
      FROM ${prefix}checked ${recovering ? `ANTI JOIN ${decided} d USING (_rid)` : ""}`);
    const currentView =
      key !== undefined && current !== undefined && !rebuild
        ? await createTableView(ctx, store, `${prefix}current`, { snapshot: current })
        : undefined;
    // The rows that go to the model: per key, the first (or last) valid row of the batch in `orderBy`
    // order; then against the row the model already has for that key: by lineage order (the
    // default) the row already there came first; with a declared order, the order decides (ties: the
    // row already there stays with keep first, the new row wins with keep last). A NULL key is no
    // one's duplicate. `replaced` holds the keys whose row in the model the new row replaces.
    const pick =
      order.by === undefined
        ? `${config.keep === "first" ? "min" : "max"}(s._rid)`
        : `${config.keep === "first" ? "first" : "last"}(s._rid ORDER BY ${order.by})`;
    const best = `SELECT ${pick} AS _rid, any_value(s._key) AS _key FROM ${prefix}status s
      WHERE NOT s.quarantined GROUP BY s._key, CASE WHEN s._key IS NULL THEN s._rid END`;
    if (key === undefined) {
      await run(
        `CREATE OR REPLACE TEMP TABLE ${prefix}firsts AS SELECT _rid FROM ${prefix}status WHERE NOT quarantined`,
      );
    } else if (currentView === undefined) {
      await run(`CREATE OR REPLACE TEMP TABLE ${prefix}firsts AS ${best}`);
    } else if (order.by === undefined) {
      await run(`CREATE OR REPLACE TEMP TABLE ${prefix}firsts AS SELECT b.* FROM (${best}) b
        ${config.keep === "first" ? `ANTI JOIN (SELECT ${key} AS _key FROM ${currentView}) e ON e._key = b._key` : ""}`);
      if (config.keep === "last") {
        await run(`CREATE OR REPLACE TEMP TABLE ${prefix}replaced AS
          SELECT _key FROM ${prefix}firsts SEMI JOIN (SELECT ${key} AS _key FROM ${currentView}) e USING (_key)`);
      }
    } else {
      const tieBreak = config.keep === "first" ? "_existing DESC" : "_existing";
      const ranking = order.columns
        .map(
          (_, i) =>
            `_o${i}${order.directions[i] === (config.keep === "first" ? "DESC" : "ASC") ? " DESC" : ""}`,
        )
        .join(", ");
      await run(`CREATE OR REPLACE TEMP TABLE ${prefix}contenders AS
        WITH b AS (${best})
        SELECT b._rid, b._key, ${order.columns.map((_, i) => `s._o${i}`).join(", ")}, false AS _existing
        FROM b JOIN ${prefix}status s USING (_rid)
        UNION ALL
        SELECT NULL, ${key}, ${order.columns.map((c) => c.replace(/ AS _o\d+$/, "")).join(", ")}, true
        FROM ${currentView} WHERE ${key} IN (SELECT _key FROM b)`);
      await run(`CREATE OR REPLACE TEMP TABLE ${prefix}winners AS SELECT * FROM ${prefix}contenders
        QUALIFY row_number() OVER (PARTITION BY _key ORDER BY ${ranking}, ${tieBreak}) = 1`);
      await run(
        `CREATE OR REPLACE TEMP TABLE ${prefix}firsts AS SELECT _rid, _key FROM ${prefix}winners WHERE NOT _existing`,
      );
      await run(`CREATE OR REPLACE TEMP TABLE ${prefix}replaced AS
        SELECT _key FROM ${prefix}firsts SEMI JOIN (SELECT _key FROM ${prefix}contenders WHERE _existing) e USING (_key)`);
    }
    const replacing = currentView !== undefined && (config.keep === "last" || order.by !== undefined);
    const [decidedRows] = recovering ? await one(`SELECT count(*) FROM ${decided}`) : [0];
    const [total, valid, firsts, ...ruleCounts] = await one(
      `SELECT count(*), count(*) FILTER (WHERE NOT quarantined), (SELECT count(*) FROM ${prefix}firsts),
        ${[...failureCountsSql(rowRules, "failed_rules"), "0"].join(", ")} FROM ${prefix}status`,
    );
    const duplicates = Number(valid) - Number(firsts);
    const expectations = checkResults(label, uniqueRule ? [...rowRules, uniqueRule] : rowRules, [
      ...ruleCounts.slice(0, rowRules.length),
      ...(uniqueRule ? [duplicates] : []),
    ]);

    // Retried rows: those that now pass move into the model; the others keep their quarantine row.
    let retriedRows = 0;
    if (candidateCount > 0) {
      await run(`CREATE OR REPLACE TEMP TABLE ${prefix}retried AS
        SELECT r._source_file AS m_file, r._source_row AS m_row, s.quarantined
        FROM ${retried} r JOIN ${prefix}files f USING (_source_file) JOIN ${prefix}status s ON s._rid = ${rid("r")}`);
      retriedRows = Number((await one(`SELECT count(*) FROM ${prefix}retried WHERE NOT quarantined`))[0]);
    }
    // Only retried rows, and none passes: nothing to record (they are tried again on the next run).
    if (pending.kind === "up-to-date" && !quarantineBehind && retriedRows === 0) return upToDate(config);

    // What the quarantine needs, kept small; the status table's memory is better spent on the
    // partitioned write below (10M rows: ~400 MB of peak RSS).
    await run(`CREATE OR REPLACE TEMP TABLE ${prefix}failing AS
      SELECT _rid, ${quarantineReasonsSql(rowRules, "failed_rules")} AS failed_rules FROM ${prefix}status WHERE quarantined${
        uniqueAction === "quarantine"
          ? ` UNION ALL SELECT _rid, ['${uniqueRule?.name}'] FROM ${prefix}status
              WHERE NOT quarantined AND _rid NOT IN (SELECT _rid FROM ${prefix}firsts)`
          : ""
      }`);
    await run(`DROP TABLE ${prefix}status`);

    const lookups = new Map([...resolved.inputs, ...checks.inputs].map((i) => [i.reference, i.version]));
    const txns = (snapshot: Snapshot | undefined) => [
      ...buildTxns(hash, snapshot, [
        ...[...lookups].map(([reference, version]) => ({ reference, version })),
        { reference: input, version: inputSnapshot.version },
      ]),
      { appId: BATCH_APP_ID, version: batch + 1 },
    ];
    const replace = rebuild ? { mode: "overwrite" as const } : {};
    const columns = outputColumns.filter((c) => c !== "_rid" && c !== "failed_rules").map(sqlIdentifier);
    const written = await writeTable(
      ctx,
      store,
      {
        sql: `SELECT ${columns.join(", ")}, '${b.runId}' AS _run_id FROM ${prefix}rows SEMI JOIN ${prefix}firsts USING (_rid)`,
      },
      {
        txn: txns(current),
        rewrite: true,
        partitionBy: config.partitionBy,
        tableName: config.name,
        ...replace,
        ...(key !== undefined && !rebuild
          ? {
              readsTable: true,
              operation: {
                name: "MERGE",
                parameters: {
                  predicate: `target.${config.uniqueKey} = source.${config.uniqueKey}`,
                  matchedPredicates: replacing ? '[{"actionType":"update"}]' : "[]",
                  notMatchedPredicates: '[{"actionType":"insert"}]',
                },
              },
              ...(replacing ? { removeRows: `${key} IN (SELECT _key FROM ${prefix}replaced)` } : {}),
            }
          : {}),
      },
    );

    let quarantined = 0;
    if (keepsQuarantine || quarantine !== undefined) {
      // Rows leave the quarantine when a retry passed, or when an interrupted run had already moved
      // them into the model. A retried row that fails again keeps the quarantine row it has.
      const leaving =
        candidateCount > 0
          ? `SELECT m_file, m_row FROM ${prefix}retried WHERE NOT quarantined`
          : recovering && quarantine
            ? `SELECT q._source_file AS m_file, q._source_row AS m_row
               FROM ${await createTableView(ctx, quarantineStore, `${prefix}quarantine_lineage`, { snapshot: quarantine })} q
               SEMI JOIN ${prefix}current_lineage m USING (_source_file, _source_row)`
            : undefined;
      if (leaving) await run(`CREATE OR REPLACE TEMP TABLE ${prefix}leaving AS ${leaving}`);
      const stays =
        candidateCount > 0
          ? `ANTI JOIN (SELECT m_file AS _source_file, m_row AS _source_row FROM ${prefix}retried WHERE quarantined) k
             USING (_source_file, _source_row)`
          : "";
      const quarantineSql = `SELECT i.*, q.failed_rules, '${b.runId}' AS _run_id
        FROM ${prefix}input i JOIN ${prefix}files f USING (_source_file)
        JOIN ${prefix}failing q ON q._rid = ${rid("i")} ${stays}`;
      const moved = leaving
        ? `EXISTS (SELECT 1 FROM ${prefix}leaving WHERE m_file = _source_file AND m_row = _source_row)`
        : undefined;
      const result = await writeTable(
        ctx,
        quarantineStore,
        { sql: quarantineSql },
        {
          txn: txns(quarantine),
          rewrite: true,
          ...replace,
          ...(moved && !rebuild ? { removeRows: moved } : {}),
        },
      );
      quarantined = result.rowsWritten;
      if (candidateCount > 0 && result.rowsRemoved !== retriedRows) {
        throw new AccountingError(
          `${label}: ${retriedRows} quarantined rows now pass their rules, but ${result.rowsRemoved} left ${quarantineName(config)}`,
        );
      }
    }
    const removed = uniqueAction === "quarantine" ? 0 : duplicates;
    const inputRows = Number(total) + Number(decidedRows);
    const stillQuarantined = candidateCount - retriedRows;
    if (inputRows !== written.rowsWritten + quarantined + stillQuarantined + Number(decidedRows) + removed) {
      throw new AccountingError(
        `${label}: ${inputRows} input rows (${candidateCount} of them retried from quarantine), but ${written.rowsWritten} written + ${quarantined} quarantined + ${stillQuarantined} still quarantined + ${decidedRows} written by an interrupted run + ${removed} duplicates removed`,
      );
    }
    return {
      table: label,
      kind: config.kind,
      rebuilt: true,
      inputRows: inputRows - candidateCount,
      rows: written.rowsWritten,
      quarantined,
      duplicatesRemoved: removed,
      retried: retriedRows,
      expectations,
      ...(rebuild && pending.reason !== "first build" ? { reason: pending.reason } : {}),
    };
  } finally {
    await run(
      `DROP VIEW IF EXISTS ${prefix}checked; DROP VIEW IF EXISTS ${prefix}rows; DROP VIEW IF EXISTS ${prefix}input;
       DROP TABLE IF EXISTS ${prefix}status; DROP TABLE IF EXISTS ${prefix}failing; DROP TABLE IF EXISTS ${prefix}firsts; DROP TABLE IF EXISTS ${prefix}files;
       DROP TABLE IF EXISTS ${prefix}retried; DROP TABLE IF EXISTS ${prefix}leaving;
       DROP TABLE IF EXISTS ${prefix}contenders; DROP TABLE IF EXISTS ${prefix}winners; DROP TABLE IF EXISTS ${prefix}replaced`,
    );
  }
}

/** A SQL list literal of rule names. */
function nameList(names: readonly string[]): string {
  return `[${names.map((n) => `'${n}'`).join(", ")}]::VARCHAR[]`;
}

/**
 * The status table's columns for a declared `orderBy` (`_o0`, `_o1`, ...) and the ORDER BY over them;
 * lineage order needs neither (`_rid` is that order).
 */
function orderItems(orderBy: readonly string[]): {
  columns: string[];
  directions: Array<"ASC" | "DESC">;
  by: string | undefined;
} {
  if (orderBy.join() === "_source_file,_source_row") return { columns: [], directions: [], by: undefined };
  const parsed = orderBy.map((item) => /^(.*?)(?:\s+(ASC|DESC))?$/i.exec(item.trim()) as RegExpExecArray);
  const directions = parsed.map(
    ([, , d]) => (d?.toUpperCase() === "DESC" ? "DESC" : "ASC") as "ASC" | "DESC",
  );
  return {
    columns: parsed.map(([, expression], i) => `${expression} AS _o${i}`),
    directions,
    by: `${parsed.map((_, i) => `s._o${i} ${directions[i]}`).join(", ")}, s._rid`,
  };
}
