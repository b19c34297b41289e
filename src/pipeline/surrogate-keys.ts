/**
 * Surrogate keys that stay the same forever for a natural key: each dimension keeps an append-only key
 * map table (`<dim>_keys`: natural_key → key). New natural keys get the next numbers, in natural-key
 * order so a run is deterministic; existing ones are never renumbered, not even by a full refresh
 * (which rebuilds dimensions, never key maps). Two runs assigning keys at once conflict: the second
 * commit fails instead of giving a number twice.
 */
import { field, type StructType, struct } from "../delta/index.ts";
import { createTableView, type DeltaContext, loadIfExists, writeTable } from "../engine/index.ts";
import type { ObjectStore } from "../storage/index.ts";

export const KEY_MAP_SCHEMA: StructType = struct(
  field("natural_key", "string", false),
  field("key", "long", false),
);

/**
 * Adds a key for every natural key the query `naturalKeysSql` (one column `natural_key`) yields that
 * the map lacks; returns a view name over the complete map (`natural_key`, `key`).
 */
export async function assignKeys(
  ctx: DeltaContext,
  keyMap: ObjectStore,
  naturalKeysSql: string,
  viewName: string,
): Promise<{ view: string; added: number }> {
  const existing = await loadIfExists(ctx, keyMap);
  const current = existing
    ? await createTableView(ctx, keyMap, `${viewName}_before`, { snapshot: existing })
    : undefined;
  const source = current
    ? `(SELECT natural_key, key FROM ${current})`
    : "(SELECT NULL::VARCHAR AS natural_key, NULL::BIGINT AS key WHERE false)";
  const sql = `WITH known AS ${source},
      fresh AS (SELECT DISTINCT natural_key FROM (${naturalKeysSql}) WHERE natural_key IS NOT NULL
                AND natural_key NOT IN (SELECT natural_key FROM known))
    SELECT natural_key, (SELECT coalesce(max(key), 0) FROM known) + row_number() OVER (ORDER BY natural_key) AS key FROM fresh`;
  // The new keys are numbered after the map's largest: a concurrent assignment must conflict, never
  // commit beside this one (both would hand out the same numbers).
  const metrics = await writeTable(
    ctx,
    keyMap,
    { sql },
    { readsTable: true, ...(existing ? { readSnapshot: existing } : {}) },
  );
  return { view: await createTableView(ctx, keyMap, viewName), added: metrics.rowsWritten };
}
