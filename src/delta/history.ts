/**
 * The commit history of a table (`DESCRIBE HISTORY`): one entry per retained commit, newest first,
 * from each commit's `commitInfo`.
 */
import type { ObjectStore } from "../storage/index.ts";
import type { CommitInfo } from "./actions.ts";
import { listLog } from "./log-segment.ts";
import { parseCommit, readAll, type Snapshot } from "./snapshot.ts";
import { commitTimes } from "./time-travel.ts";

/** One commit of the history. */
export interface HistoryEntry {
  readonly version: number;
  /** Commit time in ms (in-commit timestamp where enabled, else file time). */
  readonly timestamp: number;
  readonly operation: string | undefined;
  readonly operationParameters: Readonly<Record<string, unknown>>;
  readonly engineInfo: string | undefined;
  readonly readVersion: number | undefined;
  readonly isBlindAppend: boolean | undefined;
  /** Number of add and remove actions in the commit. */
  readonly adds: number;
  readonly removes: number;
}

/**
 * The history up to the snapshot's version, newest first; at most `limit` entries.
 * @throws CorruptLogError when a commit file cannot be parsed.
 */
export async function history(
  store: ObjectStore,
  latest: Snapshot,
  limit = Number.POSITIVE_INFINITY,
): Promise<HistoryEntry[]> {
  const times = (await commitTimes(store, latest)).reverse().slice(0, limit);
  const listing = await listLog(store, times.at(-1)?.version);
  const keys = times.map((t) => listing.commits.get(t.version)?.key ?? "");
  const texts = await readAll(store, keys);
  return times.map((time, i) => {
    const actions = parseCommit(store.location, keys[i] ?? "", texts[i] ?? "");
    let info: CommitInfo = {};
    let adds = 0;
    let removes = 0;
    for (const action of actions) {
      if ("commitInfo" in action) info = action.commitInfo;
      else if ("add" in action) adds++;
      else if ("remove" in action) removes++;
    }
    return {
      version: time.version,
      timestamp: time.timestamp,
      operation: info.operation,
      operationParameters: info.operationParameters ?? {},
      engineInfo: info.engineInfo,
      readVersion: info.readVersion,
      isBlindAppend: info.isBlindAppend,
      adds,
      removes,
    };
  });
}
