/**
 * The storage port. Everything above `storage/` reads and writes bytes through an `ObjectStore`,
 * so a local folder and an S3 bucket behave the same and one contract test suite covers both.
 *
 * Keys are relative, `/`-separated paths (`_delta_log/00000000000000000000.json`). A key never starts
 * with `/`, never contains an empty, `.` or `..` segment and never contains `\` or NUL; any other
 * character (spaces, `%`, `=`, non-ASCII) is allowed and is stored as is.
 */

/** What a store knows about one object. */
export interface ObjectMeta {
  /** The key, relative to the store's root. */
  readonly key: string;
  /** Size in bytes. */
  readonly size: number;
  /** Last modification time, milliseconds since the Unix epoch. */
  readonly lastModified: number;
  /** An opaque version tag that changes whenever the content changes (S3 ETag; size+mtime locally). */
  readonly etag: string;
}

/** Options of {@link ObjectStore.put}. */
export interface PutOptions {
  /**
   * Put-if-absent: create the object only if no object with this key exists. Of two concurrent
   * writers of the same key exactly one succeeds; the other gets `ObjectExistsError`.
   */
  readonly ifNoneMatch?: boolean;
}

/** Options of {@link ObjectStore.list}. */
export interface ListOptions {
  /** Only keys strictly greater than this one (byte order) are returned. */
  readonly startAfter?: string;
}

/**
 * A flat key space of immutable-by-convention objects.
 *
 * Guarantees every implementation must keep (checked by the contract suite):
 * - `get`, `getRange` and `head` of a missing key throw `ObjectNotFoundError`.
 * - A reader never sees a partially written object: `put` and `putStream` are atomic.
 * - `put` with `ifNoneMatch` throws `ObjectExistsError` when the key exists, and leaves it untouched.
 * - `list` yields every object whose key starts with the prefix, in ascending UTF-8 byte order of the
 *   key, paginating internally; it never yields the store's own temporary objects.
 * - `delete` of a missing key succeeds.
 */
export interface ObjectStore {
  /** A human-readable location for messages: `file:///data/lake/bronze`, `s3://bucket/prefix`. */
  readonly location: string;

  /** The whole object. */
  get(key: string): Promise<Uint8Array>;
  /** Bytes `[start, end)` of the object; `end` is clamped to the object's size. */
  getRange(key: string, start: number, end: number): Promise<Uint8Array>;
  /** The object's metadata without its content. */
  head(key: string): Promise<ObjectMeta>;
  /** Every object under `prefix` (a plain string prefix, not necessarily a folder), in key order. */
  list(prefix: string, options?: ListOptions): AsyncIterable<ObjectMeta>;
  /** Writes the whole object atomically. */
  put(key: string, body: Uint8Array, options?: PutOptions): Promise<ObjectMeta>;
  /** Writes a large object from a stream of chunks, atomically (visible only once complete). */
  putStream(key: string, body: AsyncIterable<Uint8Array>, options?: PutOptions): Promise<ObjectMeta>;
  /** Reads a large object as a stream of chunks. */
  getStream(key: string): AsyncIterable<Uint8Array>;
  /** Removes the object; a missing key is not an error. */
  delete(key: string): Promise<void>;
  /**
   * The object's path on the local file system when the store is a local folder, so an engine can
   * read it in place; `undefined` for remote stores (the caller downloads instead).
   */
  localPath(key: string): string | undefined;
  /**
   * Removes what writers that were killed left in the store's own temporary area (a local folder's
   * `.lake-tmp`), never what a live writer still writes; returns how many entries went. Stores
   * without such an area leave it out.
   */
  removeLeftBehind?(): Promise<number>;
}
