/**
 * OPTIMIZE (bin-packing compaction): in each partition, files smaller than the target size are
 * rewritten together into files of about the target size. The commit carries `dataChange: false`:
 * the rows do not change, so concurrent appends do not conflict with it.
 */
import {
  type Action,
  type AddFile,
  type CommitOptions,
  checkWriterRules,
  commit,
  fileKey,
  removeAction,
} from "../delta/index.ts";
import type { ObjectStore } from "../storage/index.ts";
import { addActionFor, writeDataFiles } from "./data-file-writer.ts";
import type { DeltaContext } from "./delta-context.ts";
import { filesRelation, releaseAll } from "./table-files.ts";
import { uploadDataFiles } from "./upload.ts";

export interface OptimizeOptions {
  /** Files below this size are compacted, into files of about this size (default 128 MiB). */
  readonly targetFileSizeBytes?: number;
  readonly commitOptions?: CommitOptions;
}

export interface OptimizeMetrics {
  /** The committed version; undefined when there was nothing to compact. */
  readonly version: number | undefined;
  readonly filesRemoved: number;
  readonly filesAdded: number;
  readonly partitionsOptimized: number;
}

/**
 * Compacts small files, partition by partition. Allowed on append-only tables: it removes no data.
 * @throws UnsupportedFeatureError when the table needs a writer feature we do not implement.
 */
export async function optimizeTable(
  ctx: DeltaContext,
  store: ObjectStore,
  options: OptimizeOptions = {},
): Promise<OptimizeMetrics> {
  const target = options.targetFileSizeBytes ?? 128 * 1024 * 1024;
  const snapshot = await ctx.snapshot(store);
  checkWriterRules(store.location, snapshot, { operation: "optimize", removesData: false });
  const groups = new Map<string, AddFile[]>();
  for (const file of snapshot.files()) {
    // Files with deletion vectors are left alone: rewriting them would need the DV applied.
    if (file.size >= target || file.deletionVector) continue;
    const key = JSON.stringify(snapshot.partitionColumns.map((c) => file.partitionValues[c] ?? null));
    groups.set(key, [...(groups.get(key) ?? []), file]);
  }
  const bins = [...groups.values()].filter((files) => files.length > 1);
  if (bins.length === 0)
    return { version: undefined, filesRemoved: 0, filesAdded: 0, partitionsOptimized: 0 };
  const now = (options.commitOptions?.clock ?? Date.now)();
  const actions: Action[] = [];
  const readKeys = new Set<string>();
  await ctx.staging.withFolder("write", async (dir) => {
    for (const files of bins) {
      const { sql, locals } = await filesRelation(ctx, snapshot, store, files);
      try {
        const staged = await writeDataFiles(
          ctx.session,
          sql,
          {
            schema: snapshot.schema,
            partitionColumns: snapshot.partitionColumns,
            targetFileSizeBytes: target,
          },
          dir,
        );
        await uploadDataFiles(store, staged);
        for (const file of files) {
          readKeys.add(fileKey(file));
          actions.push({ remove: removeAction(file, now, false) });
        }
        for (const f of staged) actions.push({ add: addActionFor(f, now, false) });
      } finally {
        await releaseAll(locals);
      }
    }
  });
  const filesRemoved = actions.filter((a) => "remove" in a).length;
  const result = await commit(
    store,
    ctx.parquet,
    snapshot,
    {
      operation: "OPTIMIZE",
      operationParameters: { predicate: "[]", targetFileSizeBytes: target },
      operationMetrics: {
        numRemovedFiles: String(filesRemoved),
        numAddedFiles: String(actions.length - filesRemoved),
      },
      actions,
      readScope: { kind: "files", keys: readKeys },
    },
    options.commitOptions,
  );
  return {
    version: result.version,
    filesRemoved,
    filesAdded: actions.length - filesRemoved,
    partitionsOptimized: bins.length,
  };
}
