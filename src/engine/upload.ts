/** Moving staged local files into a table's store under their relative paths. */
import { createReadStream } from "node:fs";
import type { ObjectStore } from "../storage/index.ts";
import type { StagedDataFile } from "./data-file-writer.ts";
import { mapLimit } from "./map-limit.ts";

/** How many uploads run at once. */
const UPLOAD_CONCURRENCY = 4;

/**
 * Uploads each staged file to its relative path (never overwriting: data file names are unique).
 * A failure leaves already-uploaded files as orphans that vacuum removes.
 */
export async function uploadDataFiles(store: ObjectStore, files: readonly StagedDataFile[]): Promise<void> {
  await mapLimit(files, UPLOAD_CONCURRENCY, (file) =>
    store.putStream(file.relativePath, createReadStream(file.localPath), { ifNoneMatch: true }),
  );
}
