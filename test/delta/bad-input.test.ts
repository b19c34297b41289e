import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  type Action,
  CorruptLogError,
  commitKey,
  MissingDataFileError,
  padVersion,
  type Row,
  Snapshot,
  scanRows,
  TableNotFoundError,
  UnsupportedFeatureError,
  VersionNotAvailableError,
  writeCheckpoint,
} from "../../src/delta/index.ts";
import { DeltaContext, writeTable } from "../../src/engine/index.ts";
import { describeTable, openTable } from "../../src/lake/index.ts";
import { LocalStore, MemoryStore, type ObjectStore } from "../../src/storage/index.ts";
import { corpusTable } from "../helpers/corpus.ts";
import {
  addAction,
  copyTable,
  ID_SCHEMA,
  jsonParseMessage,
  metadataAction,
  protocolAction,
  rejectsWith,
  writeCommits,
} from "../helpers/delta-fixtures.ts";

const LAST_CHECKPOINT = "_delta_log/_last_checkpoint";
const CHECKPOINT_10 = `_delta_log/${padVersion(10)}.checkpoint.parquet`;
const encode = (text: string) => new TextEncoder().encode(text);
const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

// The reader meets damaged, hand-made and unsupported logs: each case ends in a Delta error that says
// what and where, or in a fallback that gives exactly the rows of the undamaged table.
describe("reading bad input", () => {
  let ctx: DeltaContext;
  let root: string;
  /** Versions 0..11, version v appending the one row id = v; a checkpoint at 10 and _last_checkpoint. */
  let base: string;
  let copies = 0;

  before(async () => {
    ctx = await DeltaContext.open({ threads: 2 });
    root = await mkdtemp(join(tmpdir(), "medallion-bad-input-"));
    base = join(root, "base");
    const store = new LocalStore(base);
    for (const id of range(0, 11)) {
      await writeTable(ctx, store, { rows: [{ id: BigInt(id) }], schema: ID_SCHEMA });
    }
  });
  after(async () => {
    ctx.close();
    await rm(root, { recursive: true, force: true });
  });

  /** A writable copy of a table folder (the base table unless given), as a store. */
  async function copyOf(source: string = base): Promise<{ store: LocalStore; dir: string }> {
    const dir = await copyTable(source, join(root, `copy-${++copies}`));
    return { store: new LocalStore(dir), dir };
  }

  /** Every row of the snapshot. */
  async function rowsOf(snapshot: Snapshot, store: ObjectStore): Promise<Row[]> {
    const rows: Row[] = [];
    for await (const row of scanRows(snapshot, store, ctx.parquet)) rows.push(row);
    return rows;
  }

  /** The ids of the table's rows at `version` (latest when omitted), ascending. */
  async function ids(store: ObjectStore, version?: number): Promise<number[]> {
    const snapshot = await ctx.snapshot(store, version === undefined ? {} : { version });
    return (await rowsOf(snapshot, store)).map((row) => Number(row.id)).sort((a, b) => a - b);
  }

  async function deleteCommits(store: ObjectStore, versions: readonly number[]): Promise<void> {
    for (const version of versions) await store.delete(commitKey(version));
  }

  it("builds its base table with a checkpoint at version 10 that the latest snapshot starts from", async () => {
    const { store } = await copyOf();
    const snapshot = await ctx.snapshot(store);
    assert.equal(snapshot.version, 11);
    assert.equal(snapshot.segment.checkpoint?.version, 10);
    assert.deepEqual(await ids(store), range(0, 11));
  });

  describe("a corrupt commit file", () => {
    it("refuses a commit cut off mid-line, naming the file and the line; older versions still load", async () => {
      const { store } = await copyOf();
      const text = new TextDecoder().decode(await store.get(commitKey(11)));
      const [first = "", second = ""] = text.split("\n");
      const partial = second.slice(0, Math.floor(second.length / 2));
      await store.put(commitKey(11), encode(`${first}\n${partial}`));
      const error = await rejectsWith(
        ctx.snapshot(store),
        CorruptLogError,
        `Corrupt Delta log at ${store.location}/_delta_log/00000000000000000011.json: line 2 is not valid JSON (${jsonParseMessage(partial)})`,
      );
      assert.equal(error.file, commitKey(11));
      assert.deepEqual(await ids(store, 10), range(0, 10));
    });

    const add = addAction("part-1.parquet");
    for (const [problem, line, reason] of [
      ["is not JSON", "this is not json", `is not valid JSON (${jsonParseMessage("this is not json")})`],
      ["is JSON but not an object", "[1,2,3]", "is not a JSON object"],
      ["is JSON null", "null", "is not a JSON object"],
      [
        "is an add without a path",
        '{"add":{"partitionValues":{},"size":1,"modificationTime":0,"dataChange":true}}',
        '(add) has no string field "path"',
      ],
      ["is an action that is not an object", '{"add":"part-2.parquet"}', ': "add" is not an object'],
      [
        "holds two actions",
        '{"add":{"path":"a","size":1},"remove":{"path":"b"}}',
        "holds more than one action (add, remove)",
      ],
    ] as const) {
      it(`refuses a commit whose line ${problem}, naming the file and the line`, async () => {
        const store = new MemoryStore({ name: "corrupt-line" });
        await writeCommits(store, [
          [protocolAction(), metadataAction()],
          [add, line],
        ]);
        const separator = reason.startsWith(":") ? "" : " ";
        const error = await rejectsWith(
          ctx.snapshot(store),
          CorruptLogError,
          `Corrupt Delta log at memory://corrupt-line/_delta_log/00000000000000000001.json: line 2${separator}${reason}`,
        );
        assert.equal(error.file, commitKey(1));
        assert.equal((await ctx.snapshot(store, { version: 0 })).version, 0);
      });
    }
  });

  describe("a missing data file", () => {
    it("loads and describes the snapshot, but reading its rows names the file and the version", async () => {
      const { store, dir } = await copyOf();
      const before = new Set((await ctx.snapshot(store, { version: 10 })).files().map((f) => f.path));
      const snapshot = await ctx.snapshot(store);
      const [gone] = snapshot.files().filter((f) => !before.has(f.path));
      assert.ok(gone, "version 11 added a file");
      await rm(join(dir, gone.path));

      const reloaded = await ctx.snapshot(store);
      const description = describeTable(reloaded);
      assert.equal(description.version, 11);
      assert.equal(description.numFiles, 12);
      assert.equal(description.numRows, 12);
      const error = await rejectsWith(
        rowsOf(reloaded, store),
        MissingDataFileError,
        `Data file ${gone.path} of version 11 is missing from ${store.location} (was it vacuumed?); this version cannot be read`,
      );
      assert.equal(error.path, gone.path);
      assert.equal(error.version, 11);
      assert.deepEqual(await ids(store, 10), range(0, 10));
    });

    it("names a missing deletion-vector file the same way", async () => {
      const { store, dir } = await copyOf(corpusTable("drs_table-with-dv-small"));
      const dv = "deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin";
      await rm(join(dir, dv));
      const snapshot = await ctx.snapshot(store);
      assert.equal(snapshot.version, 1);
      await rejectsWith(
        rowsOf(snapshot, store),
        MissingDataFileError,
        `Data file ${dv} of version 1 is missing from ${store.location} (was it vacuumed?); this version cannot be read`,
      );
      const v0 = await ctx.snapshot(store, { version: 0 });
      assert.deepEqual(
        (await rowsOf(v0, store)).map((row) => row.value),
        range(0, 9),
      );
    });
  });

  describe("a feature we do not support", () => {
    /** Commits a protocol change as version 12 of a base copy. */
    async function upgradedTo(protocol: Action): Promise<LocalStore> {
      const { store } = await copyOf();
      await store.put(commitKey(12), encode(`${JSON.stringify(protocol)}\n`));
      return store;
    }

    it("refuses to read a table that needs an unknown reader feature, naming it", async () => {
      const store = await upgradedTo(
        protocolAction({
          minReaderVersion: 3,
          minWriterVersion: 7,
          readerFeatures: ["fancyFeature"],
          writerFeatures: ["fancyFeature"],
        }),
      );
      const message = `Cannot read the Delta table at ${store.location}: it requires the unsupported reader feature "fancyFeature"`;
      const error = await rejectsWith(ctx.snapshot(store), UnsupportedFeatureError, message);
      assert.equal(error.feature, "fancyFeature");
      assert.equal(error.access, "read");
      await rejectsWith(openTable(ctx, store.location), UnsupportedFeatureError, message);
      assert.deepEqual(await ids(store, 11), range(0, 11));
    });

    it("refuses to read a table that needs reader version 99, naming the version", async () => {
      const store = await upgradedTo(protocolAction({ minReaderVersion: 99, minWriterVersion: 99 }));
      const error = await rejectsWith(
        ctx.snapshot(store),
        UnsupportedFeatureError,
        `Cannot read the Delta table at ${store.location}: it requires the unsupported reader feature "readerVersion 99"`,
      );
      assert.equal(error.feature, "readerVersion 99");
    });

    it("reads a table with an unknown writer feature, but refuses to write to it and writes nothing", async () => {
      const store = await upgradedTo(
        protocolAction({ minReaderVersion: 1, minWriterVersion: 7, writerFeatures: ["fancyWriterFeature"] }),
      );
      assert.deepEqual(await ids(store), range(0, 11));
      const keysBefore = await keysOf(store);
      const error = await rejectsWith(
        writeTable(ctx, store, { rows: [{ id: 12n }], schema: ID_SCHEMA }),
        UnsupportedFeatureError,
        `Cannot write the Delta table at ${store.location}: it requires the unsupported writer feature "fancyWriterFeature"`,
      );
      assert.equal(error.feature, "fancyWriterFeature");
      assert.equal(error.access, "write");
      assert.deepEqual(await keysOf(store), keysBefore);
    });
  });

  describe("a gap in the versions", () => {
    it("refuses the versions after the gap, naming the missing commit; versions before it load", async () => {
      const store = new MemoryStore({ name: "gap" });
      await writeCommits(store, [
        [protocolAction(), metadataAction()],
        [addAction("a.parquet")],
        undefined,
        [addAction("c.parquet")],
      ]);
      const message =
        "Corrupt Delta log at memory://gap/_delta_log/00000000000000000002.json: versions are not contiguous: commit 2 is missing between 0 and 3";
      const error = await rejectsWith(ctx.snapshot(store), CorruptLogError, message);
      assert.equal(error.file, commitKey(2));
      await rejectsWith(ctx.snapshot(store, { version: 3 }), CorruptLogError, message);
      const v1 = await ctx.snapshot(store, { version: 1 });
      assert.equal(v1.version, 1);
      assert.deepEqual(
        v1.files().map((f) => f.path),
        ["a.parquet"],
      );
    });
  });

  describe("a bad _last_checkpoint", () => {
    const cases: ReadonlyArray<readonly [string, (store: LocalStore) => Promise<unknown>]> = [
      ["is not JSON", (store) => store.put(LAST_CHECKPOINT, encode('{"version":10,"si'))],
      ["is empty", (store) => store.put(LAST_CHECKPOINT, new Uint8Array())],
      [
        "points at a version without a checkpoint",
        (store) => store.put(LAST_CHECKPOINT, encode('{"version":7}')),
      ],
      [
        "points past the latest version",
        (store) => store.put(LAST_CHECKPOINT, encode('{"version":40,"size":3}')),
      ],
      [
        "is stale, naming an older checkpoint than the newest",
        async (store) => {
          await writeCheckpoint(store, ctx.parquet, await ctx.snapshot(store, { version: 5 }));
          assert.deepEqual(JSON.parse(new TextDecoder().decode(await store.get(LAST_CHECKPOINT))), {
            version: 5,
            size: 8,
          });
        },
      ],
    ];
    for (const [problem, damage] of cases) {
      it(`reads the same rows from the newest checkpoint when _last_checkpoint ${problem}`, async () => {
        const { store: intact } = await copyOf();
        await intact.delete(LAST_CHECKPOINT);
        const expected = await ctx.snapshot(intact);

        const { store } = await copyOf();
        await damage(store);
        const snapshot = await ctx.snapshot(store);
        assert.equal(snapshot.version, 11);
        assert.equal(snapshot.segment.checkpoint?.version, 10);
        assert.deepEqual(snapshot.files(), expected.files());
        assert.deepEqual(await ids(store), range(0, 11));
        assert.deepEqual(await ids(intact), range(0, 11));
      });
    }
  });

  describe("a corrupt checkpoint", () => {
    const damages: ReadonlyArray<readonly [string, (bytes: Uint8Array) => Uint8Array]> = [
      ["garbage bytes", () => encode("this is not a Parquet file\n".repeat(20))],
      ["cut in half", (bytes) => bytes.slice(0, Math.floor(bytes.length / 2))],
    ];
    for (const [damage, corrupt] of damages) {
      it(`replays the JSON commits instead of a checkpoint that is ${damage}`, async () => {
        const { store } = await copyOf();
        await store.put(CHECKPOINT_10, corrupt(await store.get(CHECKPOINT_10)));
        const snapshot = await ctx.snapshot(store);
        assert.equal(snapshot.segment.checkpoint, undefined);
        assert.deepEqual(
          snapshot.segment.commits.map((c) => c.version),
          range(0, 11),
        );
        assert.deepEqual(await ids(store), range(0, 11));
        assert.deepEqual(await ids(store, 10), range(0, 10));
      });

      it(`names a checkpoint that is ${damage} when the commits before it are gone`, async () => {
        const { store } = await copyOf();
        await store.put(CHECKPOINT_10, corrupt(await store.get(CHECKPOINT_10)));
        await deleteCommits(store, range(0, 9));
        const reason = await ctx.parquet.readRows(store, CHECKPOINT_10).then(
          () => assert.fail("the damaged checkpoint should not be readable"),
          (error: Error) => error.message,
        );
        const error = await rejectsWith(
          ctx.snapshot(store),
          CorruptLogError,
          `Corrupt Delta log at ${store.location}/${CHECKPOINT_10}: the checkpoint cannot be read: ${reason}`,
        );
        assert.equal(error.file, CHECKPOINT_10);
      });
    }
  });

  describe("an incomplete multi-part checkpoint", () => {
    const table = corpusTable("golden_multi-part-checkpoint");
    const part = (n: number) => `_delta_log/${padVersion(1)}.checkpoint.000000000${n}.0000000002.parquet`;

    /** The ids of `expected/latest.jsonl`, sorted. */
    async function expectedIds(): Promise<string[]> {
      const text = await readFile(join(table, "..", "expected", "latest.jsonl"), "utf8");
      return text
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => String((JSON.parse(line) as { id: string }).id))
        .sort();
    }
    async function idsAsText(store: ObjectStore, snapshot: Snapshot): Promise<string[]> {
      return (await rowsOf(snapshot, store)).map((row) => String(row.id)).sort();
    }

    it("is ignored in favour of the commits, with the same rows as the complete one", async () => {
      const { store: intact } = await copyOf(table);
      const complete = await ctx.snapshot(intact);
      assert.deepEqual(complete.segment.checkpoint?.keys, [part(1), part(2)]);
      assert.deepEqual(await idsAsText(intact, complete), await expectedIds());

      for (const missing of [1, 2]) {
        const { store } = await copyOf(table);
        await store.delete(part(missing));
        const snapshot = await ctx.snapshot(store);
        assert.equal(snapshot.version, 1);
        assert.equal(snapshot.segment.checkpoint, undefined);
        assert.deepEqual(
          snapshot.segment.commits.map((c) => c.version),
          [0, 1],
        );
        assert.deepEqual(await idsAsText(store, snapshot), await expectedIds());
      }
    });
  });

  describe("a version that is not available", () => {
    it("refuses a version beyond the latest and a negative version", async () => {
      const { store } = await copyOf();
      await rejectsWith(
        ctx.snapshot(store, { version: 12 }),
        VersionNotAvailableError,
        `Cannot load version 12 of the Delta table at ${store.location}: the latest version is 11`,
      );
      const error = await rejectsWith(
        ctx.snapshot(store, { version: -1 }),
        VersionNotAvailableError,
        `Cannot load version -1 of the Delta table at ${store.location}: a version is a whole number >= 0`,
      );
      assert.equal(error.requested, "version -1");
    });

    it("refuses versions whose commits were cleaned up; the checkpoint's and later ones load", async () => {
      const { store } = await copyOf();
      await deleteCommits(store, range(0, 9));
      await rejectsWith(
        ctx.snapshot(store, { version: 5 }),
        VersionNotAvailableError,
        `Cannot load version 5 of the Delta table at ${store.location}: the log before version 10 was cleaned up and no checkpoint at or below 5 remains`,
      );
      const earliest = new Date((await store.head(commitKey(10))).lastModified).toISOString();
      await rejectsWith(
        ctx.snapshot(store, { timestamp: 0 }),
        VersionNotAvailableError,
        `Cannot load the version at 1970-01-01T00:00:00.000Z of the Delta table at ${store.location}: the earliest available commit is version 10 at ${earliest}`,
      );
      assert.deepEqual(await ids(store, 10), range(0, 10));
      assert.deepEqual(await ids(store), range(0, 11));
    });

    it("loads the checkpoint's version even when its own commit was cleaned up too", async () => {
      const { store } = await copyOf();
      await deleteCommits(store, range(0, 10));
      const checkpointTime = (await store.head(CHECKPOINT_10)).lastModified;
      const snapshot = await ctx.snapshot(store, { version: 10 });
      assert.equal(snapshot.timestamp, checkpointTime);
      assert.deepEqual(await ids(store, 10), range(0, 10));
      assert.deepEqual(await ids(store), range(0, 11));
    });

    it("still finds versions by timestamp when the checkpoint's own commit was cleaned up", async () => {
      const { store } = await copyOf();
      await deleteCommits(store, range(0, 10));
      const latestTime = (await store.head(commitKey(11))).lastModified;
      const snapshot = await ctx.snapshot(store, { timestamp: latestTime });
      assert.equal(snapshot.version, 11);
    });
  });

  describe("no table", () => {
    const message = (store: ObjectStore) =>
      `No Delta table at ${store.location}: there is no _delta_log/ with commits`;

    it("finds no table in a folder that does not exist", async () => {
      const store = new LocalStore(join(root, "does-not-exist"));
      const error = await rejectsWith(ctx.snapshot(store), TableNotFoundError, message(store));
      assert.equal(error.location, store.location);
    });

    it("finds no table in a folder of data files without a _delta_log", async () => {
      const dir = join(root, "no-log");
      await mkdir(dir);
      await writeFile(join(dir, "part-00000.parquet"), "data");
      const store = new LocalStore(dir);
      await rejectsWith(ctx.snapshot(store), TableNotFoundError, message(store));
    });

    it("finds no table in an empty _delta_log/", async () => {
      const dir = join(root, "empty-log");
      await mkdir(join(dir, "_delta_log"), { recursive: true });
      const store = new LocalStore(dir);
      await rejectsWith(ctx.snapshot(store), TableNotFoundError, message(store));
    });

    it("finds no table in a _delta_log/ holding only a _last_checkpoint and checksums", async () => {
      const store = new MemoryStore({ name: "hint-only" });
      await store.put(LAST_CHECKPOINT, encode('{"version":10,"size":4}'));
      await store.put("_delta_log/.00000000000000000000.json.crc", encode("crc"));
      await store.put("_delta_log/00000000000000000000.json.tmp", encode("{}"));
      await rejectsWith(ctx.snapshot(store), TableNotFoundError, message(store));
    });

    it("finds no table in an empty store", async () => {
      const store = new MemoryStore({ name: "empty" });
      await rejectsWith(Snapshot.load(store, ctx.parquet), TableNotFoundError, message(store));
    });
  });

  describe("a log without the actions it needs", () => {
    it("refuses a log with no protocol action", async () => {
      const store = new MemoryStore({ name: "no-protocol" });
      await writeCommits(store, [[metadataAction(), addAction("a.parquet")]]);
      await rejectsWith(
        ctx.snapshot(store),
        CorruptLogError,
        "Corrupt Delta log at memory://no-protocol/_delta_log/00000000000000000000.json: no protocol action in the log up to version 0",
      );
    });

    it("refuses a log with no metaData action, naming the version read", async () => {
      const store = new MemoryStore({ name: "no-metadata" });
      await writeCommits(store, [[protocolAction()], [addAction("a.parquet")]]);
      await rejectsWith(
        ctx.snapshot(store),
        CorruptLogError,
        "Corrupt Delta log at memory://no-metadata/_delta_log/00000000000000000001.json: no metaData action in the log up to version 1",
      );
    });

    it("refuses a metaData action whose schema is not a Delta schema", async () => {
      const store = new MemoryStore({ name: "bad-schema" });
      const schemaString = '{"type":"struct","fields":[{"name":"id","type":"longer"}]}';
      await writeCommits(store, [[protocolAction(), metadataAction(schemaString)]]);
      await rejectsWith(
        ctx.snapshot(store),
        CorruptLogError,
        'Corrupt Delta log at memory://bad-schema/_delta_log/00000000000000000000.json: invalid schemaString: schema.fields[0] (id): unknown type "longer"',
      );
    });
  });
});

/** Every key in the store, sorted. */
async function keysOf(store: ObjectStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const meta of store.list("")) keys.push(meta.key);
  return keys;
}
