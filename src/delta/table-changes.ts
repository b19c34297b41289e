/**
 * What changed in a table between two versions, read from the commits in between (Delta's "change
 * data" at file level): the files whose rows are new and the files whose rows left. Files rewritten
 * without a data change (`dataChange: false`: optimize, compaction) are neither, because their rows
 * were already in the table. This is what incremental consumers build on: they process `added` and
 * must rebuild what `removed` touched.
 */
import type { ObjectStore } from "../storage/index.ts";
import type { AddFile, RemoveFile } from "./actions.ts";
import { fileKey } from "./log-replay.ts";
import { listLog } from "./log-segment.ts";
import { parseCommit, readAll } from "./snapshot.ts";

/** The data changes of versions `fromVersion + 1` to `toVersion`. */
export interface TableChanges {
  /** The version the changes start after. */
  readonly fromVersion: number;
  readonly toVersion: number;
  /**
   * Files added with `dataChange: true`, in commit order. A file added and then removed with a data
   * change inside the range is left out (its rows came and went); one that was later compacted
   * (removed with `dataChange: false`) stays, because its rows are new even though they now live in
   * the compacted file as well.
   */
  readonly added: readonly AddFile[];
  /** Files removed with `dataChange: true` that were added before `fromVersion` (delete, overwrite, restore). */
  readonly removed: readonly RemoveFile[];
  /** Files added or removed with `dataChange: false` in the range (rows rearranged, not changed). */
  readonly rearranged: number;
  /** The operations (commitInfo) of the commits that removed data, e.g. `DELETE`, `RESTORE`, in order. */
  readonly removingOperations: readonly string[];
}

/**
 * The data changes between `fromVersion` (exclusive) and `toVersion` (inclusive), from the commit
 * files. Returns undefined when they cannot be known: `fromVersion` is newer than `toVersion` (the
 * table was re-created) or a commit of the range is no longer in the log (log cleanup). A caller then
 * treats the whole table as changed.
 * @throws CorruptLogError when a commit file cannot be parsed.
 */
export async function tableChanges(
  store: ObjectStore,
  fromVersion: number,
  toVersion: number,
): Promise<TableChanges | undefined> {
  if (fromVersion > toVersion) return undefined;
  if (fromVersion === toVersion) {
    return { fromVersion, toVersion, added: [], removed: [], rearranged: 0, removingOperations: [] };
  }
  const listing = await listLog(store, fromVersion + 1);
  const keys: string[] = [];
  for (let version = fromVersion + 1; version <= toVersion; version++) {
    const commit = listing.commits.get(version);
    if (commit === undefined) return undefined;
    keys.push(commit.key);
  }
  const texts = await readAll(store, keys);
  const added = new Map<string, AddFile>();
  const removed: RemoveFile[] = [];
  const removingOperations: string[] = [];
  let rearranged = 0;
  keys.forEach((key, i) => {
    let operation = "an unnamed operation";
    let removesData = false;
    for (const action of parseCommit(store.location, key, texts[i] ?? "")) {
      if ("commitInfo" in action) operation = action.commitInfo.operation ?? operation;
      else if ("add" in action) {
        if (action.add.dataChange) added.set(fileKey(action.add), action.add);
        else rearranged++;
      } else if ("remove" in action) {
        if (!action.remove.dataChange) rearranged++;
        else if (!added.delete(fileKey(action.remove))) {
          removed.push(action.remove);
          removesData = true;
        }
      }
    }
    if (removesData) removingOperations.push(`${operation} (version ${fromVersion + 1 + i})`);
  });
  return { fromVersion, toVersion, added: [...added.values()], removed, rearranged, removingOperations };
}
