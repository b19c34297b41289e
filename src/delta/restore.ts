/**
 * RESTORE: makes the content of an older version the current one, as a new commit. Files live now
 * but not then are removed; files live then but not now are re-added (they must still exist: a vacuum
 * may have deleted them). The older schema and properties come back too; the protocol never downgrades.
 */
import type { ObjectStore } from "../storage/index.ts";
import { type Action, removeAction } from "./actions.ts";
import { decodeAddPath } from "./data-file-path.ts";
import { InvalidOperationError, MissingDataFileError } from "./errors.ts";
import { fileKey } from "./log-replay.ts";
import type { ParquetPort } from "./parquet-port.ts";
import { Snapshot } from "./snapshot.ts";
import { commit } from "./transaction.ts";
import { checkWriterRules } from "./writer-rules.ts";

export interface RestoreMetrics {
  readonly restoredVersion: number;
  readonly version: number;
  readonly filesRemoved: number;
  readonly filesRestored: number;
}

/**
 * Restores the table to `version`.
 * @throws UnsupportedFeatureError when the table needs a writer feature we do not implement.
 * @throws AppendOnlyTableError when the table is append-only and the restore would remove files.
 * @throws MissingDataFileError when a file of that version was vacuumed.
 * @throws InvalidOperationError when `version` is the latest version.
 */
export async function restore(
  store: ObjectStore,
  parquet: ParquetPort,
  version: number,
  clock: () => number = Date.now,
): Promise<RestoreMetrics> {
  const current = await Snapshot.load(store, parquet);
  if (version >= current.version) {
    throw new InvalidOperationError(
      `Cannot restore ${store.location} to version ${version}: the latest version is ${current.version}`,
    );
  }
  const target = await Snapshot.load(store, parquet, version);
  const now = clock();
  const currentKeys = new Set(current.files().map(fileKey));
  const targetKeys = new Set(target.files().map(fileKey));
  const toAdd = target.files().filter((f) => !currentKeys.has(fileKey(f)));
  const toRemove = current.files().filter((f) => !targetKeys.has(fileKey(f)));
  checkWriterRules(store.location, current, { operation: "restore", removesData: toRemove.length > 0 });
  for (const add of toAdd) {
    try {
      await store.head(decodeAddPath(add.path));
    } catch (error) {
      throw new MissingDataFileError(store.location, add.path, version, { cause: error });
    }
  }
  const actions: Action[] = [];
  if (
    target.metadata.schemaString !== current.metadata.schemaString ||
    JSON.stringify(target.configuration) !== JSON.stringify(current.configuration)
  ) {
    actions.push({ metaData: { ...target.metadata, id: current.metadata.id } });
  }
  for (const f of toRemove) {
    actions.push({ remove: removeAction(f, now) });
  }
  for (const f of toAdd) actions.push({ add: { ...f, dataChange: true } });
  const result = await commit(
    store,
    parquet,
    current,
    {
      operation: "RESTORE",
      operationParameters: { version, timestamp: null },
      operationMetrics: { numRemovedFiles: String(toRemove.length), numRestoredFiles: String(toAdd.length) },
      actions,
      readScope: { kind: "table" },
    },
    { clock },
  );
  return {
    restoredVersion: version,
    version: result.version,
    filesRemoved: toRemove.length,
    filesRestored: toAdd.length,
  };
}
