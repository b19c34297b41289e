/**
 * A store that holds a writer just before it commits, so a test can let other writers commit first
 * and make a race deterministic.
 */
import type { ListOptions, ObjectMeta, ObjectStore, PutOptions } from "../../src/storage/index.ts";

/**
 * Wraps a store; holds the first commit put through it (`_delta_log/N.json` with put-if-absent) until
 * `release()`: by then the writer has read its snapshot and uploaded its data files. Every other call,
 * and that put once released, goes to the wrapped store unchanged.
 */
export class HoldingStore implements ObjectStore {
  readonly location: string;
  /** Settles when the commit put arrives and is being held. */
  readonly reached: Promise<void>;
  #reach = () => {};
  #release = () => {};
  readonly #released: Promise<void>;
  #armed = true;

  constructor(private readonly inner: ObjectStore) {
    this.location = inner.location;
    this.reached = new Promise((resolve) => {
      this.#reach = resolve;
    });
    this.#released = new Promise((resolve) => {
      this.#release = resolve;
    });
  }

  /** Lets the held put (or the first one to come) through. */
  release(): void {
    this.#release();
  }

  async put(key: string, body: Uint8Array, options?: PutOptions): Promise<ObjectMeta> {
    if (this.#armed && options?.ifNoneMatch && /^_delta_log\/\d{20}\.json$/.test(key)) {
      this.#armed = false;
      this.#reach();
      await this.#released;
    }
    return this.inner.put(key, body, options);
  }
  get(key: string) {
    return this.inner.get(key);
  }
  getRange(key: string, start: number, end: number) {
    return this.inner.getRange(key, start, end);
  }
  head(key: string) {
    return this.inner.head(key);
  }
  list(prefix: string, options?: ListOptions) {
    return this.inner.list(prefix, options);
  }
  putStream(key: string, body: AsyncIterable<Uint8Array>, options?: PutOptions) {
    return this.inner.putStream(key, body, options);
  }
  getStream(key: string) {
    return this.inner.getStream(key);
  }
  delete(key: string) {
    return this.inner.delete(key);
  }
  localPath(key: string) {
    return this.inner.localPath(key);
  }
}
