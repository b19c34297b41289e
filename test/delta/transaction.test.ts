import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type Action,
  type AddFile,
  AppendOnlyTableError,
  CommitConflictError,
  type CommitInfo,
  commit,
  commitKey,
  field,
  fileKey,
  type ParquetPort,
  parseActions,
  type ReadScope,
  Snapshot,
  serializeSchema,
  struct,
  UnsupportedFeatureError,
} from "../../src/delta/index.ts";
import {
  MemoryStore,
  ObjectExistsError,
  type ObjectStore,
  type PutOptions,
  StorageError,
} from "../../src/storage/index.ts";
import { rejectsWith } from "../helpers/delta-fixtures.ts";

/** Commits here never checkpoint or read Parquet. */
const noParquet: ParquetPort = {
  readRows: () => Promise.reject(new Error("no Parquet in this test")),
  writeRows: () => Promise.reject(new Error("no Parquet in this test")),
  readDataFile: () => Promise.reject(new Error("no Parquet in this test")),
};
const options = { checkpoint: false, sleep: async () => {}, random: () => 0 };
const add = (path: string, part = "a"): AddFile => ({
  path,
  partitionValues: { p: part },
  size: 1,
  modificationTime: 0,
  dataChange: true,
});

/** `store` with its `put` replaced, to inject what a real store does under races and retries. */
function withPut(store: ObjectStore, put: ObjectStore["put"]): ObjectStore {
  return {
    location: store.location,
    get: (key) => store.get(key),
    getRange: (key, start, end) => store.getRange(key, start, end),
    head: (key) => store.head(key),
    list: (prefix, opts) => store.list(prefix, opts),
    put,
    putStream: (key, body, opts) => store.putStream(key, body, opts),
    getStream: (key) => store.getStream(key),
    delete: (key) => store.delete(key),
    localPath: (key) => store.localPath(key),
  };
}

async function newTable(
  configuration: Record<string, string> = {},
): Promise<{ store: MemoryStore; read: Snapshot }> {
  const store = new MemoryStore({ name: "txn-test" });
  const schema = serializeSchema(struct(field("id", "long"), field("p", "string")));
  await commit(
    store,
    noParquet,
    undefined,
    {
      operation: "CREATE TABLE",
      operationParameters: {},
      actions: [
        { protocol: { minReaderVersion: 1, minWriterVersion: 2 } },
        {
          metaData: {
            id: "t",
            format: { provider: "parquet", options: {} },
            schemaString: schema,
            partitionColumns: ["p"],
            configuration,
          },
        },
        { add: add("p=a/f0.parquet") },
      ],
      readScope: { kind: "nothing" },
    },
    options,
  );
  return { store, read: await Snapshot.load(store, noParquet) };
}

const append = (path: string, part = "a") => ({
  operation: "WRITE",
  operationParameters: { mode: "Append" },
  actions: [{ add: add(path, part) }] as Action[],
  readScope: { kind: "nothing" } as const,
});

describe("commit", () => {
  it("retries a lost blind append as the next version after every concurrent commit", async () => {
    const { store, read } = await newTable();
    await commit(store, noParquet, read, append("p=a/f1.parquet"), options);
    await commit(store, noParquet, read, append("p=a/f2.parquet"), options);
    const result = await commit(store, noParquet, read, append("p=a/f3.parquet"), options);
    assert.equal(result.version, 3);
    assert.equal(result.attempts, 2, "one lost race, then one catch-up to the newest version");
    const latest = await Snapshot.load(store, noParquet);
    assert.deepEqual(
      latest.files().map((f) => f.path),
      ["p=a/f0.parquet", "p=a/f1.parquet", "p=a/f2.parquet", "p=a/f3.parquet"],
    );
  });

  it("refuses an overwrite when a concurrent commit added data it read", async () => {
    const { store, read } = await newTable();
    await commit(store, noParquet, read, append("p=a/f1.parquet"), options);
    const overwrite = {
      operation: "WRITE",
      operationParameters: { mode: "Overwrite" },
      actions: [
        { remove: { path: "p=a/f0.parquet", dataChange: true } },
        { add: add("p=a/f9.parquet") },
      ] as Action[],
      readScope: {
        kind: "partitions" as const,
        matches: (v: Readonly<Record<string, string | null>>) => v.p === "a",
      },
    };
    await assert.rejects(commit(store, noParquet, read, overwrite, options), {
      name: "CommitConflictError",
      message:
        "Commit to memory://txn-test conflicts with concurrent version 1: it added p=a/f1.parquet to data this transaction read",
    });
  });

  it("lets an overwrite of one partition pass a concurrent append to another", async () => {
    const { store, read } = await newTable();
    await commit(store, noParquet, read, append("p=b/f1.parquet", "b"), options);
    const result = await commit(
      store,
      noParquet,
      read,
      {
        operation: "WRITE",
        operationParameters: {},
        actions: [{ remove: { path: "p=a/f0.parquet", dataChange: true } }],
        readScope: { kind: "partitions", matches: (v) => v.p === "a" },
      },
      options,
    );
    assert.equal(result.version, 2);
  });

  it("refuses to commit over a concurrent metadata change or a second removal of the same file", async () => {
    const { store, read } = await newTable();
    await commit(
      store,
      noParquet,
      read,
      {
        operation: "SET TBLPROPERTIES",
        operationParameters: {},
        actions: [{ metaData: { ...read.metadata, configuration: { k: "v" } } }],
        readScope: { kind: "nothing" },
      },
      options,
    );
    await assert.rejects(commit(store, noParquet, read, append("p=a/f1.parquet"), options), {
      message: /it changed the table's metadata/,
    });
    const second = await Snapshot.load(store, noParquet);
    const remove = {
      operation: "DELETE",
      operationParameters: {},
      actions: [{ remove: { path: "p=a/f0.parquet", dataChange: true } }] as Action[],
      readScope: { kind: "files" as const, keys: new Set<string>() },
    };
    await commit(store, noParquet, second, remove, options);
    await assert.rejects(commit(store, noParquet, second, remove, options), CommitConflictError);
  });

  it("refuses a concurrent commit with the same txn appId", async () => {
    const { store, read } = await newTable();
    const withTxn = (path: string) => ({
      ...append(path),
      actions: [{ add: add(path) }, { txn: { appId: "job", version: 1 } }] as Action[],
    });
    await commit(store, noParquet, read, withTxn("p=a/f1.parquet"), options);
    await assert.rejects(commit(store, noParquet, read, withTxn("p=a/f2.parquet"), options), {
      message: /it committed for the same application id "job"/,
    });
  });

  it("treats its own earlier put as success when a retried put reports the key exists", async () => {
    const { store, read } = await newTable();
    // The first put lands, but the caller sees "already exists", as after a lost response and an SDK retry.
    const flaky = withPut(store, async (key: string, body: Uint8Array, opts?: PutOptions) => {
      await store.put(key, body, opts);
      throw new ObjectExistsError(store.location, key);
    });
    const result = await commit(flaky, noParquet, read, append("p=a/f1.parquet"), options);
    assert.equal(result.version, 1);
    assert.equal(
      await store.head(commitKey(2)).catch(() => "absent"),
      "absent",
      "nothing was committed twice",
    );
    const actions = parseActions(new TextDecoder().decode(await store.get(commitKey(1))));
    assert.equal(actions.filter((a) => "add" in a).length, 1);
  });

  it("keeps a commit whose put failed after writing it, and reports a put that wrote nothing", async () => {
    const { store, read } = await newTable();
    const lostReply = withPut(store, async (key: string, body: Uint8Array, opts?: PutOptions) => {
      await store.put(key, body, opts);
      throw new StorageError("S3 PutObject failed: TimeoutError (the reply never came)");
    });
    const result = await commit(lostReply, noParquet, read, append("p=a/f1.parquet"), options);
    assert.equal(result.version, 1);
    const broken = withPut(store, async () => {
      throw new StorageError("S3 PutObject failed: ECONNREFUSED");
    });
    await assert.rejects(
      commit(broken, noParquet, await Snapshot.load(store, noParquet), append("p=a/f2.parquet"), options),
      { message: "S3 PutObject failed: ECONNREFUSED" },
    );
    assert.equal(await store.head(commitKey(2)).catch(() => "absent"), "absent");
  });

  it("commits even when writing the checkpoint fails", async () => {
    const { store, read } = await newTable({ "delta.checkpointInterval": "1" });
    const failingCheckpoints: ParquetPort = {
      ...noParquet,
      writeRows: () => Promise.reject(new StorageError("disk full")),
    };
    const result = await commit(store, failingCheckpoints, read, append("p=a/f1.parquet"), {
      ...options,
      checkpoint: true,
    });
    assert.deepEqual([result.version, result.checkpointed], [1, false]);
    assert.equal((await Snapshot.load(store, noParquet)).version, 1);
  });

  it("builds the next snapshot in memory exactly as loading it from the log does", async () => {
    const { store, read } = await newTable();
    const request = {
      operation: "WRITE",
      operationParameters: {},
      actions: [
        { remove: { path: "p=a/f0.parquet", dataChange: true, deletionTimestamp: 5 } },
        { add: add("p=b/f1.parquet", "b") },
        { txn: { appId: "job", version: 3 } },
      ] as Action[],
      readScope: { kind: "table" as const },
    };
    await commit(store, noParquet, read, request, options);
    const loaded = await Snapshot.load(store, noParquet);
    const built = read.withCommit(request.actions, loaded.timestamp);
    assert.equal(built.version, loaded.version);
    assert.deepEqual(built.files(), loaded.files());
    assert.deepEqual(built.tombstones(), loaded.tombstones());
    assert.deepEqual(built.txns(), loaded.txns());
    assert.deepEqual([built.protocol, built.metadata], [loaded.protocol, loaded.metadata]);
  });

  it("gives up with a clear error after the attempt limit", async () => {
    const { store, read } = await newTable();
    let version = 1;
    const busy = withPut(store, async (key: string) => {
      // Another writer always commits the version this one tries.
      await store.put(commitKey(version++), new TextEncoder().encode('{"commitInfo":{}}\n'));
      throw new ObjectExistsError(store.location, key);
    });
    await assert.rejects(
      commit(busy, noParquet, read, append("p=a/f1.parquet"), { ...options, maxAttempts: 3 }),
      {
        name: "CommitRetriesExhaustedError",
        message:
          "Gave up committing to memory://txn-test after 3 attempts: other writers kept committing first; try again later",
      },
    );
  });
});

/** The commitInfo of commit `version`. */
async function commitInfoOf(store: ObjectStore, version: number): Promise<CommitInfo> {
  const actions = parseActions(new TextDecoder().decode(await store.get(commitKey(version))));
  const info = actions.find((a) => "commitInfo" in a);
  assert.ok(info && "commitInfo" in info, `commit ${version} has a commitInfo`);
  return info.commitInfo;
}

describe("commitInfo.isolationLevel", () => {
  it("records Serializable when the commit read the table, its partitions or nothing", async () => {
    const { store } = await newTable();
    const scopes: ReadScope[] = [
      { kind: "nothing" },
      { kind: "partitions", matches: (values) => values.p === "a" },
      { kind: "table" },
    ];
    const levels: unknown[] = [];
    for (const [i, readScope] of scopes.entries()) {
      const read = await Snapshot.load(store, noParquet);
      const { version } = await commit(
        store,
        noParquet,
        read,
        { ...append(`p=a/f${i + 1}.parquet`), readScope },
        options,
      );
      levels.push((await commitInfoOf(store, version)).isolationLevel);
    }
    assert.deepEqual(levels, ["Serializable", "Serializable", "Serializable"]);
  });

  it("records SnapshotIsolation for a compaction that read exactly its files (dataChange=false)", async () => {
    const { store, read } = await newTable();
    await commit(
      store,
      noParquet,
      read,
      {
        operation: "OPTIMIZE",
        operationParameters: {},
        actions: [
          { remove: { path: "p=a/f0.parquet", dataChange: false } },
          { add: { ...add("p=a/f0c.parquet"), dataChange: false } },
        ],
        readScope: { kind: "files", keys: new Set(read.files().map(fileKey)) },
      },
      options,
    );
    assert.equal((await commitInfoOf(store, 1)).isolationLevel, "SnapshotIsolation");
  });

  it("is Serializable indeed: a concurrent blind append into what the commit read conflicts", async () => {
    const { store, read } = await newTable();
    await commit(store, noParquet, read, append("p=a/f1.parquet"), options);
    assert.equal((await commitInfoOf(store, 1)).isBlindAppend, true);
    await rejectsWith(
      commit(store, noParquet, read, { ...append("p=a/f2.parquet"), readScope: { kind: "table" } }, options),
      CommitConflictError,
      "Commit to memory://txn-test conflicts with concurrent version 1: it added p=a/f1.parquet to data this transaction read",
    );
  });
});

describe("commit checks the writer rules", () => {
  it("refuses to remove data (dataChange=true) from an append-only table and writes no commit", async () => {
    const { store, read } = await newTable({ "delta.appendOnly": "true" });
    const error = await rejectsWith(
      commit(
        store,
        noParquet,
        read,
        {
          operation: "MERGE",
          operationParameters: {},
          actions: [{ remove: { path: "p=a/f0.parquet", dataChange: true } }],
          readScope: { kind: "table" },
        },
        options,
      ),
      AppendOnlyTableError,
      "Cannot commit MERGE to the Delta table at memory://txn-test: it is append-only (delta.appendOnly=true), so data can be added but not removed; set delta.appendOnly=false first if removing data is intended",
    );
    assert.deepEqual([error.location, error.property], ["memory://txn-test", "delta.appendOnly"]);
    assert.equal((await Snapshot.load(store, noParquet)).version, 0);
  });

  it("lets an append-only table take blind appends and rewrites that keep the data", async () => {
    const { store, read } = await newTable({ "delta.appendOnly": "true" });
    await commit(store, noParquet, read, append("p=a/f1.parquet"), options);
    const rewrite = {
      operation: "OPTIMIZE",
      operationParameters: {},
      actions: [
        { remove: { path: "p=a/f0.parquet", dataChange: false } },
        { add: { ...add("p=a/f0c.parquet"), dataChange: false } },
      ] as Action[],
      readScope: { kind: "files" as const, keys: new Set(read.files().map(fileKey)) },
    };
    const result = await commit(store, noParquet, await Snapshot.load(store, noParquet), rewrite, options);
    assert.equal(result.version, 2);
  });

  it("refuses a table that needs a writer feature we do not implement and writes no commit", async () => {
    const { store } = await newTable();
    await store.put(
      commitKey(1),
      new TextEncoder().encode(
        `${JSON.stringify({ protocol: { minReaderVersion: 1, minWriterVersion: 7, writerFeatures: ["fancyWriterFeature"] } })}\n`,
      ),
    );
    const read = await Snapshot.load(store, noParquet);
    await rejectsWith(
      commit(store, noParquet, read, append("p=a/f1.parquet"), options),
      UnsupportedFeatureError,
      'Cannot write the Delta table at memory://txn-test: it requires the unsupported writer feature "fancyWriterFeature"',
    );
    assert.equal((await Snapshot.load(store, noParquet)).version, 1);
  });
});
