/**
 * An `ObjectStore` over a local folder: one file per object, `/` in a key is a sub-folder. Writes go
 * to a temporary file first and appear with one atomic rename or link, so readers see whole objects.
 */
import type { Stats } from "node:fs";
import { type FileHandle, link, open, rename, rm, rmdir, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { clampRange } from "./clamp-range.ts";
import { LocalWriteError, ObjectExistsError, ObjectNotFoundError, StorageError } from "./errors.ts";
import { compareKeys, sortKeys, validatePrefix } from "./key.ts";
import { listFiles } from "./list-files.ts";
import { errorCode, isMissing, LocalRoot, TEMP_FOLDER, withSep } from "./local-root.ts";
import type { ListOptions, ObjectMeta, ObjectStore, PutOptions } from "./object-store.ts";
import { removeLeftBehind } from "./staging-owner.ts";
import { type TempFile, writeTempFile } from "./temp-file.ts";

/** A temporary file's name before names carried their writer. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Size of the chunks `getStream` yields. */
const STREAM_CHUNK_SIZE = 256 * 1024;
/** How many files `list` stats at once. */
const STAT_BATCH = 64;
/** How often a write retries when a concurrent delete removed the emptied folder it was writing to. */
const PUBLISH_ATTEMPTS = 4;

/**
 * An `ObjectStore` over the folder `root` (created on the first write).
 *
 * Keys never leave the root: each is validated, its path is checked to lie under the root, and the
 * real path (symbolic links resolved) must too, so a link inside the root cannot lead out of it.
 * `list` does not follow symbolic links. Limits of the file system apply: a key cannot be both an
 * object and a folder (`a` and `a/b`), and a case-insensitive file system folds keys that differ only
 * in case.
 */
export class LocalStore implements ObjectStore {
  /** `file://` followed by the absolute root path. */
  readonly location: string;
  readonly #root: LocalRoot;

  /** @param root the folder, absolute or relative to the working directory. */
  constructor(root: string) {
    this.#root = new LocalRoot(root);
    this.location = `file://${this.#root.path}`;
  }

  /** @throws ObjectNotFoundError, InvalidKeyError */
  async get(key: string): Promise<Uint8Array> {
    return this.getRange(key, 0, Number.POSITIVE_INFINITY);
  }

  /** Reads only the bytes asked for. @throws ObjectNotFoundError, InvalidKeyError, RangeError */
  async getRange(key: string, start: number, end: number): Promise<Uint8Array> {
    clampRange(start, end, 0); // refuses a malformed range before any I/O
    const { handle, size } = await this.#openFile(key);
    try {
      const [from, to] = clampRange(start, end, size);
      const buffer = new Uint8Array(to - from);
      let filled = 0;
      while (filled < buffer.byteLength) {
        const { bytesRead } = await handle.read(buffer, filled, buffer.byteLength - filled, from + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return buffer.subarray(0, filled);
    } finally {
      await handle.close();
    }
  }

  /**
   * The `etag` combines inode, size and modification time, and every put makes a new file.
   * @throws ObjectNotFoundError, InvalidKeyError
   */
  async head(key: string): Promise<ObjectMeta> {
    const path = await this.#existingFile(key);
    const stats = await this.#orNotFound(key, () => stat(path));
    if (!stats.isFile()) throw new ObjectNotFoundError(this.location, key);
    return toMeta(key, stats);
  }

  /**
   * Walks only the deepest folder the prefix names, and stats files lazily as it yields.
   * @throws InvalidKeyError for an impossible prefix or one through a link out of the root
   */
  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<ObjectMeta> {
    validatePrefix(prefix);
    const folder = prefix.slice(0, prefix.lastIndexOf("/") + 1);
    const start = folder === "" ? this.#root.path : this.#root.lexicalPath(folder.slice(0, -1), prefix);
    const realStart = await this.#root.realPath(prefix, start);
    if (realStart === undefined) return;
    const { startAfter } = options;
    const name = prefix.slice(folder.length);
    const skip = folder === "" ? TEMP_FOLDER : undefined;
    // Every key found starts with the prefix: its first name after `folder` starts with `name`.
    const found = await listFiles(realStart, folder, (entry) => entry !== skip && entry.startsWith(name));
    const keys = sortKeys(
      found.filter((key) => startAfter === undefined || compareKeys(key, startAfter) > 0),
    );
    for (let i = 0; i < keys.length; i += STAT_BATCH) {
      const batch = keys.slice(i, i + STAT_BATCH);
      const stats = await Promise.all(
        batch.map((key) =>
          stat(join(realStart, key.slice(folder.length))).catch((error: unknown) => {
            if (isMissing(error)) return undefined;
            throw error;
          }),
        ),
      );
      for (const [j, key] of batch.entries()) {
        const entry = stats[j];
        // A file deleted since the walk is skipped: a listing is not a snapshot, but never invents keys.
        if (entry?.isFile()) yield toMeta(key, entry);
      }
    }
  }

  /**
   * Atomic; with `ifNoneMatch`, exactly one concurrent writer wins, also across processes.
   * @throws ObjectExistsError, InvalidKeyError
   */
  async put(key: string, body: Uint8Array, options: PutOptions = {}): Promise<ObjectMeta> {
    return this.#write(key, [body], options);
  }

  /**
   * Streams into a temporary file; visible only once complete.
   * @throws ObjectExistsError, InvalidKeyError
   */
  async putStream(
    key: string,
    body: AsyncIterable<Uint8Array>,
    options: PutOptions = {},
  ): Promise<ObjectMeta> {
    return this.#write(key, body, options);
  }

  /** @throws ObjectNotFoundError, InvalidKeyError (when iterated) */
  async *getStream(key: string): AsyncIterable<Uint8Array> {
    const { handle } = await this.#openFile(key);
    try {
      for (;;) {
        const chunk = new Uint8Array(STREAM_CHUNK_SIZE);
        const { bytesRead } = await handle.read(chunk, 0, chunk.byteLength, null);
        if (bytesRead === 0) return;
        yield chunk.subarray(0, bytesRead);
      }
    } finally {
      // Also runs when the consumer stops early.
      await handle.close();
    }
  }

  /**
   * A missing key is not an error. Removes the folders it leaves empty, up to the root.
   * @throws InvalidKeyError
   */
  async delete(key: string): Promise<void> {
    const path = this.#root.lexicalPath(key);
    const folder = await this.#root.realPath(key, dirname(path));
    if (folder === undefined) return;
    try {
      await unlink(join(folder, basename(path)));
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    const root = withSep(await this.#root.realRoot());
    try {
      // rmdir fails, as intended, at the first folder that is not empty. A concurrent put whose
      // folder disappears this way creates it again (see `#publish`).
      for (let dir = folder; dir.startsWith(root); dir = dirname(dir)) await rmdir(dir);
    } catch {}
  }

  /** Removes the temporary files of writers that were killed (see staging-owner.ts). */
  async removeLeftBehind(): Promise<number> {
    return (await removeLeftBehind(join(this.#root.path, TEMP_FOLDER), { unowned: UUID })).length;
  }

  /** The absolute path of the object's file (which may not exist). @throws InvalidKeyError */
  localPath(key: string): string {
    return this.#root.lexicalPath(key);
  }

  async #write(
    key: string,
    body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
    options: PutOptions,
  ): Promise<ObjectMeta> {
    const path = this.#root.lexicalPath(key);
    const root = await this.#root.realRoot().catch((error: unknown) => {
      throw LocalWriteError.from(error, this.#root.path);
    });
    const tempFolder = join(root, TEMP_FOLDER);
    let temp: TempFile;
    try {
      temp = await writeTempFile(tempFolder, body);
    } catch (error) {
      // A temporary file's name means nothing to a user: name the object being written.
      if (error instanceof LocalWriteError && error.path.startsWith(tempFolder))
        throw new LocalWriteError(path, error.code, { cause: error });
      throw error;
    }
    try {
      await this.#publish(key, path, temp.path, options.ifNoneMatch === true);
      return toMeta(key, temp.stats);
    } finally {
      // After a rename this is a no-op; after a link or a failure it removes the temporary name.
      await rm(temp.path, { force: true });
    }
  }

  /** Gives the complete temporary file its key: `link` fails if the key exists, `rename` replaces it. */
  async #publish(key: string, path: string, temp: string, ifNoneMatch: boolean): Promise<void> {
    for (let attempt = 1; attempt <= PUBLISH_ATTEMPTS; attempt++) {
      const folder = await this.#root.makeFolder(key, dirname(path)).catch((error: unknown) => {
        throw LocalWriteError.from(error, dirname(path));
      });
      if (folder === undefined) continue;
      const target = join(folder, basename(path));
      try {
        await (ifNoneMatch ? link(temp, target) : rename(temp, target));
        return;
      } catch (error) {
        if (ifNoneMatch && errorCode(error) === "EEXIST") {
          throw new ObjectExistsError(this.location, key, { cause: error });
        }
        if (errorCode(error) !== "ENOENT") throw LocalWriteError.from(error, target);
      }
    }
    throw new StorageError(
      `Could not write ${key} in ${this.location}: concurrent deletes kept removing its folder`,
    );
  }

  /** Opens the key's file for reading; the caller closes it. @throws ObjectNotFoundError, InvalidKeyError */
  async #openFile(key: string): Promise<{ handle: FileHandle; size: number }> {
    const path = await this.#existingFile(key);
    const handle = await this.#orNotFound(key, () => open(path, "r"));
    const stats = await handle.stat();
    if (stats.isFile()) return { handle, size: stats.size };
    await handle.close();
    throw new ObjectNotFoundError(this.location, key);
  }

  /** The real path of the key's file. @throws ObjectNotFoundError, InvalidKeyError */
  async #existingFile(key: string): Promise<string> {
    const real = await this.#root.realPath(key, this.#root.lexicalPath(key));
    if (real === undefined) throw new ObjectNotFoundError(this.location, key);
    return real;
  }

  async #orNotFound<T>(key: string, read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      if (isMissing(error)) throw new ObjectNotFoundError(this.location, key, { cause: error });
      throw error;
    }
  }
}

function toMeta(key: string, stats: Stats): ObjectMeta {
  const lastModified = Math.floor(stats.mtimeMs);
  return {
    key,
    size: stats.size,
    lastModified,
    etag: `"${stats.ino.toString(16)}-${stats.size}-${stats.mtimeMs}"`,
  };
}
