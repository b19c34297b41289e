/**
 * A Snapshot: the state of a Delta table at one version, reconstructed from its log segment. It holds
 * the protocol, metadata, schema, live files, tombstones, transaction ids and domain metadata, and is
 * immutable: a newer version is a new Snapshot.
 */
import { ObjectNotFoundError, type ObjectStore } from "../storage/index.ts";
import type { Action, AddFile, CommitInfo, Metadata, Protocol, RemoveFile, Txn } from "./actions.ts";
import { parseActions } from "./actions.ts";
import { readCheckpoint } from "./checkpoint-reader.ts";
import { CorruptLogError, VersionNotAvailableError } from "./errors.ts";
import { commitKey } from "./log-path.ts";
import { LogReplay, type TableState } from "./log-replay.ts";
import { buildLogSegment, type LogSegment } from "./log-segment.ts";
import type { ParquetPort } from "./parquet-port.ts";
import { checkReadSupported } from "./protocol-support.ts";
import { type ColumnMappingMode, parseSchema, type StructField, type StructType } from "./schema.ts";
import { inCommitTimestampsEnabledAt } from "./table-properties.ts";

/** How many commit files are fetched at once while loading. */
const READ_CONCURRENCY = 16;

export class Snapshot {
  private constructor(
    /** Where the table lives (the store's location). */
    readonly location: string,
    readonly version: number,
    readonly protocol: Protocol,
    readonly metadata: Metadata,
    readonly schema: StructType,
    private readonly state: TableState,
    /** The log segment this snapshot was built from. */
    readonly segment: LogSegment,
    /** The commit timestamp of `version` (in-commit timestamp when enabled, else file time), ms. */
    readonly timestamp: number,
  ) {}

  /**
   * Loads the snapshot at `version` (latest when omitted). A checkpoint that cannot be read is
   * skipped in favour of an older one or a full replay; when the commits that would replace it were
   * cleaned up, its CorruptLogError is thrown.
   * @throws TableNotFoundError, VersionNotAvailableError, CorruptLogError, UnsupportedFeatureError
   */
  static async load(store: ObjectStore, parquet: ParquetPort, version?: number): Promise<Snapshot> {
    const skipCheckpoints = new Set<number>();
    let unreadable: CorruptLogError | undefined;
    for (;;) {
      let segment: LogSegment;
      try {
        segment = await buildLogSegment(store, {
          ...(version === undefined ? {} : { version }),
          skipCheckpoints,
        });
      } catch (error) {
        // The version was available with the skipped checkpoint: that checkpoint is what went wrong.
        if (unreadable !== undefined && error instanceof VersionNotAvailableError) throw unreadable;
        throw error;
      }
      const replay = new LogReplay();
      const commitTexts = await readAll(
        store,
        segment.commits.map((c) => c.key),
      );
      for (let i = segment.commits.length - 1; i >= 0; i--) {
        replay.apply(parseCommit(store.location, segment.commits[i]?.key ?? "", commitTexts[i] ?? ""));
      }
      if (segment.checkpoint) {
        try {
          replay.apply(await readCheckpoint(store, parquet, segment.checkpoint));
        } catch (error) {
          if (!(error instanceof CorruptLogError)) throw error;
          unreadable ??= error;
          skipCheckpoints.add(segment.checkpoint.version);
          continue;
        }
      }
      return Snapshot.fromState(store, segment, replay.state(), replay.newestCommitInfo);
    }
  }

  private static async fromState(
    store: ObjectStore,
    segment: LogSegment,
    state: TableState,
    newestCommitInfo: CommitInfo | undefined,
  ): Promise<Snapshot> {
    const { protocol, metadata } = state;
    const lastKey = commitKey(segment.version);
    if (protocol === undefined) {
      throw new CorruptLogError(
        store.location,
        lastKey,
        `no protocol action in the log up to version ${segment.version}`,
      );
    }
    if (metadata === undefined) {
      throw new CorruptLogError(
        store.location,
        lastKey,
        `no metaData action in the log up to version ${segment.version}`,
      );
    }
    checkReadSupported(store.location, protocol);
    let schema: StructType;
    try {
      schema = parseSchema(metadata.schemaString);
    } catch (error) {
      throw new CorruptLogError(store.location, lastKey, `invalid schemaString: ${(error as Error).message}`);
    }
    const timestamp = await commitTimestamp(store, segment, metadata, newestCommitInfo);
    return new Snapshot(
      store.location,
      segment.version,
      protocol,
      metadata,
      schema,
      state,
      segment,
      timestamp,
    );
  }

  /**
   * The snapshot at `version` = this version + 1, after `actions` were committed on top of this one
   * with no other commit in between: replayed in memory, as if this snapshot were a checkpoint.
   * @param timestamp the commit's time in ms
   */
  withCommit(actions: readonly Action[], timestamp: number): Snapshot {
    const version = this.version + 1;
    const replay = new LogReplay();
    replay.apply(actions);
    replay.apply(stateActions(this.state));
    const state = replay.state();
    const metadata = state.metadata ?? this.metadata;
    const schema = metadata === this.metadata ? this.schema : parseSchema(metadata.schemaString);
    const segment: LogSegment = {
      ...this.segment,
      version,
      commits: [...this.segment.commits, { version, key: commitKey(version), lastModified: timestamp }],
    };
    return new Snapshot(
      this.location,
      version,
      state.protocol ?? this.protocol,
      metadata,
      schema,
      state,
      segment,
      timestamp,
    );
  }

  /** Names of the partition columns, in table order. */
  get partitionColumns(): readonly string[] {
    return this.metadata.partitionColumns;
  }

  /** The table properties (`delta.*` and user keys). */
  get configuration(): Readonly<Record<string, string>> {
    return this.metadata.configuration;
  }

  /** `delta.columnMapping.mode`, `none` when unset. */
  get columnMappingMode(): ColumnMappingMode {
    const mode = this.configuration["delta.columnMapping.mode"];
    return mode === "name" || mode === "id" ? mode : "none";
  }

  /** Schema fields that are stored in data files (everything but partition columns). */
  get dataFields(): readonly StructField[] {
    const partitions = new Set(this.partitionColumns.map((c) => c.toLowerCase()));
    return this.schema.fields.filter((f) => !partitions.has(f.name.toLowerCase()));
  }

  /** The live data files, sorted by path for a stable order. */
  files(): AddFile[] {
    return [...this.state.files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** Number of live files. */
  get numFiles(): number {
    return this.state.files.size;
  }

  /** Remove actions still in the log state (tombstones). */
  tombstones(): RemoveFile[] {
    return [...this.state.tombstones.values()];
  }

  /** The latest transaction version recorded for `appId`, if any ("Transaction Identifiers"). */
  txn(appId: string): Txn | undefined {
    return this.state.txns.get(appId);
  }

  /** Every live transaction identifier. */
  txns(): Txn[] {
    return [...this.state.txns.values()];
  }

  /** The configuration string of a metadata domain, if the domain is present and not removed. */
  domainMetadata(domain: string): string | undefined {
    return this.state.domainMetadata.get(domain)?.configuration;
  }

  /** The raw reconciled state, for checkpoint writing. */
  get reconciled(): TableState {
    return this.state;
  }
}

/** The reconciled state as the actions of a checkpoint. */
function stateActions(state: TableState): Action[] {
  const actions: Action[] = [];
  if (state.protocol) actions.push({ protocol: state.protocol });
  if (state.metadata) actions.push({ metaData: state.metadata });
  for (const txn of state.txns.values()) actions.push({ txn });
  for (const domainMetadata of state.domainMetadata.values()) actions.push({ domainMetadata });
  for (const add of state.files.values()) actions.push({ add });
  for (const remove of state.tombstones.values()) actions.push({ remove });
  return actions;
}

/** Parses one commit file. @throws CorruptLogError naming the file and line. */
export function parseCommit(location: string, key: string, text: string) {
  try {
    return parseActions(text);
  } catch (error) {
    throw new CorruptLogError(location, key, (error as Error).message, { cause: error });
  }
}

/** Fetches objects as text with bounded concurrency, results in input order. */
export async function readAll(store: ObjectStore, keys: readonly string[]): Promise<string[]> {
  const texts = new Array<string>(keys.length);
  const decoder = new TextDecoder();
  let next = 0;
  const worker = async () => {
    while (next < keys.length) {
      const i = next++;
      texts[i] = decoder.decode(await store.get(keys[i] as string));
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, keys.length) }, worker));
  return texts;
}

async function commitTimestamp(
  store: ObjectStore,
  segment: LogSegment,
  metadata: Metadata,
  newestCommitInfo: CommitInfo | undefined,
): Promise<number> {
  const inCommit = inCommitTimestampsEnabledAt(metadata, segment.version);
  const last = segment.commits.at(-1);
  if (last?.version === segment.version) {
    const ict = inCommit ? newestCommitInfo?.inCommitTimestamp : undefined;
    return typeof ict === "number" ? ict : last.lastModified;
  }
  // The segment ends at its checkpoint. Log cleanup may have removed that version's commit file; the
  // checkpoint file's time then stands in for it.
  const key = commitKey(segment.version);
  try {
    if (inCommit) {
      const text = new TextDecoder().decode(await store.get(key));
      const info = parseCommit(store.location, key, text).find((a) => "commitInfo" in a)?.commitInfo;
      if (typeof info?.inCommitTimestamp === "number") return info.inCommitTimestamp;
    }
    return (await store.head(key)).lastModified;
  } catch (error) {
    const checkpointKey = segment.checkpoint?.keys[0];
    if (!(error instanceof ObjectNotFoundError) || checkpointKey === undefined) throw error;
    return (await store.head(checkpointKey)).lastModified;
  }
}
