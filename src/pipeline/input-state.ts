/**
 * Incremental state, read from the Delta log and nowhere else. A derived table records the version of
 * each input it consumed as a `txn` action (appId `medallion-lake/input/<zone>.<table>`, version = the
 * input's table version) in the same commit that writes its data, so what it consumed and what it
 * holds can never disagree, whatever happens to the process. What is new since then comes from the
 * input's commits (`delta/table-changes.ts`):
 * - rows in files added with `dataChange: true` are new; files rewritten without a data change
 *   (optimize) are never processed again;
 * - a commit that removed data (delete, overwrite, restore) means the dependents must be rebuilt (or,
 *   for a partitioned consumer, the partitions those files belonged to).
 */
import {
  type AddFile,
  dataFileKey,
  type PartitionValues,
  type Snapshot,
  type TableChanges,
  tableChanges,
} from "../delta/index.ts";
import { ObjectNotFoundError, type ObjectStore } from "../storage/index.ts";

/** The txn appId under which a table records the version of `input` (`zone.table`) it consumed. */
export function inputAppId(input: string): string {
  return `medallion-lake/input/${input}`;
}

/** The version of `input` the table has consumed, if any. */
export function consumedVersion(table: Snapshot | undefined, input: string): number | undefined {
  return table?.txn(inputAppId(input))?.version;
}

/** What a consumer must do with an input whose latest version it has not consumed. */
export type PendingInput =
  | { readonly kind: "up-to-date" }
  /**
   * Process the rows of `files` (possibly none: only rearranged files) and record the new version.
   * `changes.removed` is empty unless the consumer said it can take removed rows.
   */
  | { readonly kind: "incremental"; readonly files: readonly AddFile[]; readonly changes: TableChanges }
  /** Process every row of the input again; `reason` says why, for the run's output. */
  | { readonly kind: "rebuild"; readonly reason: string };

/**
 * Compares what a consumer consumed of `input` (its `consumed` version, undefined when never) with the
 * input's `latest` snapshot. Rows removed from the input mean a rebuild, unless `takesRemovals` (a
 * consumer that recomputes whole partitions handles them as touched partitions).
 * @throws CorruptLogError when a commit of the input cannot be parsed.
 */
export async function pendingInput(
  input: string,
  store: ObjectStore,
  latest: Snapshot,
  consumed: number | undefined,
  takesRemovals = false,
): Promise<PendingInput> {
  if (consumed === undefined) return { kind: "rebuild", reason: "first build" };
  if (consumed === latest.version) return { kind: "up-to-date" };
  const changes = await tableChanges(store, consumed, latest.version);
  if (changes === undefined) {
    return {
      kind: "rebuild",
      reason:
        consumed > latest.version
          ? `${input} is at version ${latest.version}, older than the version ${consumed} consumed (was it re-created?)`
          : `the log of ${input} no longer holds every commit since version ${consumed}`,
    };
  }
  if (changes.removed.length > 0 && !takesRemovals) {
    return {
      kind: "rebuild",
      reason: `${input} lost rows since version ${consumed}: ${changes.removingOperations.join(", ")}`,
    };
  }
  // A new file that a later optimize compacted is read from its own file, which stays until a vacuum.
  const live = new Set(latest.files().map((f) => f.path));
  for (const file of changes.added) {
    if (live.has(file.path)) continue;
    try {
      await store.head(dataFileKey(latest, file.path));
    } catch (error) {
      if (!(error instanceof ObjectNotFoundError)) throw error;
      return {
        kind: "rebuild",
        reason: `${input}: a file added after version ${consumed} was compacted and then vacuumed`,
      };
    }
  }
  return { kind: "incremental", files: changes.added, changes };
}

/**
 * The distinct partition values (of `columns`) of the files a change added or removed, or undefined
 * when a removed file does not say its partition (other writers may leave it out).
 */
export function touchedPartitions(
  changes: TableChanges,
  columns: readonly string[],
): PartitionValues[] | undefined {
  const touched = new Map<string, PartitionValues>();
  for (const file of [...changes.added, ...changes.removed]) {
    if (file.partitionValues === null || file.partitionValues === undefined) return undefined;
    const values = Object.fromEntries(columns.map((c) => [c, file.partitionValues?.[c] ?? null]));
    touched.set(JSON.stringify(values), values);
  }
  return [...touched.values()];
}
