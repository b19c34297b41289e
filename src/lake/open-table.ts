/** Opening a table by location at a version or timestamp. */
import type { Snapshot } from "../delta/index.ts";
import type { DeltaContext } from "../engine/index.ts";
import type { ObjectStore } from "../storage/index.ts";
import { storeForLocation } from "./locations.ts";

/** Which version to open: a version number, an instant (ms), or the latest when empty. */
export interface TableAt {
  readonly version?: number;
  readonly timestamp?: number;
}

/** A table's store and a loaded snapshot of it. */
export interface OpenTable {
  readonly store: ObjectStore;
  readonly snapshot: Snapshot;
}

/**
 * Opens the table at `uri`.
 * @throws LakeUsageError for an unsupported location; the Delta layer's errors for a missing table or version.
 */
export async function openTable(ctx: DeltaContext, uri: string, at: TableAt = {}): Promise<OpenTable> {
  const store = storeForLocation(uri);
  return { store, snapshot: await ctx.snapshot(store, at) };
}
