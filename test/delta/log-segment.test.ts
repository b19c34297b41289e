import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CorruptLogError,
  commitKey,
  padVersion,
  TableNotFoundError,
  VersionNotAvailableError,
} from "../../src/delta/index.ts";
import {
  buildLogSegment,
  type Checkpoint,
  type CommitFile,
  type LogListing,
  type LogSegment,
  listLog,
  segmentFromListing,
} from "../../src/delta/log-segment.ts";
import { type ListOptions, MemoryStore, type ObjectMeta, type ObjectStore } from "../../src/storage/index.ts";
import { rejectsWith } from "../helpers/delta-fixtures.ts";

const LOCATION = "memory://segment";

const commit = (version: number): CommitFile => ({
  version,
  key: commitKey(version),
  lastModified: 1_000 + version,
});
const classic = (version: number): Checkpoint => ({
  version,
  type: "classic",
  keys: [`_delta_log/${padVersion(version)}.checkpoint.parquet`],
});
const multipart = (version: number, parts: number): Checkpoint => ({
  version,
  type: "multipart",
  keys: Array.from(
    { length: parts },
    (_, i) =>
      `_delta_log/${padVersion(version)}.checkpoint.${String(i + 1).padStart(10, "0")}.${String(parts).padStart(10, "0")}.parquet`,
  ),
});
const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);
const listing = (commits: readonly number[], checkpoints: readonly Checkpoint[] = []): LogListing => ({
  commits: new Map(commits.map((v) => [v, commit(v)])),
  checkpoints,
});
/** The segment as versions: which checkpoint, which commits. */
const shape = (segment: LogSegment) => ({
  version: segment.version,
  checkpoint: segment.checkpoint?.version,
  commits: segment.commits.map((c) => c.version),
});

describe("segmentFromListing", () => {
  it("replays every commit from version 0 when there is no checkpoint", () => {
    const segment = segmentFromListing(LOCATION, listing(range(0, 3)), undefined);
    assert.deepEqual(shape(segment), { version: 3, checkpoint: undefined, commits: [0, 1, 2, 3] });
    assert.deepEqual(
      segment.commits.map((c) => c.key),
      range(0, 3).map(commitKey),
    );
  });

  it("starts from the newest checkpoint at or below the requested version", () => {
    const log = listing(range(0, 25), [classic(10), classic(20)]);
    assert.deepEqual(shape(segmentFromListing(LOCATION, log, undefined)), {
      version: 25,
      checkpoint: 20,
      commits: [21, 22, 23, 24, 25],
    });
    assert.deepEqual(shape(segmentFromListing(LOCATION, log, 15)), {
      version: 15,
      checkpoint: 10,
      commits: [11, 12, 13, 14, 15],
    });
    assert.deepEqual(shape(segmentFromListing(LOCATION, log, 20)), {
      version: 20,
      checkpoint: 20,
      commits: [],
    });
    assert.deepEqual(shape(segmentFromListing(LOCATION, log, 9)), {
      version: 9,
      checkpoint: undefined,
      commits: range(0, 9),
    });
  });

  it("returns the checkpoint's keys in part order for a multi-part checkpoint", () => {
    const segment = segmentFromListing(LOCATION, listing(range(0, 12), [multipart(10, 3)]), undefined);
    assert.deepEqual(segment.checkpoint, multipart(10, 3));
    assert.deepEqual(shape(segment).commits, [11, 12]);
  });

  it("prefers a single-file checkpoint over a multi-part one of the same version, in any listing order", () => {
    for (const checkpoints of [
      [classic(10), multipart(10, 2)],
      [multipart(10, 2), classic(10)],
    ]) {
      const segment = segmentFromListing(LOCATION, listing(range(0, 11), checkpoints), undefined);
      assert.deepEqual(segment.checkpoint, classic(10));
    }
  });

  it("a newer multi-part checkpoint still wins over an older single-file one", () => {
    const segment = segmentFromListing(LOCATION, listing(range(0, 21), [classic(10), multipart(20, 2)]), 21);
    assert.deepEqual(segment.checkpoint, multipart(20, 2));
  });

  it("leaves out the checkpoints it is told to skip", () => {
    const log = listing(range(0, 25), [classic(10), classic(20)]);
    assert.deepEqual(shape(segmentFromListing(LOCATION, log, undefined, new Set([20]))), {
      version: 25,
      checkpoint: 10,
      commits: range(11, 25),
    });
    assert.deepEqual(shape(segmentFromListing(LOCATION, log, undefined, new Set([10, 20]))), {
      version: 25,
      checkpoint: undefined,
      commits: range(0, 25),
    });
  });

  it("refuses a gap in the commits it has to replay, naming the missing commit", async () => {
    const error = await rejectsWith(
      async () => segmentFromListing(LOCATION, listing([0, 1, 3]), undefined),
      CorruptLogError,
      `Corrupt Delta log at ${LOCATION}/_delta_log/00000000000000000002.json: versions are not contiguous: commit 2 is missing between 0 and 3`,
    );
    assert.equal(error.file, commitKey(2));
    assert.deepEqual(shape(segmentFromListing(LOCATION, listing([0, 1, 3]), 1)), {
      version: 1,
      checkpoint: undefined,
      commits: [0, 1],
    });
  });

  it("refuses a gap between the checkpoint and the version", async () => {
    const log = listing([...range(0, 11), 13, 14], [classic(10)]);
    await rejectsWith(
      async () => segmentFromListing(LOCATION, log, undefined),
      CorruptLogError,
      `Corrupt Delta log at ${LOCATION}/_delta_log/00000000000000000012.json: versions are not contiguous: commit 12 is missing between 11 and 14`,
    );
    assert.deepEqual(shape(segmentFromListing(LOCATION, log, 11)), {
      version: 11,
      checkpoint: 10,
      commits: [11],
    });
  });

  it("ignores a gap hidden behind the checkpoint, but not for versions that need it", async () => {
    const log = listing([0, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11], [classic(10)]);
    assert.deepEqual(shape(segmentFromListing(LOCATION, log, undefined)), {
      version: 11,
      checkpoint: 10,
      commits: [11],
    });
    await rejectsWith(
      async () => segmentFromListing(LOCATION, log, 7),
      CorruptLogError,
      `Corrupt Delta log at ${LOCATION}/_delta_log/00000000000000000003.json: versions are not contiguous: commit 3 is missing between 0 and 7`,
    );
  });

  it("reads the versions that remain after cleanup and refuses the ones cleaned up", async () => {
    const log = listing(range(10, 15), [classic(10)]);
    assert.deepEqual(shape(segmentFromListing(LOCATION, log, 12)), {
      version: 12,
      checkpoint: 10,
      commits: [11, 12],
    });
    const error = await rejectsWith(
      async () => segmentFromListing(LOCATION, log, 5),
      VersionNotAvailableError,
      `Cannot load version 5 of the Delta table at ${LOCATION}: the log before version 10 was cleaned up and no checkpoint at or below 5 remains`,
    );
    assert.equal(error.requested, "version 5");
    await rejectsWith(
      async () => segmentFromListing(LOCATION, log, undefined, new Set([10])),
      VersionNotAvailableError,
      `Cannot load version 15 of the Delta table at ${LOCATION}: the log before version 10 was cleaned up and no checkpoint at or below 15 remains`,
    );
  });

  it("reconstructs a log that holds only a checkpoint, and names it as the earliest version", async () => {
    const log = listing([], [classic(10)]);
    assert.deepEqual(shape(segmentFromListing(LOCATION, log, undefined)), {
      version: 10,
      checkpoint: 10,
      commits: [],
    });
    await rejectsWith(
      async () => segmentFromListing(LOCATION, log, 4),
      VersionNotAvailableError,
      `Cannot load version 4 of the Delta table at ${LOCATION}: the log before version 10 was cleaned up and no checkpoint at or below 4 remains`,
    );
  });

  it("refuses a version beyond the latest, a negative one and a fractional one", async () => {
    const log = listing(range(0, 2));
    await rejectsWith(
      async () => segmentFromListing(LOCATION, log, 3),
      VersionNotAvailableError,
      `Cannot load version 3 of the Delta table at ${LOCATION}: the latest version is 2`,
    );
    await rejectsWith(
      async () => segmentFromListing(LOCATION, log, -1),
      VersionNotAvailableError,
      `Cannot load version -1 of the Delta table at ${LOCATION}: a version is a whole number >= 0`,
    );
    await rejectsWith(
      async () => segmentFromListing(LOCATION, log, 1.5),
      VersionNotAvailableError,
      `Cannot load version 1.5 of the Delta table at ${LOCATION}: a version is a whole number >= 0`,
    );
  });

  it("finds no table in a log with neither commits nor checkpoints", async () => {
    await rejectsWith(
      async () => segmentFromListing(LOCATION, listing([]), undefined),
      TableNotFoundError,
      `No Delta table at ${LOCATION}: there is no _delta_log/ with commits`,
    );
  });
});

describe("listLog", () => {
  it("keeps complete checkpoints, drops incomplete multi-part ones and ignores unknown files", async () => {
    const store = await storeWith([
      ...range(0, 6).map(commitKey),
      ...multipart(2, 2).keys,
      ...multipart(4, 3).keys.filter((_, i) => i !== 1),
      classic(4).keys[0] ?? "",
      ...multipart(6, 2).keys.slice(0, 1),
      "_delta_log/_last_checkpoint",
      "_delta_log/.00000000000000000000.json.crc",
      "_delta_log/00000000000000000001.crc",
      "_delta_log/00000000000000000003.json.tmp",
      "_delta_log/_sidecars/00000000000000000004.checkpoint.parquet",
      "_delta_log/00000000000000000000.00000000000000000003.compacted.json",
      "part-00000.parquet",
    ]);
    const log = await listLog(store);
    assert.deepEqual([...log.commits.keys()], range(0, 6));
    assert.deepEqual(log.checkpoints, [multipart(2, 2), classic(4)]);
  });

  it("lists only the files of the given version and later", async () => {
    const store = await storeWith([...range(0, 12).map(commitKey), ...classic(5).keys, ...classic(10).keys]);
    const log = await listLog(store, 10);
    assert.deepEqual([...log.commits.keys()], [10, 11, 12]);
    assert.deepEqual(log.checkpoints, [classic(10)]);
  });
});

describe("buildLogSegment and the _last_checkpoint hint", () => {
  const files = [...range(0, 25).map(commitKey), ...classic(10).keys, ...classic(20).keys];

  it("lists from the hinted checkpoint only", async () => {
    const store = await storeWith(files, '{"version":20,"size":3}');
    const recording = recordLists(store);
    assert.deepEqual(shape(await buildLogSegment(recording.store)), {
      version: 25,
      checkpoint: 20,
      commits: range(21, 25),
    });
    assert.deepEqual(recording.lists, [`_delta_log/${padVersion(20)}`]);
  });

  for (const [hint, text] of [
    ["is not JSON", '{"version":20,'],
    ["is empty", ""],
    ["is JSON but not an object", "[20]"],
    ["has no whole version", '{"version":"20"}'],
    ["points at a version without a checkpoint", '{"version":15}'],
    ["points past the latest version", '{"version":99}'],
    ["is stale", '{"version":10}'],
  ] as const) {
    it(`finds the newest checkpoint when _last_checkpoint ${hint}`, async () => {
      const store = await storeWith(files, text);
      assert.deepEqual(shape(await buildLogSegment(store)), {
        version: 25,
        checkpoint: 20,
        commits: range(21, 25),
      });
      assert.deepEqual(shape(await buildLogSegment(store, { version: 17 })), {
        version: 17,
        checkpoint: 10,
        commits: range(11, 17),
      });
    });
  }

  it("lists the whole log when the hinted checkpoint is newer than the requested version", async () => {
    const store = await storeWith(files, '{"version":20}');
    const recording = recordLists(store);
    assert.deepEqual(shape(await buildLogSegment(recording.store, { version: 12 })), {
      version: 12,
      checkpoint: 10,
      commits: [11, 12],
    });
    assert.deepEqual(recording.lists, [undefined]);
  });

  it("ignores the hint when checkpoints are skipped", async () => {
    const store = await storeWith(files, '{"version":20}');
    assert.deepEqual(shape(await buildLogSegment(store, { skipCheckpoints: new Set([20]) })), {
      version: 25,
      checkpoint: 10,
      commits: range(11, 25),
    });
  });
});

/** A MemoryStore holding empty objects at `keys`, and `_last_checkpoint` when given. */
async function storeWith(keys: readonly string[], lastCheckpoint?: string): Promise<MemoryStore> {
  const store = new MemoryStore({ name: "segment" });
  for (const key of keys) await store.put(key, new Uint8Array());
  if (lastCheckpoint !== undefined) {
    await store.put("_delta_log/_last_checkpoint", new TextEncoder().encode(lastCheckpoint));
  }
  return store;
}

/** The store with its `list` calls recorded (the `startAfter` of each), to check how much is listed. */
function recordLists(store: ObjectStore): { store: ObjectStore; lists: Array<string | undefined> } {
  const lists: Array<string | undefined> = [];
  const list = (prefix: string, options: ListOptions = {}): AsyncIterable<ObjectMeta> => {
    lists.push(options.startAfter);
    return store.list(prefix, options);
  };
  const recording = new Proxy(store, {
    get(target, property) {
      if (property === "list") return list;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { store: recording, lists };
}
