/**
 * VACUUM ("Add File and Remove File", checklist 1.18): deletes files under the table root that no
 * retained version needs. A file is deleted only if no live file and no unexpired tombstone references
 * it, it is older than the retention period, and it is not under a hidden directory (`_…`, `.…`,
 * except partition directories `col=…`). `_delta_log/` is never touched. Only keys listed under the
 * table root are candidates, and references are compared as keys under that root whether the log
 * spells them relative or as absolute URIs (`tableRelativeKey`): a file an absolute path names
 * outside the table is never deleted, one inside it is kept like any other referenced file. A real
 * run also removes what killed writers left in the store's own temporary area (`removeLeftBehind`).
 */
import type { ObjectStore } from "../storage/index.ts";
import { tableRelativeKey } from "./data-file-path.ts";
import { type DeletionVectorDescriptor, deletionVectorFileKey } from "./deletion-vector.ts";
import { InvalidOperationError } from "./errors.ts";
import type { ParquetPort } from "./parquet-port.ts";
import { Snapshot } from "./snapshot.ts";
import { deletedFileRetentionMs } from "./table-properties.ts";
import { commit } from "./transaction.ts";
import { checkWriterRules } from "./writer-rules.ts";

export interface VacuumOptions {
  /** Keep files needed by versions within this many ms (default: the table's `delta.deletedFileRetentionDuration`). */
  readonly retentionMs?: number;
  /** Only list what would be deleted. */
  readonly dryRun?: boolean;
  /** Allow a retention shorter than the table's (it can break time travel and concurrent readers). */
  readonly allowShortRetention?: boolean;
  /** Wall clock (default Date.now). */
  readonly clock?: () => number;
}

export interface VacuumMetrics {
  readonly dryRun: boolean;
  /** Keys deleted (or, in a dry run, that would be). */
  readonly files: readonly string[];
  readonly bytes: number;
  readonly retentionMs: number;
}

/**
 * Vacuums the table. A real run records `VACUUM START` and `VACUUM END` commits, as Spark does.
 * Allowed on append-only tables: the files it deletes are no longer part of the table.
 * @throws UnsupportedFeatureError when the table needs a writer feature we do not implement (such as
 *   `vacuumProtocolCheck` asks of a vacuum), even for a dry run.
 * @throws InvalidOperationError when the retention is shorter than the table's without `allowShortRetention`.
 */
export async function vacuum(
  store: ObjectStore,
  parquet: ParquetPort,
  options: VacuumOptions = {},
): Promise<VacuumMetrics> {
  const clock = options.clock ?? Date.now;
  const snapshot = await Snapshot.load(store, parquet);
  checkWriterRules(store.location, snapshot, { operation: "vacuum", removesData: false });
  const tableRetention = deletedFileRetentionMs(snapshot.metadata);
  const retentionMs = options.retentionMs ?? tableRetention;
  if (retentionMs < tableRetention && !options.allowShortRetention) {
    throw new InvalidOperationError(
      `Refusing to vacuum ${store.location} with a retention of ${hours(retentionMs)} hours, below the table's ${hours(tableRetention)} hours: files that time travel or running readers need could be deleted. Allow a short retention explicitly to proceed.`,
    );
  }
  const now = clock();
  const cutoff = now - retentionMs;
  // Keys under the table root that a retained version references; files outside the root are never
  // listed, so they need no entry.
  const needed = new Set<string>();
  const keepKey = (key: string | undefined) => {
    if (key !== undefined) needed.add(key);
  };
  const keep = (path: string, dv: DeletionVectorDescriptor | null | undefined) => {
    keepKey(tableRelativeKey(store.location, path));
    if (!dv) return;
    const dvKey = deletionVectorFileKey(dv);
    keepKey(dv.storageType === "p" && dvKey !== undefined ? tableRelativeKey(store.location, dvKey) : dvKey);
  };
  for (const add of snapshot.files()) keep(add.path, add.deletionVector);
  for (const remove of snapshot.tombstones()) {
    if ((remove.deletionTimestamp ?? 0) > cutoff) keep(remove.path, remove.deletionVector);
  }
  const files: string[] = [];
  let bytes = 0;
  for await (const meta of store.list("")) {
    if (isHidden(meta.key) || needed.has(meta.key) || meta.lastModified > cutoff) continue;
    files.push(meta.key);
    bytes += meta.size;
  }
  if (options.dryRun) return { dryRun: true, files, bytes, retentionMs };
  const parameters = {
    retentionCheckEnabled: !options.allowShortRetention,
    specifiedRetentionMillis: retentionMs,
  };
  const start = await commit(store, parquet, snapshot, {
    operation: "VACUUM START",
    operationParameters: parameters,
    operationMetrics: { numFilesToDelete: String(files.length), sizeOfDataToDelete: String(bytes) },
    actions: [],
    readScope: { kind: "nothing" },
  });
  for (const key of files) await store.delete(key);
  await store.removeLeftBehind?.();
  await commit(store, parquet, await Snapshot.load(store, parquet, start.version), {
    operation: "VACUUM END",
    operationParameters: { status: "COMPLETED" },
    operationMetrics: { numDeletedFiles: String(files.length), numVacuumedDirectories: "0" },
    actions: [],
    readScope: { kind: "nothing" },
  });
  return { dryRun: false, files, bytes, retentionMs };
}

/** True for keys under `_…` or `.…` directories (or such file names), partition directories excepted. */
export function isHidden(key: string): boolean {
  return key.split("/").some((part) => (part.startsWith("_") && !part.includes("=")) || part.startsWith("."));
}

function hours(ms: number): number {
  return Math.round((ms / 3_600_000) * 100) / 100;
}
