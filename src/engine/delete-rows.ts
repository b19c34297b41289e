/**
 * DELETE by predicate, copy-on-write: files where no row matches stay; files where every row
 * matches are removed; other files are rewritten without the matching rows. Rows for which the
 * predicate is NULL stay, as in SQL.
 */
import {
  type Action,
  type CommitOptions,
  checkWriterRules,
  commit,
  InvalidOperationError,
  removeAction,
  type Snapshot,
} from "../delta/index.ts";
import type { ObjectStore } from "../storage/index.ts";
import { addActionFor, writeDataFiles } from "./data-file-writer.ts";
import type { DeltaContext } from "./delta-context.ts";
import { filesRelation, releaseAll } from "./table-files.ts";
import { uploadDataFiles } from "./upload.ts";

export interface DeleteMetrics {
  /** The committed version; undefined when nothing matched (no commit). */
  readonly version: number | undefined;
  readonly rowsDeleted: number;
  readonly filesRemoved: number;
  readonly filesAdded: number;
}

/**
 * Deletes the rows matching `predicate` (a DuckDB SQL boolean expression over the table's columns).
 * @throws AppendOnlyTableError on a table with `delta.appendOnly=true` (whether or not rows match).
 * @throws UnsupportedFeatureError when the table needs a writer feature we do not implement.
 * @throws InvalidOperationError on a predicate DuckDB cannot evaluate.
 */
export async function deleteRows(
  ctx: DeltaContext,
  store: ObjectStore,
  predicate: string,
  commitOptions: CommitOptions = {},
): Promise<DeleteMetrics> {
  const snapshot = await ctx.snapshot(store);
  checkWriterRules(store.location, snapshot, { operation: "delete from", removesData: true });
  const now = (commitOptions.clock ?? Date.now)();
  const { actions, rowsDeleted } = await ctx.staging.withFolder("write", (dir) =>
    rowsRemovedActions(ctx, snapshot, store, predicate, dir, now),
  );
  const filesRemoved = actions.filter((a) => "remove" in a).length;
  const filesAdded = actions.length - filesRemoved;
  if (rowsDeleted === 0) return { version: undefined, rowsDeleted, filesRemoved, filesAdded };
  const result = await commit(
    store,
    ctx.parquet,
    snapshot,
    {
      operation: "DELETE",
      operationParameters: { predicate: JSON.stringify([predicate]) },
      operationMetrics: {
        numDeletedRows: String(rowsDeleted),
        numRemovedFiles: String(filesRemoved),
        numAddedFiles: String(filesAdded),
      },
      actions,
      readScope: { kind: "table" },
    },
    commitOptions,
  );
  return { version: result.version, rowsDeleted, filesRemoved, filesAdded };
}

/**
 * The actions that remove the rows matching `predicate` from the snapshot's files, copy-on-write:
 * untouched files stay, fully matched files are removed, others are rewritten (into `dir`, then
 * uploaded) without the matching rows. For DELETE, and for writes that replace rows (a MERGE).
 * @throws InvalidOperationError on a predicate DuckDB cannot evaluate.
 */
export async function rowsRemovedActions(
  ctx: DeltaContext,
  snapshot: Snapshot,
  store: ObjectStore,
  predicate: string,
  dir: string,
  now: number,
): Promise<{ actions: Action[]; rowsDeleted: number }> {
  const actions: Action[] = [];
  let rowsDeleted = 0;
  for (const file of snapshot.files()) {
    const { sql, locals } = await filesRelation(ctx, snapshot, store, [file]);
    try {
      let counts: unknown[];
      try {
        const reader = await ctx.session.connection.runAndReadAll(
          `SELECT count(*) FILTER (WHERE (${predicate}) IS TRUE), count(*) FROM (${sql})`,
        );
        counts = reader.getRows()[0] ?? [0n, 0n];
      } catch (error) {
        throw new InvalidOperationError(
          `Cannot evaluate the delete predicate "${predicate}" on ${store.location}: ${(error as Error).message}`,
        );
      }
      const matched = Number(counts[0]);
      if (matched === 0) continue;
      rowsDeleted += matched;
      actions.push({ remove: removeAction(file, now) });
      if (matched === Number(counts[1])) continue;
      const staged = await writeDataFiles(
        ctx.session,
        `SELECT * FROM (${sql}) WHERE (${predicate}) IS NOT TRUE`,
        { schema: snapshot.schema, partitionColumns: snapshot.partitionColumns },
        dir,
      );
      await uploadDataFiles(store, staged);
      for (const f of staged) actions.push({ add: addActionFor(f, now) });
    } finally {
      await releaseAll(locals);
    }
  }
  return { actions, rowsDeleted };
}
