import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type Action,
  AppendOnlyTableError,
  type ParquetPort,
  restore,
  Snapshot,
  UnsupportedFeatureError,
} from "../../src/delta/index.ts";
import { MemoryStore } from "../../src/storage/index.ts";
import {
  addAction,
  metadataAction,
  protocolAction,
  rejectsWith,
  writeCommits,
} from "../helpers/delta-fixtures.ts";

// RESTORE obeys the writer rules like every operation that commits: the table's writer features must
// be ones we implement, and on an append-only table it may not remove data. Refused, it commits nothing.

/** Restores here never read Parquet: the log and the data files' existence are all they need. */
const noParquet: ParquetPort = {
  readRows: () => Promise.reject(new Error("no Parquet in this test")),
  writeRows: () => Promise.reject(new Error("no Parquet in this test")),
  readDataFile: () => Promise.reject(new Error("no Parquet in this test")),
};

/** A table with f0 at version 0 and f1 appended at version 1 (both files exist), then `later` commits. */
async function twoFileTable(
  configuration: Record<string, string>,
  ...later: ReadonlyArray<readonly Action[]>
): Promise<MemoryStore> {
  const store = new MemoryStore({ name: "restore-test" });
  const metadata = metadataAction();
  const withConfig =
    "metaData" in metadata ? { metaData: { ...metadata.metaData, configuration } } : metadata;
  await writeCommits(store, [
    [protocolAction(), withConfig, addAction("f0.parquet")],
    [addAction("f1.parquet")],
    ...later,
  ]);
  for (const key of ["f0.parquet", "f1.parquet"]) await store.put(key, new Uint8Array([1]));
  return store;
}

describe("restore", () => {
  it("refuses a table with an unsupported writer feature, naming it, and commits nothing", async () => {
    const store = await twoFileTable({}, [
      protocolAction({ minReaderVersion: 1, minWriterVersion: 7, writerFeatures: ["fancyWriterFeature"] }),
    ]);
    const error = await rejectsWith(
      restore(store, noParquet, 0),
      UnsupportedFeatureError,
      `Cannot write the Delta table at ${store.location}: it requires the unsupported writer feature "fancyWriterFeature"`,
    );
    assert.deepEqual([error.feature, error.access], ["fancyWriterFeature", "write"]);
    assert.equal((await Snapshot.load(store, noParquet)).version, 2);
  });

  it("refuses to remove files from an append-only table, naming the table and the property", async () => {
    const store = await twoFileTable({ "delta.appendOnly": "true" });
    const error = await rejectsWith(
      restore(store, noParquet, 0),
      AppendOnlyTableError,
      `Cannot restore the Delta table at ${store.location}: it is append-only (delta.appendOnly=true), so data can be added but not removed; set delta.appendOnly=false first if removing data is intended`,
    );
    assert.deepEqual([error.location, error.property], [store.location, "delta.appendOnly"]);
    assert.equal((await Snapshot.load(store, noParquet)).version, 1);
  });

  it("restores a table without those properties, removing the files added since", async () => {
    const store = await twoFileTable({});
    const metrics = await restore(store, noParquet, 0);
    assert.deepEqual(metrics, { restoredVersion: 0, version: 2, filesRemoved: 1, filesRestored: 0 });
    assert.deepEqual(
      (await Snapshot.load(store, noParquet)).files().map((f) => f.path),
      ["f0.parquet"],
    );
  });
});
