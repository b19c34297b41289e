/**
 * A view of an `ObjectStore` rooted at a key prefix, so code that works on "a store" can be handed one
 * table inside a zone folder, or one zone inside a bucket, and never see or touch its neighbours.
 */
import { ObjectExistsError, ObjectNotFoundError } from "./errors.ts";
import { validateKey, validatePrefix } from "./key.ts";
import type { ListOptions, ObjectMeta, ObjectStore, PutOptions } from "./object-store.ts";

/**
 * The part of `store` under the folder `prefix` (`bronze/orders`; a trailing `/` is ignored) as a
 * store of its own: key `k` is `prefix/k` in `store`, `list` yields keys without the prefix, and
 * `location` is the inner location followed by `/prefix`. Errors name the view's key and location.
 * An empty prefix returns `store` itself.
 * @throws InvalidKeyError when `prefix` is not a valid key, for it would escape `store`.
 */
export function prefixedStore(store: ObjectStore, prefix: string): ObjectStore {
  const folder = prefix.endsWith("/") ? prefix.slice(0, -1) : prefix;
  if (folder === "") return store;
  return new PrefixedStore(store, validateKey(folder));
}

class PrefixedStore implements ObjectStore {
  readonly location: string;
  readonly #inner: ObjectStore;
  /** The folder followed by `/`, so `bronze/orders` never sees `bronze/orders_v2/...`. */
  readonly #prefix: string;

  constructor(inner: ObjectStore, folder: string) {
    this.#inner = inner;
    this.#prefix = `${folder}/`;
    this.location = `${inner.location.replace(/\/$/, "")}/${folder}`;
  }

  async get(key: string): Promise<Uint8Array> {
    return this.#translate(key, () => this.#inner.get(this.#key(key)));
  }

  async getRange(key: string, start: number, end: number): Promise<Uint8Array> {
    return this.#translate(key, () => this.#inner.getRange(this.#key(key), start, end));
  }

  async head(key: string): Promise<ObjectMeta> {
    return this.#translate(key, async () => this.#strip(await this.#inner.head(this.#key(key))));
  }

  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<ObjectMeta> {
    validatePrefix(prefix);
    const { startAfter } = options;
    const inner = this.#inner.list(this.#prefix + prefix, {
      startAfter: startAfter === undefined ? undefined : this.#prefix + startAfter,
    });
    for await (const meta of inner) yield this.#strip(meta);
  }

  async put(key: string, body: Uint8Array, options?: PutOptions): Promise<ObjectMeta> {
    return this.#translate(key, async () =>
      this.#strip(await this.#inner.put(this.#key(key), body, options)),
    );
  }

  async putStream(key: string, body: AsyncIterable<Uint8Array>, options?: PutOptions): Promise<ObjectMeta> {
    return this.#translate(key, async () =>
      this.#strip(await this.#inner.putStream(this.#key(key), body, options)),
    );
  }

  async *getStream(key: string): AsyncIterable<Uint8Array> {
    const iterator = this.#inner.getStream(this.#key(key))[Symbol.asyncIterator]();
    try {
      for (let next = await this.#translate(key, () => iterator.next()); next.done !== true; ) {
        yield next.value;
        next = await this.#translate(key, () => iterator.next());
      }
    } finally {
      // Lets the inner stream release its resources when the consumer stops early.
      await iterator.return?.();
    }
  }

  async delete(key: string): Promise<void> {
    return this.#inner.delete(this.#key(key));
  }

  localPath(key: string): string | undefined {
    return this.#inner.localPath(this.#key(key));
  }

  /** Validates the view's key before joining, so errors name the key the caller gave. */
  #key(key: string): string {
    return this.#prefix + validateKey(key);
  }

  #strip(meta: ObjectMeta): ObjectMeta {
    return { ...meta, key: meta.key.slice(this.#prefix.length) };
  }

  /** Re-raises the inner store's not-found and exists errors with this view's key and location. */
  async #translate<T>(key: string, operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (error instanceof ObjectNotFoundError)
        throw new ObjectNotFoundError(this.location, key, { cause: error });
      if (error instanceof ObjectExistsError)
        throw new ObjectExistsError(this.location, key, { cause: error });
      throw error;
    }
  }
}
