/**
 * Timestamp-based time travel: which version was current at an instant. Follows Spark's
 * `DeltaHistoryManager`: commit time is the in-commit timestamp where enabled, else the commit file's
 * modification time, made strictly increasing in version order; the answer is the latest version
 * committed at or before the instant, among versions the log can still reconstruct.
 */
import type { ObjectStore } from "../storage/index.ts";
import { VersionNotAvailableError } from "./errors.ts";
import { listLog } from "./log-segment.ts";
import { parseCommit, readAll, type Snapshot } from "./snapshot.ts";
import { inCommitTimestampsEnabledAt } from "./table-properties.ts";

/** One commit and the time it counts as committed. */
export interface CommitTime {
  readonly version: number;
  readonly timestamp: number;
}

/**
 * The commit times of every retained, reconstructable version, ascending.
 * @param latest the latest snapshot, whose metadata says whether in-commit timestamps are on.
 */
export async function commitTimes(store: ObjectStore, latest: Snapshot): Promise<CommitTime[]> {
  const listing = await listLog(store);
  const versions = [...listing.commits.keys()].sort((a, b) => a - b);
  const checkpointVersions = listing.checkpoints.map((c) => c.version);
  // Reconstructable: from version 0, or from the oldest checkpoint (whose own commit file may be gone).
  const floor = listing.commits.has(0) ? 0 : Math.min(...checkpointVersions);
  const retained = versions.filter((v) => v >= floor && v <= latest.version);
  const ictVersions = retained.filter((v) => inCommitTimestampsEnabledAt(latest.metadata, v));
  const ictTexts = await readAll(
    store,
    ictVersions.map((v) => listing.commits.get(v)?.key ?? ""),
  );
  const ict = new Map<number, number>();
  ictVersions.forEach((v, i) => {
    const key = listing.commits.get(v)?.key ?? "";
    const info = parseCommit(store.location, key, ictTexts[i] ?? "").find((a) => "commitInfo" in a);
    const value = info && "commitInfo" in info ? info.commitInfo.inCommitTimestamp : undefined;
    if (typeof value === "number") ict.set(v, value);
  });
  const times: CommitTime[] = [];
  let previous = Number.NEGATIVE_INFINITY;
  for (const version of retained) {
    const fromIct = ict.get(version);
    let timestamp = fromIct ?? listing.commits.get(version)?.lastModified ?? 0;
    if (fromIct === undefined && timestamp <= previous) timestamp = previous + 1;
    times.push({ version, timestamp });
    previous = timestamp;
  }
  return times;
}

/**
 * The version current at `timestamp` (ms): the latest version committed at or before it. An instant
 * after the last commit gives the latest version.
 * @throws VersionNotAvailableError when the instant is before the earliest retained commit.
 */
export async function versionAtTimestamp(
  store: ObjectStore,
  latest: Snapshot,
  timestamp: number,
): Promise<number> {
  const times = await commitTimes(store, latest);
  let found: CommitTime | undefined;
  for (const time of times) {
    if (time.timestamp <= timestamp) found = time;
    else if (found) break;
  }
  if (found === undefined) {
    const earliest = times[0];
    const when = new Date(timestamp).toISOString();
    throw new VersionNotAvailableError(
      store.location,
      `the version at ${when}`,
      earliest
        ? `the earliest available commit is version ${earliest.version} at ${new Date(earliest.timestamp).toISOString()}`
        : "the table has no retained commits",
    );
  }
  return found.version;
}
