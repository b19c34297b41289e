/**
 * The log segment of a version ("Snapshot" reconstruction): the newest complete checkpoint at or below
 * the version plus the contiguous commits after it. Built from one listing of `_delta_log/`, starting at
 * the `_last_checkpoint` hint when it helps.
 */
import type { ObjectStore } from "../storage/index.ts";
import { CorruptLogError, TableNotFoundError, VersionNotAvailableError } from "./errors.ts";
import { readLastCheckpoint } from "./last-checkpoint.ts";
import { type CheckpointFile, LOG_DIR, type ParsedLogPath, padVersion, parseLogPath } from "./log-path.ts";

/** A commit file of the segment, with the modification time time travel needs. */
export interface CommitFile {
  readonly version: number;
  readonly key: string;
  readonly lastModified: number;
}

/** A complete checkpoint: one file, or every part of a multi-part one. */
export interface Checkpoint {
  readonly version: number;
  readonly type: CheckpointFile["type"];
  readonly keys: readonly string[];
}

export interface LogSegment {
  /** The version the segment reconstructs. */
  readonly version: number;
  /** The checkpoint replay starts from, if any. */
  readonly checkpoint?: Checkpoint;
  /** Commits after the checkpoint (or from 0) up to `version`, ascending. */
  readonly commits: readonly CommitFile[];
}

/** What a listing of `_delta_log/` found, grouped by kind. */
export interface LogListing {
  readonly commits: ReadonlyMap<number, CommitFile>;
  readonly checkpoints: readonly Checkpoint[];
}

/**
 * Lists the log. With `fromVersion`, only files of that version and later (the `_last_checkpoint`
 * shortcut); otherwise the whole log.
 */
export async function listLog(store: ObjectStore, fromVersion?: number): Promise<LogListing> {
  const commits = new Map<number, CommitFile>();
  const checkpointFiles: Array<ParsedLogPath & { kind: "checkpoint" }> = [];
  const startAfter = fromVersion === undefined ? undefined : `${LOG_DIR}${padVersion(fromVersion)}`;
  // A key equal to startAfter cannot exist, so this lists every file of fromVersion and later.
  for await (const meta of store.list(LOG_DIR, startAfter === undefined ? {} : { startAfter })) {
    const parsed = parseLogPath(meta.key);
    if (parsed?.kind === "commit") {
      commits.set(parsed.version, {
        version: parsed.version,
        key: meta.key,
        lastModified: meta.lastModified,
      });
    } else if (parsed?.kind === "checkpoint") {
      checkpointFiles.push(parsed);
    }
  }
  return { commits, checkpoints: completeCheckpoints(checkpointFiles) };
}

/**
 * Builds the segment for `version` (latest when omitted).
 * @throws TableNotFoundError when the log holds no commits.
 * @throws VersionNotAvailableError when the version is newer than the table or older than the
 *   retained log.
 * @throws CorruptLogError when commits are missing between the checkpoint and the version.
 */
export async function buildLogSegment(
  store: ObjectStore,
  options: { version?: number; skipCheckpoints?: ReadonlySet<number> } = {},
): Promise<LogSegment> {
  const { version: target, skipCheckpoints } = options;
  const hint = skipCheckpoints?.size ? undefined : await readLastCheckpoint(store);
  let listing =
    hint !== undefined && (target === undefined || hint.version <= target)
      ? await listLog(store, hint.version)
      : undefined;
  // A wrong hint (no checkpoint where it points, or nothing listed from there) falls back to the full listing.
  const usable = listing?.checkpoints.some((c) => target === undefined || c.version <= target);
  if (listing === undefined || !usable) listing = await listLog(store);
  return segmentFromListing(store.location, listing, target, skipCheckpoints);
}

/** Chooses the checkpoint and commits for `target` from a listing (pure; exported for reuse and tests). */
export function segmentFromListing(
  location: string,
  listing: LogListing,
  target: number | undefined,
  skipCheckpoints?: ReadonlySet<number>,
): LogSegment {
  const { commits } = listing;
  if (commits.size === 0 && listing.checkpoints.length === 0) throw new TableNotFoundError(location);
  const latest = Math.max(...commits.keys(), ...listing.checkpoints.map((c) => c.version));
  const version = target ?? latest;
  if (!Number.isSafeInteger(version) || version < 0) {
    throw new VersionNotAvailableError(location, `version ${version}`, "a version is a whole number >= 0");
  }
  if (version > latest) {
    throw new VersionNotAvailableError(location, `version ${version}`, `the latest version is ${latest}`);
  }
  const checkpoint = listing.checkpoints
    .filter((c) => c.version <= version && !skipCheckpoints?.has(c.version))
    .reduce<Checkpoint | undefined>(
      (best, c) => (best === undefined || isBetter(c, best) ? c : best),
      undefined,
    );
  const first = checkpoint ? checkpoint.version + 1 : 0;
  const segmentCommits: CommitFile[] = [];
  for (let v = first; v <= version; v++) {
    const commit = commits.get(v);
    if (commit === undefined) {
      if (v === 0 || (checkpoint === undefined && segmentCommits.length === 0)) {
        const earliest = Math.min(...commits.keys(), ...listing.checkpoints.map((c) => c.version));
        throw new VersionNotAvailableError(
          location,
          `version ${version}`,
          `the log before version ${earliest} was cleaned up and no checkpoint at or below ${version} remains`,
        );
      }
      throw new CorruptLogError(
        location,
        `${LOG_DIR}${padVersion(v)}.json`,
        `versions are not contiguous: commit ${v} is missing between ${first} and ${version}`,
      );
    }
    segmentCommits.push(commit);
  }
  return { version, ...(checkpoint ? { checkpoint } : {}), commits: segmentCommits };
}

/** True when `a` is the better checkpoint to start from: newer, or a single file at the same version. */
function isBetter(a: Checkpoint, b: Checkpoint): boolean {
  // A single file is cheaper to read than the parts of a multi-part checkpoint.
  return (
    a.version > b.version || (a.version === b.version && a.type !== "multipart" && b.type === "multipart")
  );
}

/** Groups checkpoint files into complete checkpoints; incomplete multi-part sets are ignored. */
function completeCheckpoints(files: ReadonlyArray<ParsedLogPath & { kind: "checkpoint" }>): Checkpoint[] {
  const result: Checkpoint[] = [];
  const multipart = new Map<string, Map<number, string>>();
  for (const file of files) {
    const cp = file.checkpoint;
    if (cp.type === "multipart") {
      const group = `${file.version}/${cp.parts}`;
      const parts = multipart.get(group) ?? new Map<number, string>();
      parts.set(cp.part, file.key);
      multipart.set(group, parts);
    } else {
      result.push({ version: file.version, type: cp.type, keys: [file.key] });
    }
  }
  for (const [group, parts] of multipart) {
    const [version, count] = group.split("/").map(Number) as [number, number];
    if (parts.size !== count) continue;
    const keys = [...parts.entries()].sort((a, b) => a[0] - b[0]).map(([, key]) => key);
    result.push({ version, type: "multipart", keys });
  }
  // Ascending by version; at the same version single files come first.
  return result.sort(
    (a, b) => a.version - b.version || Number(a.type === "multipart") - Number(b.type === "multipart"),
  );
}
