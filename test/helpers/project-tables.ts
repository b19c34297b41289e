/**
 * The contents of every table a project's pipeline writes, as sorted canonical JSON lines, for tests
 * that compare two projects (local and S3, clean and faulty).
 */
import { scanRows } from "../../src/delta/index.ts";
import { type DeltaContext, loadIfExists } from "../../src/engine/index.ts";
import { canonicalJson } from "../../src/lake/index.ts";
import { type ProjectConfig, projectTables, tableStore } from "../../src/pipeline/index.ts";

/** Per `zone.table` that exists: its version and its rows without the `omit` columns. */
export async function projectTableRows(
  ctx: DeltaContext,
  project: ProjectConfig,
  omit: readonly string[] = [],
): Promise<Record<string, { version: number; rows: string[] }>> {
  const all: Record<string, { version: number; rows: string[] }> = {};
  for (const { zone, table } of projectTables(project)) {
    const store = tableStore(project, zone, table);
    const snapshot = await loadIfExists(ctx, store);
    if (snapshot === undefined) continue;
    const rows: string[] = [];
    for await (const row of scanRows(snapshot, store, ctx.parquet)) {
      for (const column of omit) delete row[column];
      rows.push(canonicalJson(row, snapshot.schema));
    }
    all[`${zone}.${table}`] = { version: snapshot.version, rows: rows.sort() };
  }
  return all;
}
