/**
 * DuckDB computes on local files. This module gives it one: the object's own path when the store is a
 * local folder, otherwise its copy in the read cache, pinned until released.
 */
import type { ObjectStore } from "../storage/index.ts";
import type { ReadCache } from "./read-cache.ts";

/** A local copy (or the original) of an object; call `release` when DuckDB is done with it. */
export interface LocalFile {
  readonly path: string;
  release(): Promise<void>;
}

/**
 * A local path for `key`.
 * @throws ObjectNotFoundError when the object does not exist.
 */
export async function localFile(store: ObjectStore, key: string, cache: ReadCache): Promise<LocalFile> {
  const path = store.localPath(key);
  if (path !== undefined) {
    await store.head(key); // existence check with the store's own error
    return { path, release: async () => {} };
  }
  const cached = await cache.localPath(store, key);
  return { path: cached, release: async () => cache.unpin(cached) };
}
