/** The engine settings of lake.json (`engine`): DuckDB's threads and memory, and the temp folder. */
import { resolve } from "node:path";
import { MAX_THREADS, MEMORY_PATTERN } from "./config-schema.ts";
import { URL_SCHEME } from "./project-locations.ts";

export interface EngineConfig {
  readonly threads?: number;
  /** DuckDB memory limit, e.g. `2GB`. */
  readonly memoryLimit?: string;
  /** Where DuckDB spills and the pipeline stages files (absolute). */
  readonly tempDirectory: string;
}

/**
 * The least memory the engine is given. DuckDB accepts any limit, even 0, and then fails out of memory
 * deep in a run; a floor turns "0GB" or "2KB" (meant as 2GB) into a config error instead.
 */
const MIN_MEMORY_BYTES = 128_000_000;

/**
 * Validates `engine` (threads, memory limit, temp folder; its keys are checked against the schema by the
 * caller), resolving the temp folder against the project folder `root`.
 */
export function parseEngine(
  engine: Readonly<Record<string, unknown>>,
  root: string,
  fail: (field: string, problem: string) => Error,
): EngineConfig {
  const { threads, memoryLimit } = engine;
  if (
    threads !== undefined &&
    !(Number.isInteger(threads) && (threads as number) >= 1 && (threads as number) <= MAX_THREADS)
  )
    throw fail("engine.threads", `must be a whole number from 1 to ${MAX_THREADS}`);
  if (memoryLimit !== undefined) {
    const bytes = typeof memoryLimit === "string" ? memoryBytes(memoryLimit) : undefined;
    if (bytes === undefined) throw fail("engine.memoryLimit", 'must be a size like "2GB" or "512MB"');
    if (bytes < MIN_MEMORY_BYTES)
      throw fail(
        "engine.memoryLimit",
        `${memoryLimit} is too little: the engine needs at least 128MB (e.g. "2GB")`,
      );
  }
  const temp = engine.tempDirectory ?? "lake/.tmp";
  if (typeof temp !== "string" || temp === "") throw fail("engine.tempDirectory", "must be a folder path");
  if (URL_SCHEME.test(temp))
    throw fail(
      "engine.tempDirectory",
      `${temp}: must be a local folder (the engine spills and stages files there)`,
    );
  return {
    ...(threads === undefined ? {} : { threads: threads as number }),
    ...(memoryLimit === undefined ? {} : { memoryLimit: memoryLimit as string }),
    tempDirectory: resolve(root, temp),
  };
}

/** Bytes of a DuckDB memory size (KB … TB: powers of 1000; KiB … TiB: powers of 1024), or undefined. */
function memoryBytes(size: string): number | undefined {
  if (!new RegExp(MEMORY_PATTERN).test(size)) return undefined;
  const unit = size.replace(/^[0-9.\s]+/, "").toUpperCase();
  const power = "KMGT".indexOf(unit[0] as string) + 1;
  return Number.parseFloat(size) * (unit[1] === "I" ? 1024 : 1000) ** power;
}
