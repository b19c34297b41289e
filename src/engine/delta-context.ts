/**
 * DuckDB joined to the Delta layer: one DuckDB session, the Parquet port built on it, the read cache
 * for objects in remote stores, the process's staging area, and snapshot loading by version or
 * timestamp. Every table operation of the engine takes one.
 */
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { listLog, Snapshot, versionAtTimestamp } from "../delta/index.ts";
import type { ObjectStore } from "../storage/index.ts";
import { DuckDbParquet } from "./duckdb-parquet.ts";
import { type DuckDbOptions, DuckDbSession } from "./duckdb-session.ts";
import { DEFAULT_READ_CACHE_BYTES, ReadCache } from "./read-cache.ts";
import { StagingArea } from "./staging-area.ts";

/** Settings of a context: DuckDB's, the read cache's and the staging area's. */
export interface DeltaContextOptions extends DuckDbOptions {
  /**
   * The folder shared by processes for their staging areas (default: `medallion-lake-staging` in the
   * OS temp dir). DuckDB spills into this process's area unless `tempDirectory` says otherwise.
   */
  readonly stagingRoot?: string;
  /** Where remote objects are cached (default: a folder of this user's in the OS temp dir). */
  readonly cacheDirectory?: string;
  /** The cache's bound in bytes (default 4 GiB). */
  readonly cacheMaxBytes?: number;
}

/** An open DuckDB session with the Delta port: use it, then `close()` it. */
export class DeltaContext {
  /**
   * The latest snapshot loaded of each store. Loading the latest again lists the log from that
   * version and reuses it when no commit came since (one listing instead of reading the log again).
   */
  readonly #latest = new WeakMap<ObjectStore, Snapshot>();

  private constructor(
    readonly session: DuckDbSession,
    readonly parquet: DuckDbParquet,
    readonly readCache: ReadCache,
    /** Where this process stages files: written Parquet before upload, scratch files, spills. */
    readonly staging: StagingArea,
  ) {}

  /**
   * Opens DuckDB with the given settings, and the staging area (removing those of killed processes).
   * @throws LocalWriteError when the staging folder cannot be created
   */
  static async open(options: DeltaContextOptions = {}): Promise<DeltaContext> {
    const staging = await StagingArea.open(options.stagingRoot ?? join(tmpdir(), "medallion-lake-staging"));
    let session: DuckDbSession;
    try {
      session = await DuckDbSession.open({
        ...options,
        tempDirectory: options.tempDirectory ?? join(staging.path, "duckdb"),
      });
    } catch (error) {
      staging.close();
      throw error;
    }
    const cache = new ReadCache(
      // Per user: cached objects may be private data, and another user's folder is not writable.
      options.cacheDirectory ?? join(tmpdir(), `medallion-lake-cache-${userInfo().uid}`),
      options.cacheMaxBytes ?? DEFAULT_READ_CACHE_BYTES,
    );
    return new DeltaContext(session, new DuckDbParquet(session, cache, staging), cache, staging);
  }

  /** Runs `work` with a fresh context and always closes it. */
  static async with<T>(
    work: (ctx: DeltaContext) => Promise<T>,
    options: DeltaContextOptions = {},
  ): Promise<T> {
    const ctx = await DeltaContext.open(options);
    try {
      return await work(ctx);
    } finally {
      ctx.close();
    }
  }

  /**
   * The snapshot at a version, at a timestamp (ms or ISO text), or the latest.
   * @throws the Delta layer's errors (TableNotFoundError, VersionNotAvailableError, ...)
   */
  async snapshot(store: ObjectStore, at: { version?: number; timestamp?: number } = {}): Promise<Snapshot> {
    if (at.timestamp !== undefined) {
      const latest = await Snapshot.load(store, this.parquet);
      const version = await versionAtTimestamp(store, latest, at.timestamp);
      return version === latest.version ? latest : Snapshot.load(store, this.parquet, version);
    }
    if (at.version !== undefined) return Snapshot.load(store, this.parquet, at.version);
    const cached = this.#latest.get(store);
    if (cached !== undefined && (await unchangedSince(store, cached))) return cached;
    const latest = await Snapshot.load(store, this.parquet);
    this.#latest.set(store, latest);
    return latest;
  }

  /** Closes DuckDB and removes the staging area. */
  close(): void {
    this.session.close();
    this.readCache.unpinAll();
    this.staging.close();
  }
}

/**
 * True when the table's newest commit is still the one `snapshot` ended with (same version, same
 * file time): nothing was committed since, and the table was not re-created.
 */
async function unchangedSince(store: ObjectStore, snapshot: Snapshot): Promise<boolean> {
  const last = snapshot.segment.commits.at(-1);
  if (last?.version !== snapshot.version) return false;
  const listing = await listLog(store, snapshot.version);
  const newest = Math.max(-1, ...listing.commits.keys());
  return newest === snapshot.version && listing.commits.get(newest)?.lastModified === last.lastModified;
}
