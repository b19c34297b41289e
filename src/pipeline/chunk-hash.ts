/**
 * SHA-256 of a stream of chunks, for the landing files' checksums. A large file is hashed on a worker
 * thread, beside the CSV pre-pass that reads it (hashing a 700 MB file takes about 0.6 s of a core);
 * a small one inline, where starting a thread would cost more than the hash.
 */
import { createHash } from "node:crypto";
import { once } from "node:events";
import { Worker } from "node:worker_threads";

/** Files at least this large are hashed on a worker thread. */
const WORKER_FROM_BYTES = 64 * 1024 * 1024;

// The worker's whole program: chunks in, the hex digest out when a null arrives.
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const hash = require("node:crypto").createHash("sha256");
parentPort.on("message", (chunk) => {
  if (chunk === null) parentPort.postMessage(hash.digest("hex"));
  else hash.update(chunk);
});`;

export interface ChunkHash {
  update(chunk: Buffer): void;
  /** The hex digest; the hash cannot be used afterwards. */
  digest(): Promise<string>;
  /** Frees the worker when the stream is abandoned (safe after digest). */
  close(): void;
}

/** The hex SHA-256 of a whole stream, hashed inline (nothing else runs beside it). */
export async function sha256Of(bytes: AsyncIterable<Uint8Array>): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of bytes) hash.update(chunk);
  return hash.digest("hex");
}

/** A SHA-256 for a stream of about `expectedBytes`. */
export function chunkHash(expectedBytes: number): ChunkHash {
  if (expectedBytes < WORKER_FROM_BYTES) {
    const hash = createHash("sha256");
    return { update: (chunk) => hash.update(chunk), digest: async () => hash.digest("hex"), close: () => {} };
  }
  const worker = new Worker(WORKER_SOURCE, { eval: true });
  return {
    // postMessage copies the bytes: the pre-pass keeps using its chunk.
    update: (chunk) => worker.postMessage(chunk),
    async digest() {
      const reply = once(worker, "message");
      worker.postMessage(null);
      const [hex] = (await Promise.race([reply, once(worker, "error").then(([e]) => Promise.reject(e))])) as [
        string,
      ];
      await worker.terminate();
      return hex;
    },
    close: () => void worker.terminate(),
  };
}
