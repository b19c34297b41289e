/**
 * An `ObjectStore` held in memory, so tests of the layers above run without a disk and can control
 * time. It keeps every guarantee of the contract; nothing is persisted.
 */
import { clampRange } from "./clamp-range.ts";
import { ObjectExistsError, ObjectNotFoundError } from "./errors.ts";
import { compareKeys, sortKeys, validateKey, validatePrefix } from "./key.ts";
import type { ListOptions, ObjectMeta, ObjectStore, PutOptions } from "./object-store.ts";

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /** Names the store in its location, `memory://<name>`; defaults to `default`. */
  readonly name?: string;
  /** The clock that stamps `lastModified` on every put; defaults to `Date.now`. */
  readonly now?: () => number;
}

interface StoredObject {
  readonly body: Uint8Array;
  readonly lastModified: number;
  readonly etag: string;
}

/** Size of the chunks `getStream` yields. */
const STREAM_CHUNK_SIZE = 64 * 1024;

/**
 * An in-memory `ObjectStore`. Puts copy their input and reads return copies, so no caller can change
 * a stored object by mutating a buffer. A put becomes visible in one synchronous step, which makes
 * it atomic and makes put-if-absent have exactly one winner.
 */
export class MemoryStore implements ObjectStore {
  /** `memory://<name>`. */
  readonly location: string;
  readonly #now: () => number;
  readonly #objects = new Map<string, StoredObject>();
  #version = 0;

  constructor(options: MemoryStoreOptions = {}) {
    this.location = `memory://${options.name ?? "default"}`;
    this.#now = options.now ?? Date.now;
  }

  /** @throws ObjectNotFoundError, InvalidKeyError */
  async get(key: string): Promise<Uint8Array> {
    return new Uint8Array(this.#find(key).body);
  }

  /** Clamped as `clampRange` says. @throws ObjectNotFoundError, InvalidKeyError, RangeError */
  async getRange(key: string, start: number, end: number): Promise<Uint8Array> {
    const { body } = this.#find(key);
    return body.slice(...clampRange(start, end, body.byteLength));
  }

  /** @throws ObjectNotFoundError, InvalidKeyError */
  async head(key: string): Promise<ObjectMeta> {
    return toMeta(key, this.#find(key));
  }

  /**
   * Lists the keys present when listing starts, skipping those deleted before they are reached.
   * @throws InvalidKeyError for an impossible prefix
   */
  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<ObjectMeta> {
    validatePrefix(prefix);
    const { startAfter } = options;
    const keys = sortKeys(
      [...this.#objects.keys()].filter(
        (key) => key.startsWith(prefix) && (startAfter === undefined || compareKeys(key, startAfter) > 0),
      ),
    );
    for (const key of keys) {
      const object = this.#objects.get(key);
      // Deleted since listing started: like S3, a listing is not a snapshot, but it never invents keys.
      if (object !== undefined) yield toMeta(key, object);
    }
  }

  /** @throws ObjectExistsError with `ifNoneMatch` when the key exists; InvalidKeyError */
  async put(key: string, body: Uint8Array, options: PutOptions = {}): Promise<ObjectMeta> {
    validateKey(key);
    // Copies (into a plain Uint8Array: `Buffer#slice` would share memory).
    return this.#store(key, new Uint8Array(body), options);
  }

  /** Visible only once `body` has ended. @throws ObjectExistsError with `ifNoneMatch`; InvalidKeyError */
  async putStream(
    key: string,
    body: AsyncIterable<Uint8Array>,
    options: PutOptions = {},
  ): Promise<ObjectMeta> {
    validateKey(key);
    const chunks: Uint8Array[] = [];
    for await (const chunk of body) chunks.push(new Uint8Array(chunk));
    const whole = new Uint8Array(chunks.reduce((size, chunk) => size + chunk.byteLength, 0));
    let offset = 0;
    for (const chunk of chunks) {
      whole.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return this.#store(key, whole, options);
  }

  /** @throws ObjectNotFoundError, InvalidKeyError (when iterated) */
  async *getStream(key: string): AsyncIterable<Uint8Array> {
    const { body } = this.#find(key);
    for (let offset = 0; offset < body.byteLength; offset += STREAM_CHUNK_SIZE) {
      yield body.slice(offset, offset + STREAM_CHUNK_SIZE);
    }
  }

  /** A missing key is not an error. @throws InvalidKeyError */
  async delete(key: string): Promise<void> {
    this.#objects.delete(validateKey(key));
  }

  /** Always `undefined`: nothing is on disk. @throws InvalidKeyError */
  localPath(key: string): string | undefined {
    validateKey(key);
    return undefined;
  }

  /**
   * Sets an object's `lastModified` without changing its content or etag, so tests can age files
   * (for example past a vacuum retention period).
   * @throws ObjectNotFoundError, InvalidKeyError
   */
  setLastModified(key: string, lastModified: number): void {
    const object = this.#find(key);
    this.#objects.set(key, { ...object, lastModified });
  }

  #find(key: string): StoredObject {
    const object = this.#objects.get(validateKey(key));
    if (object === undefined) throw new ObjectNotFoundError(this.location, key);
    return object;
  }

  #store(key: string, body: Uint8Array, options: PutOptions): ObjectMeta {
    // Check and write with no await between them: this is what makes put-if-absent atomic.
    if (options.ifNoneMatch && this.#objects.has(key)) throw new ObjectExistsError(this.location, key);
    this.#version += 1;
    const object = { body, lastModified: this.#now(), etag: `"${this.#version}"` };
    this.#objects.set(key, object);
    return toMeta(key, object);
  }
}

function toMeta(key: string, object: StoredObject): ObjectMeta {
  return { key, size: object.body.byteLength, lastModified: object.lastModified, etag: object.etag };
}
