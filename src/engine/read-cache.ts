/**
 * DuckDB computes on local files; objects in a remote store (S3) are downloaded into this cache
 * first. An entry is keyed by the store's location, the key and the object's ETag, so a changed
 * object is never served stale, and a file read again (the next run, another query) is not
 * downloaded again. The cache is bounded: past `maxBytes`, the least recently used entries go, except
 * those pinned by this process (a view created in the session may still read them) and those used
 * in the last `keepRecentMs` (another process sharing the folder may be reading them; the cache
 * can then exceed its bound for a while). The objects
 * it serves are Delta data and checkpoint files, which are never rewritten under the same key, so
 * within one session the ETag of a key is looked up once.
 */
import { createHash, randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, readdir, rename, rm, stat, utimes } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { type ObjectStore, ownedName, removeLeftBehind } from "../storage/index.ts";

/** Default bound of the cache: 4 GiB. */
export const DEFAULT_READ_CACHE_BYTES = 4 * 1024 ** 3;

/** The extension of a download in progress. */
const PARTIAL = ".partial";

/** A local cache of remote objects, one folder shared by the runs of a project. */
export class ReadCache {
  /** Entry file name → pin count (entries this process still reads). */
  readonly #pins = new Map<string, number>();
  /** `location\0key` → what a HEAD said, for this session. */
  readonly #heads = new Map<string, { etag: string; size: number }>();
  #sizeBytes: number | undefined;
  #tidied: Promise<unknown> | undefined;

  constructor(
    readonly directory: string,
    readonly maxBytes: number = DEFAULT_READ_CACHE_BYTES,
    readonly keepRecentMs: number = 15 * 60_000,
  ) {}

  /**
   * The local path of the object at `key`, downloaded unless the cache holds its current version.
   * The entry stays pinned until {@link unpin} (or {@link unpinAll}).
   * @throws ObjectNotFoundError and the store's other errors
   */
  async localPath(store: ObjectStore, key: string): Promise<string> {
    const id = `${store.location}\0${key}`;
    const { etag, size } = this.#heads.get(id) ?? (await store.head(key));
    this.#heads.set(id, { etag, size });
    const name = `${createHash("sha256").update(`${id}\0${etag}`).digest("hex").slice(0, 40)}.bin`;
    const path = join(this.directory, name);
    this.#pins.set(name, (this.#pins.get(name) ?? 0) + 1);
    try {
      const now = new Date();
      await utimes(path, now, now); // a hit: now the most recently used
      return path;
    } catch {
      // A miss: download next to the entry, then publish it with an atomic rename.
    }
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    // Downloads of killed processes are removed once per cache; a live process's never.
    this.#tidied ??= removeLeftBehind(this.directory, { extension: PARTIAL });
    await this.#tidied;
    const partial = join(this.directory, `${ownedName(randomUUID())}${PARTIAL}`);
    try {
      await pipeline(store.getStream(key), createWriteStream(partial));
      await rename(partial, path);
    } catch (error) {
      await rm(partial, { force: true });
      this.unpin(path);
      throw error;
    }
    // The first scan of the folder already sees the new entry.
    this.#sizeBytes = this.#sizeBytes === undefined ? await this.#size() : this.#sizeBytes + size;
    if (this.#sizeBytes > this.maxBytes) await this.#evict();
    return path;
  }

  /** Releases one pin of the entry at `path`. */
  unpin(path: string): void {
    const name = path.slice(this.directory.length + 1);
    const count = (this.#pins.get(name) ?? 0) - 1;
    if (count > 0) this.#pins.set(name, count);
    else this.#pins.delete(name);
  }

  /** Releases every pin (the session that read them is closing). */
  unpinAll(): void {
    this.#pins.clear();
  }

  async #size(): Promise<number> {
    return (await this.#entries()).reduce((sum, e) => sum + e.size, 0);
  }

  async #entries(): Promise<Array<{ name: string; size: number; usedAt: number }>> {
    const names = (await readdir(this.directory).catch(() => [] as string[])).filter((n) =>
      n.endsWith(".bin"),
    );
    const entries = await Promise.all(
      names.map(async (name) => {
        const info = await stat(join(this.directory, name)).catch(() => undefined);
        return info === undefined ? undefined : { name, size: info.size, usedAt: info.mtimeMs };
      }),
    );
    return entries.filter((e) => e !== undefined);
  }

  /** Deletes least recently used, unpinned entries until the cache fits its bound. */
  async #evict(): Promise<void> {
    const entries = (await this.#entries()).sort((a, b) => a.usedAt - b.usedAt);
    let size = entries.reduce((sum, e) => sum + e.size, 0);
    const recent = Date.now() - this.keepRecentMs;
    for (const entry of entries) {
      if (size <= this.maxBytes || entry.usedAt > recent) break;
      if (this.#pins.has(entry.name)) continue;
      await rm(join(this.directory, entry.name), { force: true });
      size -= entry.size;
    }
    this.#sizeBytes = size;
  }
}
