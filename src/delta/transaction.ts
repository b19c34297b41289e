/**
 * Committing to a table with optimistic concurrency ("Creation of New Log Entries"): the commit file
 * `N.json` is created with put-if-absent. Losing the race means another writer committed N first:
 * its actions are checked against what this transaction read and changed, and on no conflict the
 * commit is retried as N+1 after a jittered backoff. After a commit at a multiple of
 * `delta.checkpointInterval`, a checkpoint is written.
 */
import { randomUUID } from "node:crypto";
import { ObjectExistsError, type ObjectStore } from "../storage/index.ts";
import type { Action, AddFile, CommitInfo, PartitionValues, RemoveFile, Txn } from "./actions.ts";
import { writeCheckpoint } from "./checkpoint-writer.ts";
import { CommitConflictError, CommitRetriesExhaustedError } from "./errors.ts";
import { commitKey } from "./log-path.ts";
import { fileKey } from "./log-replay.ts";
import { listLog } from "./log-segment.ts";
import type { ParquetPort } from "./parquet-port.ts";
import { parseCommit, readAll, Snapshot } from "./snapshot.ts";
import { checkpointInterval } from "./table-properties.ts";
import { ENGINE_INFO } from "./version.ts";
import { checkWriterRules } from "./writer-rules.ts";

/**
 * What the operation read, for conflict detection: nothing (a blind append), the whole table, the
 * files whose partition values match, or a set of files.
 */
export type ReadScope =
  | { readonly kind: "nothing" }
  | { readonly kind: "table" }
  | { readonly kind: "partitions"; readonly matches: (values: PartitionValues) => boolean }
  /** Exactly these files (by {@link fileKey}), e.g. a compaction: only their removal conflicts. */
  | { readonly kind: "files"; readonly keys: ReadonlySet<string> };

/** One commit to make. */
export interface CommitRequest {
  /** The operation name recorded in commitInfo (`WRITE`, `DELETE`, `OPTIMIZE`, ...). */
  readonly operation: string;
  readonly operationParameters: Readonly<Record<string, unknown>>;
  readonly operationMetrics?: Readonly<Record<string, unknown>>;
  /** The actions, without commitInfo. */
  readonly actions: readonly Action[];
  readonly readScope: ReadScope;
}

/** Knobs of committing; the defaults suit local folders and S3. */
export interface CommitOptions {
  /** Attempts before giving up (default 100). */
  readonly maxAttempts?: number;
  /** Wall clock in ms (default Date.now); injected by tests. */
  readonly clock?: () => number;
  /** Waits between attempts (default setTimeout). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Random numbers in [0, 1) for backoff jitter (default Math.random). */
  readonly random?: () => number;
  /** Write a checkpoint when the version is a multiple of the interval (default true). */
  readonly checkpoint?: boolean;
}

const BASE_BACKOFF_MS = 5;
// Kept short: a writer that lost a race has already caught up with the winners, and the longer it
// waits the likelier it loses again (8 writers on S3 starved one at a 250 ms cap).
const MAX_BACKOFF_MS = 50;

/** What a commit did. */
export interface CommitResult {
  readonly version: number;
  readonly attempts: number;
  /** Set when a checkpoint was due and written. */
  readonly checkpointed: boolean;
}

/**
 * Commits `request` on top of `read` (the snapshot the operation planned against; `undefined` to
 * create the table at version 0). The writer rules (`writer-rules.ts`) are checked against `read`
 * and the actions before anything is written.
 * @throws UnsupportedFeatureError when the table needs a writer feature we do not implement.
 * @throws AppendOnlyTableError when the actions remove data (`dataChange: true`) from an append-only table.
 * @throws CommitConflictError when a concurrent commit conflicts (the caller may re-plan and retry).
 * @throws CommitRetriesExhaustedError after `maxAttempts` lost races without conflict.
 */
export async function commit(
  store: ObjectStore,
  parquet: ParquetPort,
  read: Snapshot | undefined,
  request: CommitRequest,
  options: CommitOptions = {},
): Promise<CommitResult> {
  const clock = options.clock ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const maxAttempts = options.maxAttempts ?? 100;
  if (read !== undefined) {
    checkWriterRules(store.location, read, {
      operation: `commit ${request.operation} to`,
      removesData: request.actions.some((a) => "remove" in a && a.remove.dataChange),
    });
  }
  const txnId = randomUUID();
  const readVersion = read?.version;
  let version = (readVersion ?? -1) + 1;
  const newMetadata = request.actions.find((a) => "metaData" in a);
  const metadata = newMetadata && "metaData" in newMetadata ? newMetadata.metaData : read?.metadata;
  const interval = options.checkpoint === false || metadata === undefined ? 0 : checkpointInterval(metadata);
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const info: CommitInfo = {
      timestamp: clock(),
      operation: request.operation,
      operationParameters: request.operationParameters,
      ...(request.operationMetrics ? { operationMetrics: request.operationMetrics } : {}),
      ...(readVersion === undefined ? {} : { readVersion }),
      isolationLevel: isolationLevel(request.readScope),
      isBlindAppend: request.readScope.kind === "nothing" && !request.actions.some((a) => "remove" in a),
      engineInfo: ENGINE_INFO,
      txnId,
    };
    const body = serializeCommit([{ commitInfo: info }, ...request.actions]);
    try {
      try {
        await store.put(commitKey(version), body, { ifNoneMatch: true });
      } catch (error) {
        // The put failed after the object may have been written (its reply lost, every retry cut
        // off, or a later step of the put failing): if the log holds our commit, it stands.
        if (error instanceof ObjectExistsError || !(await holdsCommit(store, version, txnId))) throw error;
      }
      const committed = () =>
        version === (readVersion ?? -1) + 1 && read !== undefined
          ? Promise.resolve(
              read.withCommit([{ commitInfo: info }, ...request.actions], info.timestamp ?? clock()),
            )
          : Snapshot.load(store, parquet, version);
      const checkpointed = await maybeCheckpoint(store, parquet, version, interval, clock(), committed);
      return { version, attempts: attempt, checkpointed };
    } catch (error) {
      if (!(error instanceof ObjectExistsError)) throw error;
    }
    // Lost the race for `version`: catch up with every commit made since, in one listing.
    const winners = await commitsSince(store, version);
    // A retried PUT whose first try succeeded unseen: the "winner" is this very transaction.
    if (winners[0] !== undefined && isOwnCommit(winners[0].actions, txnId)) {
      const load = () => Snapshot.load(store, parquet, version);
      const checkpointed = await maybeCheckpoint(store, parquet, version, interval, clock(), load);
      return { version, attempts: attempt, checkpointed };
    }
    if (readVersion === undefined) {
      throw new CommitConflictError(
        store.location,
        version,
        "another writer created the table at the same time",
      );
    }
    for (const winner of winners) checkConflicts(store.location, winner.version, request, winner.actions);
    version = (winners.at(-1)?.version ?? version) + 1;
    // Full jitter keeps racing writers from colliding again in lockstep.
    await sleep(random() * Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.min(attempt, 10)));
  }
  throw new CommitRetriesExhaustedError(store.location, maxAttempts);
}

/**
 * The isolation level {@link checkConflicts} gives a commit that read `scope`, as Delta names them
 * for `commitInfo.isolationLevel`:
 * - `Serializable` when it read nothing, the table or partitions: a concurrent `add` with
 *   `dataChange: true` into what it read conflicts even when that commit was a blind append. Delta's
 *   weaker `WriteSerializable` would let such blind appends through; these checks never do.
 * - `SnapshotIsolation` when it read exactly some files (a compaction, `dataChange: false`): only
 *   concurrent removals of those files conflict, never concurrent adds, as for Spark's OPTIMIZE.
 */
export function isolationLevel(scope: ReadScope): "Serializable" | "SnapshotIsolation" {
  return scope.kind === "files" ? "SnapshotIsolation" : "Serializable";
}

/**
 * The Delta conflict rules: a metadata or protocol change conflicts with everything; the same `txn`
 * appId conflicts; removing a file this transaction removes or read conflicts; adding data
 * (`dataChange: true`) where this transaction read conflicts, whether or not the adding commit was a
 * blind append (see {@link isolationLevel}). Blind appends, which read nothing, never conflict
 * over data.
 * @throws CommitConflictError describing the first conflict.
 */
export function checkConflicts(
  location: string,
  version: number,
  request: CommitRequest,
  winner: readonly Action[],
): void {
  const conflict = (reason: string) => new CommitConflictError(location, version, reason);
  const ourTxns = new Set(request.actions.flatMap((a) => ("txn" in a ? [a.txn.appId] : [])));
  const ourRemoves = new Set(request.actions.flatMap((a) => ("remove" in a ? [fileKey(a.remove)] : [])));
  const scope = request.readScope;
  const inScope = (file: AddFile | RemoveFile) =>
    scope.kind === "table" || (scope.kind === "partitions" && scope.matches(file.partitionValues ?? {}));
  for (const action of winner) {
    if ("metaData" in action) throw conflict("it changed the table's metadata (schema or properties)");
    if ("protocol" in action) throw conflict("it changed the table's protocol");
    if ("txn" in action && ourTxns.has(action.txn.appId)) {
      throw conflict(`it committed for the same application id "${action.txn.appId}"`);
    }
    if ("remove" in action) {
      const key = fileKey(action.remove);
      if (ourRemoves.has(key)) throw conflict(`it also removed ${action.remove.path}`);
      if (inScope(action.remove) || (scope.kind === "files" && scope.keys.has(key))) {
        throw conflict(`it removed ${action.remove.path}, which this transaction read`);
      }
    }
    if ("add" in action && action.add.dataChange && inScope(action.add)) {
      throw conflict(`it added ${action.add.path} to data this transaction read`);
    }
  }
}

/** Builds a `txn` action for idempotent writes ("Transaction Identifiers"). */
export function txnAction(appId: string, version: number, now: number): { txn: Txn } {
  return { txn: { appId, version, lastUpdated: now } };
}

function serializeCommit(actions: readonly Action[]): Uint8Array {
  return new TextEncoder().encode(`${actions.map((a) => JSON.stringify(a)).join("\n")}\n`);
}

/** The commits from `version` to the newest, in order, with their actions. */
async function commitsSince(
  store: ObjectStore,
  version: number,
): Promise<Array<{ version: number; actions: Action[] }>> {
  const listing = await listLog(store, version);
  const versions = [...listing.commits.keys()].filter((v) => v >= version).sort((a, b) => a - b);
  const texts = await readAll(
    store,
    versions.map((v) => commitKey(v)),
  );
  return versions.map((v, i) => ({
    version: v,
    actions: parseCommit(store.location, commitKey(v), texts[i] ?? ""),
  }));
}

/**
 * Writes the checkpoint of `version` when it is a multiple of `interval` (0: never); `snapshot`
 * gives the state at that version, only when needed.
 */
async function maybeCheckpoint(
  store: ObjectStore,
  parquet: ParquetPort,
  version: number,
  interval: number,
  now: number,
  snapshot: () => Promise<Snapshot>,
): Promise<boolean> {
  if (interval === 0 || version === 0 || version % interval !== 0) return false;
  try {
    await writeCheckpoint(store, parquet, await snapshot(), now);
    return true;
  } catch {
    // The commit stands without its checkpoint (a storage fault, or a state we cannot checkpoint);
    // readers replay the JSON commits instead, and the next interval tries again.
    return false;
  }
}

/** Whether commit `version` exists and is the one with this `txnId`; false when it cannot be read. */
async function holdsCommit(store: ObjectStore, version: number, txnId: string): Promise<boolean> {
  try {
    const key = commitKey(version);
    const actions = parseCommit(store.location, key, new TextDecoder().decode(await store.get(key)));
    return isOwnCommit(actions, txnId);
  } catch {
    return false;
  }
}

/** Whether a commit's actions are the ones a transaction with this `txnId` wrote. */
function isOwnCommit(actions: readonly Action[], txnId: string): boolean {
  return actions.some((a) => "commitInfo" in a && a.commitInfo.txnId === txnId);
}
