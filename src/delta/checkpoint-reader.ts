/**
 * Reads the actions of a checkpoint ("Checkpoints"): classic and multi-part Parquet, V2 JSON or
 * Parquet with sidecar files in `_delta_log/_sidecars/`. A classic-named checkpoint may follow the V2
 * spec and reference sidecars too.
 */
import type { ObjectStore } from "../storage/index.ts";
import { type Action, parseActions, toAction } from "./actions.ts";
import { decodeAddPath } from "./data-file-path.ts";
import { CorruptLogError } from "./errors.ts";
import { SIDECAR_DIR } from "./log-path.ts";
import type { Checkpoint } from "./log-segment.ts";
import type { ParquetPort } from "./parquet-port.ts";

/**
 * Every action of the checkpoint, sidecar contents included (the sidecar actions themselves are
 * consumed). Row order is not significant: a checkpoint holds reconciled state.
 * @throws CorruptLogError naming the file that cannot be read or parsed.
 */
export async function readCheckpoint(
  store: ObjectStore,
  parquet: ParquetPort,
  checkpoint: Checkpoint,
): Promise<Action[]> {
  const actions: Action[] = [];
  for (const key of checkpoint.keys) {
    for (const action of await readCheckpointFile(store, parquet, key)) {
      if ("sidecar" in action) {
        const sidecarKey = `${SIDECAR_DIR}${decodeAddPath(action.sidecar.path)}`;
        actions.push(...(await readCheckpointFile(store, parquet, sidecarKey)));
      } else {
        actions.push(action);
      }
    }
  }
  return actions;
}

async function readCheckpointFile(store: ObjectStore, parquet: ParquetPort, key: string): Promise<Action[]> {
  try {
    if (key.endsWith(".json")) return parseActions(new TextDecoder().decode(await store.get(key)));
    const rows = await parquet.readRows(store, key);
    const actions: Action[] = [];
    rows.forEach((row, i) => {
      const action = toAction(row, `row ${i}`);
      if (action) actions.push(action);
    });
    return actions;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CorruptLogError(store.location, key, `the checkpoint cannot be read: ${reason}`, {
      cause: error,
    });
  }
}
