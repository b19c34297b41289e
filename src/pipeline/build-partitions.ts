/**
 * A `partitions` model: partitioned by `partitionBy`, and its SQL computes each partition from the
 * same partition of its driving inputs (the inputs partitioned by those columns too; others are read
 * whole). A run recomputes only the partitions whose driving-input files were added or removed since
 * the versions it consumed, read from their logs, so nothing that a stopped run or `--select` left
 * behind is missed. It is recomputed in full when it is new, its definition changed, a non-driving
 * input changed, or an input's changes cannot be read.
 *
 * The partitions are computed a bounded group at a time (about GROUP_BYTES of driving-input files),
 * so memory follows the largest partition, not the history. Only the last group's commit records the
 * inputs consumed: a run stopped between groups recomputes them all on the next run.
 */
import {
  type DeltaValue,
  isPrimitive,
  type PartitionValues,
  parsePartitionValue,
  type Snapshot,
} from "../delta/index.ts";
import { loadIfExists, writeTable } from "../engine/index.ts";
import { checkResults, failureCountsSql } from "./expectations.ts";
import { consumedVersion, pendingInput, touchedPartitions } from "./input-state.ts";
import { tableStore } from "./layer-tables.ts";
import {
  type BuildContext,
  buildTxns,
  checkedSql,
  currentDefinition,
  definitionHash,
  type ModelResult,
  upToDate,
} from "./model-build.ts";
import type { PlannedModel } from "./model-graph.ts";
import type { Zone } from "./project-config.ts";
import { resolveTableReferences, tableReferences } from "./table-references.ts";

/** About this many bytes of driving-input Parquet are computed per group of partitions. */
export const GROUP_BYTES = 1024 * 1024 * 1024;

/** Builds a partitions model. @throws ExpectationFailedError for a `fail` rule. */
export async function buildPartitions(b: BuildContext, model: PlannedModel): Promise<ModelResult> {
  const { ctx, project } = b;
  const config = model.config;
  const label = `${config.zone}.${config.name}`;
  const columns = config.partitionBy;
  const store = tableStore(project, config.zone, config.name);
  const current = await loadIfExists(ctx, store);
  const inputs = await inputSnapshots(b, model);
  if (inputs.length === 0) return upToDate(config);
  const driving = inputs.filter((i) => columns.every((c) => i.snapshot.partitionColumns.includes(c)));
  const hash = definitionHash(model);

  let reason: string | undefined = b.fullRefresh
    ? "full refresh"
    : current === undefined
      ? "first build"
      : currentDefinition(current) !== hash
        ? "its definition changed"
        : undefined;
  const touched = new Map<string, PartitionValues>();
  let changed = false;
  for (const input of reason === undefined ? inputs : []) {
    const isDriving = driving.includes(input);
    const pending = await pendingInput(
      input.reference,
      input.store,
      input.snapshot,
      consumedVersion(current, input.reference),
      isDriving,
    );
    if (pending.kind === "up-to-date") continue;
    if (pending.kind === "rebuild") {
      reason = pending.reason;
      break;
    }
    const parts = touchedPartitions(pending.changes, columns);
    if (!isDriving && (pending.files.length > 0 || pending.changes.removed.length > 0)) {
      reason = `${input.reference} changed, and it is not partitioned by ${columns.join(", ")}`;
      break;
    }
    if (parts === undefined) {
      reason = `${input.reference} removed files without partition values`;
      break;
    }
    for (const values of parts) touched.set(partitionKey(values, columns), values);
    changed ||= parts.length > 0;
  }
  const full = reason !== undefined;
  if (!full && !changed) return upToDate(config);

  // The partitions to compute, with the bytes of driving-input files each reads.
  const sizes = new Map<string, { values: PartitionValues; bytes: number }>();
  for (const [k, values] of touched) sizes.set(k, { values, bytes: 0 });
  for (const input of driving) {
    for (const file of input.snapshot.files()) {
      const k = partitionKey(file.partitionValues, columns);
      const entry =
        sizes.get(k) ?? (full ? { values: pick(file.partitionValues, columns), bytes: 0 } : undefined);
      if (entry === undefined) continue;
      entry.bytes += file.size;
      sizes.set(k, entry);
    }
  }
  const groups = groupBySize([...sizes.values()]);
  if (groups.length === 0) groups.push([]);
  const rules = config.expectations;
  const failures = rules.map(() => 0);
  let rows = 0;
  for (const [i, group] of groups.entries()) {
    const wanted = new Set(group.map((p) => partitionKey(p.values, columns)));
    const resolved = await resolveTableReferences(ctx, project, model.sql, {
      snapshots: Object.fromEntries(inputs.map((input) => [input.reference, input.snapshot])),
      files: (reference, snapshot) =>
        driving.some((d) => d.reference === reference)
          ? snapshot.files().filter((f) => wanted.has(partitionKey(f.partitionValues, columns)))
          : undefined,
    });
    let sql = resolved.sql;
    if (rules.length > 0) {
      await ctx.session.connection.run(
        `CREATE OR REPLACE TEMP TABLE ${config.name}__checked AS ${checkedSql(sql, rules)}`,
      );
      const counts = (
        await ctx.session.connection.runAndReadAll(
          `SELECT ${failureCountsSql(rules, "failed_rules").join(", ")} FROM ${config.name}__checked`,
        )
      ).getRows()[0];
      checkResults(label, rules, counts ?? []).forEach((r, j) => {
        failures[j] = (failures[j] ?? 0) + r.failed;
      });
      sql = `SELECT * EXCLUDE (failed_rules) FROM ${config.name}__checked`;
    }
    const last = i === groups.length - 1;
    const typed = group.map((p) => partitionFilter(driving[0]?.snapshot, p.values, columns));
    const written = await writeTable(
      ctx,
      store,
      { sql },
      {
        mode: "overwrite",
        partitionBy: columns,
        tableName: config.name,
        rewrite: true,
        // A full rebuild's first group replaces the whole table (and its shape); the others add theirs.
        ...(full && i === 0 ? { replaceTable: true } : { replacePartitions: typed }),
        ...(last
          ? {
              txn: buildTxns(
                hash,
                current,
                inputs.map((input) => ({ reference: input.reference, version: input.snapshot.version })),
              ),
            }
          : {}),
      },
    );
    rows += written.rowsWritten;
  }
  return {
    table: label,
    kind: config.kind,
    rebuilt: true,
    inputRows: 0,
    rows,
    quarantined: 0,
    duplicatesRemoved: 0,
    retried: 0,
    expectations: rules.map((r, j) => ({ name: r.name, action: r.action, failed: failures[j] ?? 0 })),
    partitions: sizes.size,
    ...(full && reason !== "first build" ? { reason } : {}),
  };
}

interface InputSnapshot {
  readonly reference: string;
  readonly store: ReturnType<typeof tableStore>;
  readonly snapshot: Snapshot;
}

/** The latest snapshot of every table the model reads (time-travel references read what they name). */
async function inputSnapshots(b: BuildContext, model: PlannedModel): Promise<InputSnapshot[]> {
  const out: InputSnapshot[] = [];
  for (const reference of tableReferences(model.sql)) {
    const [zone, table] = reference.split(".") as [Zone, string];
    const store = tableStore(b.project, zone, table);
    const snapshot = await loadIfExists(b.ctx, store);
    if (snapshot === undefined) return [];
    out.push({ reference, store, snapshot });
  }
  return out;
}

function pick(values: PartitionValues, columns: readonly string[]): PartitionValues {
  return Object.fromEntries(columns.map((c) => [c, values[c] ?? null]));
}

function partitionKey(values: PartitionValues, columns: readonly string[]): string {
  return JSON.stringify(columns.map((c) => values[c] ?? null));
}

/** Consecutive groups (in partition order) of about GROUP_BYTES each; one partition never splits. */
function groupBySize<T extends { values: PartitionValues; bytes: number }>(parts: T[]): T[][] {
  const sorted = parts.sort((a, b) => (JSON.stringify(a.values) < JSON.stringify(b.values) ? -1 : 1));
  const groups: T[][] = [];
  let bytes = Number.POSITIVE_INFINITY;
  for (const part of sorted) {
    if (bytes + part.bytes > GROUP_BYTES) {
      groups.push([]);
      bytes = 0;
    }
    (groups.at(-1) as T[]).push(part);
    bytes += part.bytes;
  }
  return groups;
}

/** Partition values as the typed values `replacePartitions` compares (the driving input's types). */
function partitionFilter(
  input: Snapshot | undefined,
  values: PartitionValues,
  columns: readonly string[],
): Record<string, DeltaValue> {
  return Object.fromEntries(
    columns.map((name) => {
      const type = input?.schema.fields.find((f) => f.name === name)?.type;
      return [
        name,
        parsePartitionValue(values[name], type !== undefined && isPrimitive(type) ? type : "string"),
      ];
    }),
  );
}
