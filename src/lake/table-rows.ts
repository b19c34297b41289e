/**
 * The rows of a table snapshot for `lake read`, in batches, in bounded memory: file by file, each
 * streamed from DuckDB a chunk (2,048 rows) at a time. A snapshot with deletion vectors or column
 * mapping is read through the Delta scan (`scanRows`), which holds one data file's rows at a time.
 */
import {
  type AddFile,
  dataFileKey,
  MissingDataFileError,
  type Row,
  type Snapshot,
  scanRows,
} from "../delta/index.ts";
import { type DeltaContext, filesRelation, releaseAll, toDeltaValue } from "../engine/index.ts";
import { ObjectNotFoundError, type ObjectStore } from "../storage/index.ts";

/** Rows a batch from the Delta scan holds at most (DuckDB chunks are smaller). */
const SCAN_BATCH = 2048;

/**
 * Yields the snapshot's rows in batches, files in log order and rows in file order, at most `limit`
 * rows in all. Values are Delta values (see delta/values.ts), as `scanRows` gives them.
 */
export async function* tableRowBatches(
  ctx: DeltaContext,
  snapshot: Snapshot,
  store: ObjectStore,
  limit = Number.POSITIVE_INFINITY,
): AsyncGenerator<Row[]> {
  let remaining = limit;
  if (remaining <= 0) return;
  if (snapshot.columnMappingMode !== "none" || snapshot.files().some((f) => f.deletionVector)) {
    let batch: Row[] = [];
    for await (const row of scanRows(snapshot, store, ctx.parquet, { limit: remaining })) {
      batch.push(row);
      if (batch.length === SCAN_BATCH) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
    return;
  }
  const fields = snapshot.schema.fields;
  for (const file of snapshot.files()) {
    const { sql, locals } = await fileRelation(ctx, snapshot, store, file);
    try {
      const result = await ctx.session.connection.stream(
        Number.isFinite(remaining) ? `${sql} LIMIT ${remaining}` : sql,
      );
      for await (const values of result.yieldRows()) {
        const rows = values.slice(0, remaining).map((row) => {
          const out: Row = {};
          fields.forEach((f, i) => {
            out[f.name] = toDeltaValue(row[i] ?? null, f.type, "none");
          });
          return out;
        });
        remaining -= rows.length;
        yield rows;
        if (remaining <= 0) return;
      }
    } finally {
      await releaseAll(locals);
    }
  }
}

/** One file as a DuckDB relation. @throws MissingDataFileError when the file is gone (vacuumed). */
async function fileRelation(
  ctx: DeltaContext,
  snapshot: Snapshot,
  store: ObjectStore,
  file: AddFile,
): ReturnType<typeof filesRelation> {
  try {
    return await filesRelation(ctx, snapshot, store, [file]);
  } catch (error) {
    if (!(error instanceof ObjectNotFoundError)) throw error;
    throw new MissingDataFileError(snapshot.location, dataFileKey(snapshot, file.path), snapshot.version, {
      cause: error,
    });
  }
}
