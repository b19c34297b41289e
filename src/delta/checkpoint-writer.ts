/**
 * Writes classic V1 checkpoints ("Checkpoints", "V1 Spec") with Spark's checkpoint Parquet schema, then
 * `_last_checkpoint`. Content: the reconciled state at the version (protocol, metadata, live adds,
 * unexpired tombstones, txns, domain metadata), one action per row; no commitInfo, no parsed stats.
 */
import type { ObjectStore } from "../storage/index.ts";
import { ObjectExistsError } from "../storage/index.ts";
import { writeLastCheckpoint } from "./last-checkpoint.ts";
import { classicCheckpointKey } from "./log-path.ts";
import type { ParquetPort } from "./parquet-port.ts";
import { field, type StructType, struct } from "./schema.ts";
import type { Snapshot } from "./snapshot.ts";
import { deletedFileRetentionMs } from "./table-properties.ts";

const stringMap = { type: "map", keyType: "string", valueType: "string", valueContainsNull: true } as const;
const stringArray = { type: "array", elementType: "string", containsNull: true } as const;
const deletionVector = struct(
  field("storageType", "string"),
  field("pathOrInlineDv", "string"),
  field("offset", "integer"),
  field("sizeInBytes", "integer"),
  field("cardinality", "long"),
  field("maxRowIndex", "long"),
);

/** Spark 3.5 / Delta 3.1's checkpoint schema (checklist 1.13), without the optional parsed columns. */
export const CHECKPOINT_SCHEMA: StructType = struct(
  field("txn", struct(field("appId", "string"), field("version", "long"), field("lastUpdated", "long"))),
  field(
    "add",
    struct(
      field("path", "string"),
      field("partitionValues", stringMap),
      field("size", "long"),
      field("modificationTime", "long"),
      field("dataChange", "boolean"),
      field("tags", stringMap),
      field("deletionVector", deletionVector),
      field("baseRowId", "long"),
      field("defaultRowCommitVersion", "long"),
      field("clusteringProvider", "string"),
      field("stats", "string"),
    ),
  ),
  field(
    "remove",
    struct(
      field("path", "string"),
      field("deletionTimestamp", "long"),
      field("dataChange", "boolean"),
      field("extendedFileMetadata", "boolean"),
      field("partitionValues", stringMap),
      field("size", "long"),
      field("deletionVector", deletionVector),
      field("baseRowId", "long"),
      field("defaultRowCommitVersion", "long"),
    ),
  ),
  field(
    "metaData",
    struct(
      field("id", "string"),
      field("name", "string"),
      field("description", "string"),
      field("format", struct(field("provider", "string"), field("options", stringMap))),
      field("schemaString", "string"),
      field("partitionColumns", stringArray),
      field("configuration", stringMap),
      field("createdTime", "long"),
    ),
  ),
  field(
    "protocol",
    struct(
      field("minReaderVersion", "integer"),
      field("minWriterVersion", "integer"),
      field("readerFeatures", stringArray),
      field("writerFeatures", stringArray),
    ),
  ),
  field(
    "domainMetadata",
    struct(field("domain", "string"), field("configuration", "string"), field("removed", "boolean")),
  ),
);

/** What a checkpoint write produced. */
export interface CheckpointMetrics {
  readonly version: number;
  readonly rows: number;
  readonly addFiles: number;
  readonly sizeInBytes: number;
}

/**
 * Writes the checkpoint of `snapshot.version` and points `_last_checkpoint` at it. A checkpoint that
 * already exists for the version (written by a concurrent writer) is left as is.
 */
export async function writeCheckpoint(
  store: ObjectStore,
  parquet: ParquetPort,
  snapshot: Snapshot,
  now: number = Date.now(),
): Promise<CheckpointMetrics> {
  const state = snapshot.reconciled;
  const expiry = now - deletedFileRetentionMs(snapshot.metadata);
  const rows: Record<string, unknown>[] = [{ protocol: snapshot.protocol }, { metaData: snapshot.metadata }];
  for (const txn of state.txns.values()) rows.push({ txn });
  for (const domain of state.domainMetadata.values()) rows.push({ domainMetadata: domain });
  for (const add of state.files.values()) rows.push({ add });
  for (const remove of state.tombstones.values()) {
    if ((remove.deletionTimestamp ?? 0) > expiry) rows.push({ remove });
  }
  const bytes = await parquet.writeRows(rows, CHECKPOINT_SCHEMA);
  try {
    await store.put(classicCheckpointKey(snapshot.version), bytes, { ifNoneMatch: true });
  } catch (error) {
    if (!(error instanceof ObjectExistsError)) throw error;
  }
  const metrics = {
    version: snapshot.version,
    rows: rows.length,
    addFiles: state.files.size,
    sizeInBytes: bytes.length,
  };
  await writeLastCheckpoint(store, { version: snapshot.version, size: rows.length });
  return metrics;
}
