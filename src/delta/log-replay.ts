/**
 * Action reconciliation ("Action Reconciliation"): folds commits, newest first, then the checkpoint,
 * into the table state at one version. A logical file is keyed by its path and deletion-vector id;
 * the newest action for a key wins.
 */
import type {
  Action,
  AddFile,
  CommitInfo,
  DomainMetadata,
  Metadata,
  Protocol,
  RemoveFile,
  Txn,
} from "./actions.ts";
import { decodeAddPath } from "./data-file-path.ts";
import { deletionVectorUniqueId } from "./deletion-vector.ts";

/** The reconciled state of a table at one version. */
export interface TableState {
  readonly protocol: Protocol | undefined;
  readonly metadata: Metadata | undefined;
  /** Live files, keyed by {@link fileKey}. */
  readonly files: ReadonlyMap<string, AddFile>;
  /** Removed files still within their retention (all of them: expiry is the vacuum's business). */
  readonly tombstones: ReadonlyMap<string, RemoveFile>;
  readonly txns: ReadonlyMap<string, Txn>;
  /** Domain metadata that is not removed. */
  readonly domainMetadata: ReadonlyMap<string, DomainMetadata>;
}

/** The reconciliation key of a file action: its decoded path plus its deletion vector's id. */
export function fileKey(action: AddFile | RemoveFile): string {
  const dv = action.deletionVector ? deletionVectorUniqueId(action.deletionVector) : "";
  return `${decodeAddPath(action.path)}\u0000${dv}`;
}

/** Accumulates actions from the newest commit to the oldest, then the checkpoint's. */
export class LogReplay {
  private protocol: Protocol | undefined;
  private metadata: Metadata | undefined;
  private readonly files = new Map<string, AddFile>();
  private readonly tombstones = new Map<string, RemoveFile>();
  private readonly seen = new Set<string>();
  private readonly txns = new Map<string, Txn>();
  private readonly domains = new Map<string, DomainMetadata>();
  /** The commitInfo of the first (newest) commit applied, if it had one. */
  newestCommitInfo: CommitInfo | undefined;
  private commitsApplied = 0;

  /** Applies the actions of one commit or checkpoint; call in newest-to-oldest order. */
  apply(actions: readonly Action[]): void {
    const firstCommit = this.commitsApplied++ === 0;
    for (const action of actions) {
      if ("add" in action) {
        const key = fileKey(action.add);
        if (!this.seen.has(key)) {
          this.seen.add(key);
          this.files.set(key, action.add);
        }
      } else if ("remove" in action) {
        const key = fileKey(action.remove);
        if (!this.seen.has(key)) {
          this.seen.add(key);
          this.tombstones.set(key, action.remove);
        }
      } else if ("metaData" in action) {
        this.metadata ??= action.metaData;
      } else if ("protocol" in action) {
        this.protocol ??= action.protocol;
      } else if ("txn" in action) {
        if (!this.txns.has(action.txn.appId)) this.txns.set(action.txn.appId, action.txn);
      } else if ("domainMetadata" in action) {
        if (!this.domains.has(action.domainMetadata.domain)) {
          this.domains.set(action.domainMetadata.domain, action.domainMetadata);
        }
      } else if ("commitInfo" in action && firstCommit) {
        this.newestCommitInfo = action.commitInfo;
      }
    }
  }

  /** The reconciled state. */
  state(): TableState {
    return {
      protocol: this.protocol,
      metadata: this.metadata,
      files: this.files,
      tombstones: this.tombstones,
      txns: this.txns,
      domainMetadata: new Map([...this.domains].filter(([, d]) => !d.removed)),
    };
  }
}
