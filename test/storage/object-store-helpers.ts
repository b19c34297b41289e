/** Helpers shared by the `ObjectStore` contract suite and the tests of each store. */
import { it } from "node:test";
import type { ObjectMeta, ObjectStore } from "../../src/storage/index.ts";

/** A fresh, empty store and how to dispose of it. */
export interface StoreFixture {
  readonly store: ObjectStore;
  cleanup(): Promise<void>;
}

const text = new TextEncoder();

/** The UTF-8 bytes of `value`. */
export const bytes = (value: string): Uint8Array => text.encode(value);

/** Every meta `list(prefix)` yields, collected. */
export async function listAll(
  store: ObjectStore,
  prefix: string,
  startAfter?: string,
): Promise<ObjectMeta[]> {
  const metas: ObjectMeta[] = [];
  for await (const meta of store.list(prefix, startAfter === undefined ? {} : { startAfter }))
    metas.push(meta);
  return metas;
}

/** Every key `list(prefix)` yields, collected. */
export async function listKeys(store: ObjectStore, prefix: string, startAfter?: string): Promise<string[]> {
  return (await listAll(store, prefix, startAfter)).map((meta) => meta.key);
}

/** All chunks of a stream, concatenated. */
export async function readStream(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** `size` bytes of a pattern that makes misplaced or repeated chunks visible. */
export function patternBytes(size: number, seed = 0): Uint8Array {
  const body = new Uint8Array(size);
  for (let i = 0; i < size; i++) body[i] = (i * 31 + Math.floor(i / 4099) + seed) & 0xff;
  return body;
}

/** Yields `body` in irregular chunk sizes, pausing between them like a network stream. */
export async function* chunked(body: Uint8Array, chunkSize = 100_003): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < body.byteLength; offset += chunkSize) {
    await new Promise((resolve) => setImmediate(resolve));
    yield body.subarray(offset, offset + chunkSize);
  }
}

/** Puts `keys` (content: the key itself), a few at a time. */
export async function putAll(store: ObjectStore, keys: readonly string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 50) {
    await Promise.all(keys.slice(i, i + 50).map((key) => store.put(key, bytes(key))));
  }
}

/** Defines one test that runs `body` on a fresh store from `makeStore` and disposes of it after. */
export type StoreTest = (title: string, body: (store: ObjectStore) => Promise<void>) => void;

/** A {@link StoreTest} over the stores `makeStore` creates. */
export function storeTest(makeStore: () => Promise<StoreFixture>): StoreTest {
  return (title, body) =>
    it(title, async () => {
      const { store, cleanup } = await makeStore();
      try {
        await body(store);
      } finally {
        await cleanup();
      }
    });
}
