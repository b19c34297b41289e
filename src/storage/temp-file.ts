/** Complete, durable temporary files: what `LocalStore` writes before giving an object its key. */
import { randomUUID } from "node:crypto";
import type { Stats } from "node:fs";
import { type FileHandle, open, rm } from "node:fs/promises";
import { join } from "node:path";
import { LocalWriteError } from "./errors.ts";
import { makeFolders } from "./local-root.ts";
import { ownedName } from "./staging-owner.ts";

/** A fully written temporary file. */
export interface TempFile {
  readonly path: string;
  readonly stats: Stats;
}

/**
 * Writes `body` to a new, uniquely named file in `folder` (created if missing), flushes it to disk
 * and closes it. When `body` or the disk fails, the file is removed and the error rethrown.
 * @throws LocalWriteError when the file system refuses the write (no space, no permission, a file
 *   in the way); `body`'s own errors as they are
 */
export async function writeTempFile(
  folder: string,
  body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): Promise<TempFile> {
  // Named after this process, so that what a killed writer leaves can be told from a live one's.
  const path = join(folder, ownedName(randomUUID()));
  let handle: FileHandle;
  try {
    await makeFolders(folder);
    handle = await open(path, "wx");
  } catch (error) {
    throw LocalWriteError.from(error, path);
  }
  /** False while `body` produces a chunk: its errors are the reader's, not this file's. */
  let writing = false;
  try {
    let position = 0;
    for await (const chunk of body) {
      writing = true;
      for (let done = 0; done < chunk.byteLength; ) {
        done += (await handle.write(chunk, done, chunk.byteLength - done, position + done)).bytesWritten;
      }
      position += chunk.byteLength;
      writing = false;
    }
    writing = true;
    // Durable before it gets a name: a crash must not leave a named object with missing bytes.
    await handle.sync();
    const stats = await handle.stat();
    await handle.close();
    return { path, stats };
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(path, { force: true });
    // A failed write() names no file: name the one it was writing.
    throw writing ? LocalWriteError.from(error, path) : error;
  }
}
