/**
 * DuckDB computes on local files. This module gives it one: the object's own path when the store is a
 * local folder, otherwise a downloaded copy in a staging folder that is removed on release.
 */
import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import type { ObjectStore } from "../storage/index.ts";

/** A local copy (or the original) of an object; call `release` when DuckDB is done with it. */
export interface LocalFile {
  readonly path: string;
  release(): Promise<void>;
}

/**
 * A local path for `key`.
 * @throws ObjectNotFoundError when the object does not exist.
 */
export async function localFile(store: ObjectStore, key: string): Promise<LocalFile> {
  const path = store.localPath(key);
  if (path !== undefined) {
    await store.head(key); // existence check with the store's own error
    return { path, release: async () => {} };
  }
  const dir = join(tmpdir(), "medallion-lake-stage");
  await mkdir(dir, { recursive: true });
  const staged = join(dir, `${randomUUID()}-${key.split("/").at(-1) ?? "object"}`);
  await pipeline(store.getStream(key), createWriteStream(staged));
  return { path: staged, release: () => rm(staged, { force: true }) };
}

/** A fresh temporary file path with the given suffix; the caller removes it. */
export async function tempPath(suffix: string): Promise<string> {
  const dir = join(tmpdir(), "medallion-lake-tmp");
  await mkdir(dir, { recursive: true });
  return join(dir, `${randomUUID()}${suffix}`);
}
