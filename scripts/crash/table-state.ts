/**
 * What a crash trial compares: the rows of every table the pipeline writes (bronze, silver and gold,
 * as `projectTables` lists them), sorted, without the columns that legitimately differ between two
 * runs of the same scenario.
 */
import { DeltaContext } from "../../src/engine/index.ts";
import { loadProject } from "../../src/pipeline/index.ts";
import { projectTableRows } from "../../test/helpers/project-tables.ts";

/**
 * Columns left out of the comparison, in every table that has them:
 * - `_ingested_at` (bronze tables, the dimensions, `sales_enriched_quarantine`): the start time of the run that
 *   loaded the row into bronze. It is the clock, not the data; a re-run after a kill loads the same
 *   rows at another time. (The dimensions order by it to keep the latest row per key: only its order
 *   matters, and the scenario keeps that order.)
 * - `_run_id` (`sales_enriched`, `sales_enriched_quarantine`): the id of the run that wrote the row; a re-run
 *   after a kill has a new id.
 * The run log (`_system/runs`) is not compared at all: it records every run, so a scenario with a
 * killed run and a failed re-run legitimately holds other rows. Table versions are not compared
 * either: only what the tables hold.
 */
export const OMITTED_COLUMNS: readonly string[] = ["_ingested_at", "_run_id"];

/** Per `zone.table`: its rows as sorted canonical JSON lines. */
export type TableState = Readonly<Record<string, readonly string[]>>;

/** Reads every table of the project in `projectDir`. */
export async function readTableState(projectDir: string): Promise<TableState> {
  const project = await loadProject(projectDir);
  const tables = await DeltaContext.with((ctx) => projectTableRows(ctx, project, OMITTED_COLUMNS), {
    threads: 1,
  });
  return Object.fromEntries(Object.entries(tables).map(([name, { rows }]) => [name, rows]));
}

/** How one table differs from the reference. */
export interface TableMismatch {
  readonly table: string;
  /** Rows of the reference the trial lacks (counting duplicates). */
  readonly missing: readonly string[];
  /** Rows the trial holds beyond the reference (counting duplicates). */
  readonly extra: readonly string[];
  /** The table exists in one state only. */
  readonly absent?: "in the trial" | "in the reference";
}

/** The tables whose rows differ, in the reference's table order, then tables only the trial has. */
export function compareTableStates(reference: TableState, actual: TableState): TableMismatch[] {
  const mismatches: TableMismatch[] = [];
  for (const [table, expected] of Object.entries(reference)) {
    const rows = actual[table];
    if (rows === undefined) {
      if (expected.length > 0)
        mismatches.push({ table, missing: expected, extra: [], absent: "in the trial" });
      continue;
    }
    const { missing, extra } = multisetDifference(expected, rows);
    if (missing.length > 0 || extra.length > 0) mismatches.push({ table, missing, extra });
  }
  for (const [table, rows] of Object.entries(actual)) {
    if (!(table in reference) && rows.length > 0) {
      mismatches.push({ table, missing: [], extra: rows, absent: "in the reference" });
    }
  }
  return mismatches;
}

/** One line: `silver.sales_enriched_quarantine: 12 rows missing, 0 extra (missing e.g. {...})`. */
export function describeMismatch(m: TableMismatch, sampleChars = 240): string {
  const parts = [`${m.table}: ${m.missing.length} rows missing, ${m.extra.length} extra`];
  if (m.absent) parts.push(`(table absent ${m.absent})`);
  const sample = m.missing[0] ?? m.extra[0];
  if (sample !== undefined) {
    const row = withoutOmitted(sample);
    const text = row.length > sampleChars ? `${row.slice(0, sampleChars)}…` : row;
    parts.push(`(${m.missing.length > 0 ? "missing" : "extra"} e.g. ${text})`);
  }
  return parts.join(" ");
}

/** A row's JSON without the omitted columns (which the canonical form keeps as null). */
function withoutOmitted(json: string): string {
  const row = JSON.parse(json) as Record<string, unknown>;
  for (const column of OMITTED_COLUMNS) delete row[column];
  return JSON.stringify(row);
}

/** Rows in `expected` but not in `actual`, and the reverse, counting repeats. */
function multisetDifference(
  expected: readonly string[],
  actual: readonly string[],
): { missing: string[]; extra: string[] } {
  const counts = new Map<string, number>();
  for (const row of expected) counts.set(row, (counts.get(row) ?? 0) + 1);
  const extra: string[] = [];
  for (const row of actual) {
    const n = counts.get(row) ?? 0;
    if (n > 0) counts.set(row, n - 1);
    else extra.push(row);
  }
  const missing = [...counts].flatMap(([row, n]) => Array<string>(n).fill(row));
  return { missing, extra };
}
