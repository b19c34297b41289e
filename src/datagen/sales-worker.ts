/**
 * Worker-thread entry: receives the sales model once (workerData), then generates each chunk index
 * it is sent and posts the chunk back, transferring its buffer instead of copying it.
 */
import { parentPort, workerData } from "node:worker_threads";
import { generateSalesChunk } from "./sales-chunk.ts";
import type { SalesModel } from "./sales-model.ts";

/** What the pool sends a worker: the chunk to generate. */
export interface ChunkRequest {
  readonly chunk: number;
}

const model = workerData as SalesModel;
const port = parentPort;
if (port === null) throw new Error("sales-worker.ts must run in a worker thread");
port.on("message", (request: ChunkRequest) => {
  const chunk = generateSalesChunk(model, request.chunk);
  port.postMessage(chunk, [chunk.bytes.buffer as ArrayBuffer]);
});
