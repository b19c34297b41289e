/**
 * `_delta_log/_last_checkpoint` ("Last Checkpoint File"): a hint naming the newest checkpoint.
 * It may be stale, empty, garbage or missing; readers fall back to listing, never fail on it.
 */
import type { ObjectStore } from "../storage/index.ts";
import { ObjectNotFoundError } from "../storage/index.ts";
import { isRecord } from "./actions.ts";
import { LAST_CHECKPOINT_KEY } from "./log-path.ts";

/** The fields of `_last_checkpoint` a reader uses. */
export interface LastCheckpointHint {
  readonly version: number;
  readonly size?: number;
  readonly parts?: number;
}

/** Reads the hint; `undefined` when it is missing or unusable (the reader then lists the whole log). */
export async function readLastCheckpoint(store: ObjectStore): Promise<LastCheckpointHint | undefined> {
  let text: string;
  try {
    text = new TextDecoder().decode(await store.get(LAST_CHECKPOINT_KEY));
  } catch (error) {
    if (error instanceof ObjectNotFoundError) return undefined;
    throw error;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (!isRecord(parsed) || !Number.isSafeInteger(parsed.version) || (parsed.version as number) < 0)
      return undefined;
    return {
      version: parsed.version as number,
      ...(typeof parsed.size === "number" ? { size: parsed.size } : {}),
      ...(typeof parsed.parts === "number" ? { parts: parsed.parts } : {}),
    };
  } catch {
    return undefined;
  }
}

/** Writes the hint after a checkpoint file is complete. */
export async function writeLastCheckpoint(store: ObjectStore, hint: LastCheckpointHint): Promise<void> {
  await store.put(LAST_CHECKPOINT_KEY, new TextEncoder().encode(JSON.stringify(hint)));
}
