/**
 * Produces the sales chunks in order, generated ahead by a pool of worker threads (or on the calling
 * thread when asked for 0 workers). Chunk j goes to worker j mod n; at most two chunks per worker
 * are requested ahead of the consumer, so memory stays bounded however slow the disk is.
 */
import { Worker } from "node:worker_threads";
import { generateSalesChunk, type SalesChunk } from "./sales-chunk.ts";
import { chunkCount, type SalesModel } from "./sales-model.ts";
import type { ChunkRequest } from "./sales-worker.ts";

/** Chunks requested ahead of the consumer, per worker. */
const AHEAD_PER_WORKER = 2;

/** The sales chunks of a model, in order; `close` stops the workers. */
export class SalesChunkSource {
  private readonly workers: Worker[] = [];
  private readonly waiting: Deferred[][] = [];
  private readonly requested: (Deferred | undefined)[] = [];
  private readonly total: number;
  private failure: Error | undefined;
  private closed = false;

  /**
   * Starts `workers` threads (0, or a single chunk: generate on this thread) and requests the first
   * chunks at once.
   */
  constructor(
    private readonly model: SalesModel,
    workers: number,
  ) {
    this.total = chunkCount(model);
    // A single chunk is made faster here than a worker thread starts.
    const threads = this.total <= 1 ? 0 : Math.min(workers, this.total);
    for (let w = 0; w < threads; w++) {
      const worker = startWorker(model);
      this.waiting.push([]);
      worker.on("message", (chunk: SalesChunk) => this.waiting[w]?.shift()?.resolve(chunk));
      worker.on("error", (error) => this.fail(error));
      worker.on("exit", (code) => {
        if (!this.closed) this.fail(new Error(`A sales worker thread exited with code ${code}`));
      });
      this.workers.push(worker);
    }
    this.requestUpTo(this.workers.length * AHEAD_PER_WORKER);
  }

  /** The chunks in index order. */
  async *chunks(): AsyncGenerator<SalesChunk> {
    for (let i = 0; i < this.total; i++) {
      if (this.workers.length === 0) {
        yield generateSalesChunk(this.model, i);
        continue;
      }
      this.requestUpTo(i + 1 + this.workers.length * AHEAD_PER_WORKER);
      // requestUpTo(i + 1 ...) has requested chunk i.
      const chunk = await (this.requested[i] as Deferred).promise;
      this.requested[i] = undefined;
      yield chunk;
    }
  }

  /** Stops the worker threads; safe to call more than once. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private requestUpTo(end: number): void {
    for (let i = this.requested.length; i < Math.min(end, this.total); i++) {
      const deferred = new Deferred();
      this.requested[i] = deferred;
      if (this.failure !== undefined) {
        deferred.reject(this.failure);
        continue;
      }
      const w = i % this.workers.length;
      this.waiting[w]?.push(deferred);
      const request: ChunkRequest = { chunk: i };
      this.workers[w]?.postMessage(request);
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const queue of this.waiting) for (const d of queue.splice(0)) d.reject(error);
  }
}

/**
 * A worker running sales-worker. From source (.ts) the worker needs tsx, but Node 20 ignores ESM
 * loaders given in a worker's `execArgv` (nodejs/node#47747), so a two-line bootstrap registers tsx
 * through its API and imports the worker module; the built .js needs nothing.
 */
function startWorker(model: SalesModel): Worker {
  if (!import.meta.url.endsWith(".ts")) {
    return new Worker(new URL("./sales-worker.js", import.meta.url), { workerData: model });
  }
  const entry = JSON.stringify(new URL("./sales-worker.ts", import.meta.url).href);
  const api = JSON.stringify(import.meta.resolve("tsx/esm/api"));
  const bootstrap = `import(${api}).then((tsx) => tsx.tsImport(${entry}, ${JSON.stringify(import.meta.url)}));`;
  return new Worker(bootstrap, { eval: true, workerData: model });
}

/** A promise with its resolve and reject, rejected quietly until someone awaits it. */
class Deferred {
  readonly promise: Promise<SalesChunk>;
  resolve: (chunk: SalesChunk) => void = () => {};
  reject: (error: Error) => void = () => {};

  constructor() {
    this.promise = new Promise<SalesChunk>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.promise.catch(() => {});
  }
}
