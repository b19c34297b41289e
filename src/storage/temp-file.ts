/** Complete, durable temporary files: what `LocalStore` writes before giving an object its key. */
import { randomUUID } from "node:crypto";
import type { Stats } from "node:fs";
import { mkdir, open, rm } from "node:fs/promises";
import { join } from "node:path";

/** A fully written temporary file. */
export interface TempFile {
  readonly path: string;
  readonly stats: Stats;
}

/**
 * Writes `body` to a new, uniquely named file in `folder` (created if missing), flushes it to disk
 * and closes it. When `body` or the disk fails, the file is removed and the error rethrown.
 */
export async function writeTempFile(
  folder: string,
  body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): Promise<TempFile> {
  const path = join(folder, randomUUID());
  await mkdir(folder, { recursive: true });
  const handle = await open(path, "wx");
  try {
    let position = 0;
    for await (const chunk of body) {
      for (let done = 0; done < chunk.byteLength; ) {
        done += (await handle.write(chunk, done, chunk.byteLength - done, position + done)).bytesWritten;
      }
      position += chunk.byteLength;
    }
    // Durable before it gets a name: a crash must not leave a named object with missing bytes.
    await handle.sync();
    const stats = await handle.stat();
    await handle.close();
    return { path, stats };
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(path, { force: true });
    throw error;
  }
}
