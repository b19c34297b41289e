import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Action, type ParquetPort, vacuum } from "../../src/delta/index.ts";
import { LocalStore, MemoryStore, type ObjectStore } from "../../src/storage/index.ts";
import { addAction, metadataAction, protocolAction, writeCommits } from "../helpers/delta-fixtures.ts";

// VACUUM on tables whose log names data files by absolute URIs as well as relative paths: a file that
// a retained version references is kept however the log spells it, only unreferenced files inside
// the table folder are deleted, and a file an absolute URI names outside the table is never touched.

const DAY = 86_400_000;
const now = Date.now();
/** Vacuum eight days from now: files written now are past the default retention of seven days. */
const later = { clock: () => now + 8 * DAY };

/** Vacuums here never read Parquet (no checkpoint is due). */
const noParquet: ParquetPort = {
  readRows: () => Promise.reject(new Error("no Parquet in this test")),
  writeRows: () => Promise.reject(new Error("no Parquet in this test")),
  readDataFile: () => Promise.reject(new Error("no Parquet in this test")),
};

const remove = (path: string, deletionTimestamp: number): Action => ({
  remove: { path, deletionTimestamp, dataChange: true },
});

/** `store` as if it lived at `location` (an S3 table), everything else delegated. */
function seenAt(store: ObjectStore, location: string): ObjectStore {
  return {
    location,
    get: (key) => store.get(key),
    getRange: (key, start, end) => store.getRange(key, start, end),
    head: (key) => store.head(key),
    list: (prefix, opts) => store.list(prefix, opts),
    put: (key, body, opts) => store.put(key, body, opts),
    putStream: (key, body, opts) => store.putStream(key, body, opts),
    getStream: (key) => store.getStream(key),
    delete: (key) => store.delete(key),
    localPath: (key) => store.localPath(key),
  };
}

describe("vacuum of a table whose log uses absolute URIs", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lake-vacuum-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("on a folder keeps live files however spelled, never touches files outside, deletes only unreferenced files inside", async () => {
    const tableDir = join(dir, "table");
    const outsideDir = join(dir, "outside");
    const store = new LocalStore(tableDir);
    const root = store.location; // file:///…/table
    await writeCommits(store, [
      [
        protocolAction(),
        metadataAction(),
        addAction(`${root}/live-abs.parquet`),
        addAction("live-rel.parquet"),
        // Hadoop's spelling of a local URI (file:/…), percent-encoded as add.path is.
        addAction(`file:${tableDir}/a=1/live%20hadoop.parquet`),
        addAction(`${root.replace(/\/table$/, "/outside")}/part-out.parquet`),
        addAction("s3://bucket/elsewhere/part-s3.parquet"),
      ],
      // old-abs was removed long ago (its tombstone expired); recent-abs six days before the vacuum.
      [remove(`${root}/old-abs.parquet`, 0), remove(`${root}/recent-abs.parquet`, now + 2 * DAY)],
    ]);
    const inside = [
      "a=1/live hadoop.parquet",
      "live-abs.parquet",
      "live-rel.parquet",
      "old-abs.parquet",
      "orphan.parquet",
      "recent-abs.parquet",
    ];
    for (const key of inside) await store.put(key, new Uint8Array([1, 2, 3]));
    await mkdir(outsideDir);
    await writeFile(join(outsideDir, "part-out.parquet"), new Uint8Array([1]));

    const dryRun = await vacuum(store, noParquet, { ...later, dryRun: true });
    assert.deepEqual(dryRun.files, ["old-abs.parquet", "orphan.parquet"]);
    const result = await vacuum(store, noParquet, later);
    assert.deepEqual([result.files, result.bytes], [["old-abs.parquet", "orphan.parquet"], 6]);

    const left = (await readdir(tableDir, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile() && !e.parentPath.includes("_delta_log"))
      .map((e) => join(e.parentPath, e.name).slice(tableDir.length + 1))
      .sort();
    assert.deepEqual(left, [
      "a=1/live hadoop.parquet",
      "live-abs.parquet",
      "live-rel.parquet",
      "recent-abs.parquet",
    ]);
    assert.deepEqual(await readdir(outsideDir), ["part-out.parquet"]);
  });

  it("on S3 keeps files named by s3://, s3a:// and rooted paths under the table, and deletes the unreferenced one", async () => {
    const memory = new MemoryStore({ name: "vacuum-s3" });
    const store = seenAt(memory, "s3://bucket/table");
    await writeCommits(store, [
      [
        protocolAction(),
        metadataAction(),
        addAction("s3://bucket/table/live.parquet"),
        addAction("s3a://bucket/table/live-s3a.parquet"),
        addAction("/table/live-rooted.parquet"),
        // Outside the table: a sibling folder sharing the prefix, another bucket.
        addAction("s3://bucket/table-other/live.parquet"),
        addAction("s3://other-bucket/table/orphan.parquet"),
      ],
    ]);
    for (const key of ["live.parquet", "live-s3a.parquet", "live-rooted.parquet", "orphan.parquet"]) {
      await store.put(key, new Uint8Array([1]));
    }
    const result = await vacuum(store, noParquet, later);
    assert.deepEqual(result.files, ["orphan.parquet"]);
    const left: string[] = [];
    for await (const meta of memory.list("")) if (!meta.key.startsWith("_delta_log/")) left.push(meta.key);
    assert.deepEqual(left, ["live-rooted.parquet", "live-s3a.parquet", "live.parquet"]);
  });
});
