import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import {
  crc32,
  DeletedRows,
  type DeletionVectorDescriptor,
  DeletionVectorError,
  deletionVectorFileKey,
  deletionVectorUniqueId,
  readDeletionVector,
} from "../../src/delta/deletion-vector.ts";
import { decodeZ85, encodeZ85 } from "../../src/delta/z85.ts";
import { LocalStore, MemoryStore, ObjectNotFoundError } from "../../src/storage/index.ts";

const CORPUS = fileURLToPath(new URL("../../../shared/delta-corpus/", import.meta.url));
/** The corpus tables that use deletion vectors; each has every JSON commit from version 0. */
const DV_TABLES = [
  "dat_deletion_vectors",
  "drs_table-with-dv-small",
  "golden_log-replay-dv-key-cases",
  "kd_basic-dv-with-checkpoint",
  "krs_cdf-table-with-dv",
  "krs_with-short-dv",
];

interface FileAction {
  readonly path: string;
  readonly deletionVector?: DeletionVectorDescriptor | null;
  readonly stats?: string;
}
interface Commit {
  readonly version: number;
  readonly adds: FileAction[];
  readonly removes: FileAction[];
}
interface VersionExpectation {
  readonly rows: number;
  readonly rows_file: string;
}

function commitsOf(table: string): Commit[] {
  const log = join(CORPUS, table, "table", "_delta_log");
  return readdirSync(log)
    .filter((name) => /^\d{20}\.json$/.test(name))
    .sort()
    .map((name) => {
      const actions = readFileSync(join(log, name), "utf8")
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => JSON.parse(line) as { add?: FileAction; remove?: FileAction });
      return {
        version: Number(name.slice(0, 20)),
        adds: actions.flatMap((action) => (action.add ? [action.add] : [])),
        removes: actions.flatMap((action) => (action.remove ? [action.remove] : [])),
      };
    });
}

function expectationsOf(table: string): Record<string, VersionExpectation> {
  const meta = JSON.parse(readFileSync(join(CORPUS, table, "meta.json"), "utf8")) as {
    expected: { per_version: Record<string, VersionExpectation> };
  };
  return meta.expected.per_version;
}

const fileKey = (action: FileAction) =>
  `${action.path}|${action.deletionVector ? deletionVectorUniqueId(action.deletionVector) : ""}`;

/** The live adds after each version, by the spec's (path, dvId) key. */
function* replay(table: string): Generator<{ version: number; live: FileAction[] }> {
  const live = new Map<string, FileAction>();
  for (const commit of commitsOf(table)) {
    for (const remove of commit.removes) live.delete(fileKey(remove));
    for (const add of commit.adds) live.set(fileKey(add), add);
    yield { version: commit.version, live: [...live.values()] };
  }
}

describe("readDeletionVector on the corpus", () => {
  it("decodes every deletion vector in the corpus logs to the cardinality the log states", async () => {
    const tablesWithVectors = new Set<string>();
    for (const table of readdirSync(CORPUS)) {
      if (!existsSync(join(CORPUS, table, "table", "_delta_log"))) continue;
      const store = new LocalStore(join(CORPUS, table, "table"));
      for (const commit of commitsOf(table)) {
        for (const action of [...commit.adds, ...commit.removes]) {
          if (!action.deletionVector) continue;
          const rows = await readDeletionVector(store, action.deletionVector);
          assert.equal(
            rows.size,
            action.deletionVector.cardinality,
            `${table} v${commit.version} ${action.path}`,
          );
          tablesWithVectors.add(table);
        }
      }
    }
    assert.deepEqual([...tablesWithVectors].sort(), DV_TABLES);
  });

  it("leaves exactly the expected number of rows at every version: physical rows minus deleted rows", async () => {
    for (const table of DV_TABLES) {
      const store = new LocalStore(join(CORPUS, table, "table"));
      const expected = expectationsOf(table);
      for (const { version, live } of replay(table)) {
        let rows = 0;
        for (const add of live) {
          const stats = JSON.parse(add.stats ?? "{}") as { numRecords?: number };
          assert.ok(stats.numRecords !== undefined, `${table} v${version} ${add.path} has numRecords`);
          const deleted = add.deletionVector
            ? await readDeletionVector(store, add.deletionVector)
            : DeletedRows.NONE;
          rows += stats.numRecords - deleted.size;
        }
        assert.equal(rows, expected[version]?.rows, `${table} v${version}`);
      }
    }
  });

  it("deletes exactly the rows whose values vanish, in tables whose row i holds value i", async () => {
    // One data file each, written in order: drs/krs value 0..9, golden id 0..49.
    const cases = [
      { table: "drs_table-with-dv-small", column: "value" },
      { table: "krs_cdf-table-with-dv", column: "value" },
      { table: "golden_log-replay-dv-key-cases", column: "id" },
    ];
    const checked: string[] = [];
    for (const { table, column } of cases) {
      const store = new LocalStore(join(CORPUS, table, "table"));
      const expected = expectationsOf(table);
      const valuesAt = (version: number) =>
        readFileSync(join(CORPUS, table, expected[version]?.rows_file ?? "missing"), "utf8")
          .split("\n")
          .filter((line) => line !== "")
          .map((line) => Number((JSON.parse(line) as Record<string, unknown>)[column]));
      const all = valuesAt(0);
      for (const { version, live } of replay(table)) {
        const dv = live[0]?.deletionVector;
        if (live.length !== 1 || !dv) continue;
        const remaining = new Set(valuesAt(version));
        const vanished = all.filter((value) => !remaining.has(value)).sort((a, b) => a - b);
        const deleted = await readDeletionVector(store, dv);
        assert.deepEqual(Array.from(deleted), vanished, `${table} v${version}`);
        checked.push(`${table} v${version}: ${vanished.join(",")}`);
      }
    }
    assert.deepEqual(checked, [
      "drs_table-with-dv-small v1: 0,9",
      "krs_cdf-table-with-dv v1: 0,9",
      "krs_cdf-table-with-dv v3: 0,1,4,5",
      "krs_cdf-table-with-dv v4: 0,5",
      "krs_cdf-table-with-dv v5: 3", // the Rust z85 tail form
      "golden_log-replay-dv-key-cases v1: 0",
      "golden_log-replay-dv-key-cases v2: 0,7",
      "golden_log-replay-dv-key-cases v3: 0,7,14",
    ]);
  });
});

const SMALL_KEY = "deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin";
const SMALL_FILE = new Uint8Array(readFileSync(join(CORPUS, "drs_table-with-dv-small", "table", SMALL_KEY)));
const SMALL_DV: DeletionVectorDescriptor = {
  storageType: "u",
  pathOrInlineDv: "vBn[lx{q8@P<9BNH/isA",
  offset: 1,
  sizeInBytes: 36,
  cardinality: 2,
};
const SMALL_WHERE = `the deletion vector at offset 1 of ${SMALL_KEY} of the Delta table at memory://dv-test`;
/** The v3 inline vector of krs_cdf-table-with-dv: rows 0, 1, 4, 5. */
const INLINE: DeletionVectorDescriptor = {
  storageType: "i",
  pathOrInlineDv: "^Bg9^0rr910000000000iXQKl0rr91000935c8Xg000311onP9",
  offset: null,
  sizeInBytes: 40,
  cardinality: 4,
};

async function storeWith(files: Record<string, Uint8Array>): Promise<MemoryStore> {
  const store = new MemoryStore({ name: "dv-test" });
  for (const [key, body] of Object.entries(files)) await store.put(key, body);
  return store;
}

function changed(bytes: Uint8Array, at: number, ...values: number[]): Uint8Array {
  const copy = bytes.slice();
  copy.set(values, at);
  return copy;
}

/** A DV file (version 1) holding the given bitmaps, each framed by its big-endian size and CRC-32. */
function dvFile(...bitmaps: Uint8Array[]): Uint8Array {
  const parts = [Uint8Array.of(1)];
  for (const bitmap of bitmaps) {
    const frame = new Uint8Array(bitmap.length + 8);
    const view = new DataView(frame.buffer);
    view.setUint32(0, bitmap.length);
    frame.set(bitmap, 4);
    view.setUint32(4 + bitmap.length, crc32(bitmap));
    parts.push(frame);
  }
  return Uint8Array.from(parts.flatMap((part) => Array.from(part)));
}

describe("readDeletionVector", () => {
  it("reads inline vectors in both Z85 forms, Spark's zero padding and the Rust crate's # tail", async () => {
    const store = await storeWith({});
    assert.deepEqual(Array.from(await readDeletionVector(store, INLINE)), [0, 1, 4, 5]);
    const rustForm = "^Bg9^0rr910000000000iXQKl0rr91000005c8Xg##093";
    const sparkForm = encodeZ85(decodeZ85(rustForm));
    assert.equal(sparkForm, "^Bg9^0rr910000000000iXQKl0rr91000005c8Xg0@@r3");
    for (const pathOrInlineDv of [rustForm, sparkForm]) {
      const dv = { ...INLINE, pathOrInlineDv, sizeInBytes: 34, cardinality: 1 };
      assert.deepEqual(Array.from(await readDeletionVector(store, dv)), [3]);
    }
  });

  it("refuses the spec's inline example, as Spark does: it is Spark's Native layout written big-endian", async () => {
    // PROTOCOL.md "JSON Example 3 — Inline" says rows 3, 4, 7, 11, 18, 29, but its bytes start
    // 64 39 d3 d0 00 00 00 01 00 00 00 1c: magic 1681511376, one bitmap of 28 bytes, all big-endian.
    const example = {
      ...INLINE,
      pathOrInlineDv: "wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L",
      cardinality: 6,
    };
    await assert.rejects(readDeletionVector(await storeWith({}), example), {
      message:
        "Cannot read the inline deletion vector (40 bytes) of the Delta table at memory://dv-test: invalid bitmap at byte 0: magic number 3503503716 is not 1681511377",
    });
  });

  it("reads a vector behind a random prefix and a second vector at an offset in the same file", async () => {
    const first = SMALL_FILE.subarray(5, 41);
    const second = readFileSync(
      join(
        CORPUS,
        "dat_deletion_vectors",
        "table",
        "deletion_vector_8aebe228-b96c-4831-b0b6-22882eb9a3d3.bin",
      ),
    ).subarray(5, 45);
    const key = "ab/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin";
    const store = await storeWith({ [key]: dvFile(first, second) });
    const dv = {
      storageType: "u",
      pathOrInlineDv: "ab^-aqEH.-t@S}K{vb[*k^",
      sizeInBytes: 36,
      cardinality: 2,
    } as const;
    assert.deepEqual(Array.from(await readDeletionVector(store, { ...dv, offset: 1 })), [0, 9]);
    const atOffset = { ...dv, offset: 45, sizeInBytes: 40, cardinality: 4 };
    assert.deepEqual(Array.from(await readDeletionVector(store, atOffset)), [0, 2, 3, 4]);
  });

  it("reads an absolute-path vector that lies under the table, and refuses one outside it", async () => {
    const store = await storeWith({ "dvs/my dv.bin": SMALL_FILE });
    const inside = {
      ...SMALL_DV,
      storageType: "p",
      pathOrInlineDv: "memory://dv-test/dvs/my%20dv.bin",
    } as const;
    assert.deepEqual(Array.from(await readDeletionVector(store, inside)), [0, 9]);
    const outside = { ...inside, pathOrInlineDv: "s3://elsewhere/dv.bin" };
    await assert.rejects(readDeletionVector(store, outside), {
      message:
        "Cannot read the deletion vector at offset 1 of s3://elsewhere/dv.bin of the Delta table at memory://dv-test: its absolute path s3://elsewhere/dv.bin is outside the table; only paths under it can be read",
    });
  });

  it("reports a corrupted checksum with both values", async () => {
    const store = await storeWith({ [SMALL_KEY]: changed(SMALL_FILE, 44, 0xb9) });
    await assert.rejects(readDeletionVector(store, SMALL_DV), {
      name: "DeletionVectorError",
      message: `Cannot read ${SMALL_WHERE}: checksum mismatch: the file stores CRC-32 0x2a6718b9, the bitmap hashes to 0x2a671846`,
      location: "memory://dv-test",
      descriptor: SMALL_DV,
    });
  });

  it("reports a size field that disagrees with the log", async () => {
    const store = await storeWith({ [SMALL_KEY]: changed(SMALL_FILE, 1, 0, 0, 0, 35) });
    await assert.rejects(readDeletionVector(store, SMALL_DV), {
      message: `Cannot read ${SMALL_WHERE}: the size field says 35 bytes but the log says sizeInBytes 36`,
    });
  });

  it("reports a missing file, keeping the store's error as the cause", async () => {
    const error = await readDeletionVector(await storeWith({}), SMALL_DV).catch((caught: unknown) => caught);
    assert.ok(error instanceof DeletionVectorError);
    assert.equal(error.message, `Cannot read ${SMALL_WHERE}: file not found`);
    assert.equal(error.reason, "file not found");
    assert.ok(error.cause instanceof ObjectNotFoundError);
  });

  it("reports a cardinality other than the log's", async () => {
    const store = await storeWith({ [SMALL_KEY]: SMALL_FILE });
    await assert.rejects(readDeletionVector(store, { ...SMALL_DV, cardinality: 3 }), {
      message: `Cannot read ${SMALL_WHERE}: cardinality 3 in the log but 2 in the file`,
    });
  });

  it("reports a truncated file and an unknown format version", async () => {
    const truncated = await storeWith({ [SMALL_KEY]: SMALL_FILE.subarray(0, 30) });
    await assert.rejects(readDeletionVector(truncated, SMALL_DV), {
      message: `Cannot read ${SMALL_WHERE}: the file ends after 30 bytes, before the vector's end at 45`,
    });
    const version2 = await storeWith({ [SMALL_KEY]: changed(SMALL_FILE, 0, 2) });
    await assert.rejects(readDeletionVector(version2, SMALL_DV), {
      message: `Cannot read ${SMALL_WHERE}: unsupported deletion vector file format version 2 (only 1 is known)`,
    });
  });

  it("reports an invalid Z85 character in an inline vector", async () => {
    const dv = { ...INLINE, pathOrInlineDv: `${INLINE.pathOrInlineDv.slice(0, -1)}~` };
    await assert.rejects(readDeletionVector(await storeWith({}), dv), {
      message:
        'Cannot read the inline deletion vector (40 bytes) of the Delta table at memory://dv-test: invalid Z85 text: the character "~" at position 49 is not in the Z85 alphabet',
    });
  });

  it("reports an inline vector shorter than its sizeInBytes", async () => {
    await assert.rejects(readDeletionVector(await storeWith({}), { ...INLINE, sizeInBytes: 41 }), {
      message:
        "Cannot read the inline deletion vector (41 bytes) of the Delta table at memory://dv-test: the inline text decodes to 40 bytes, fewer than sizeInBytes 41",
    });
  });
});

describe("deletion vector descriptors", () => {
  it("derive the spec's uniqueId, with @offset only when an offset is set", () => {
    assert.equal(deletionVectorUniqueId(SMALL_DV), "uvBn[lx{q8@P<9BNH/isA@1");
    assert.equal(deletionVectorUniqueId(INLINE), `i${INLINE.pathOrInlineDv}`);
  });

  it("derive the file key from the UUID, with the random prefix as a folder", () => {
    assert.equal(deletionVectorFileKey(SMALL_DV), SMALL_KEY);
    const prefixed = { ...SMALL_DV, pathOrInlineDv: "ab^-aqEH.-t@S}K{vb[*k^" };
    assert.equal(
      deletionVectorFileKey(prefixed),
      "ab/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin",
    );
    assert.equal(
      deletionVectorFileKey({ ...SMALL_DV, storageType: "p", pathOrInlineDv: "s3://b/x.bin" }),
      "s3://b/x.bin",
    );
    assert.equal(deletionVectorFileKey(INLINE), undefined);
    assert.throws(() => deletionVectorFileKey({ ...SMALL_DV, pathOrInlineDv: "short" }), {
      name: "InvalidDeletionVectorDescriptorError",
      message: `Invalid deletion vector descriptor {"storageType":"u","pathOrInlineDv":"short","offset":1,"sizeInBytes":36,"cardinality":2}: a 'u' path must end in a 20-character Z85 UUID`,
    });
  });
});

describe("DeletedRows", () => {
  it("answers membership and lists the rows in order", () => {
    const rows = DeletedRows.fromSorted(Float64Array.of(0, 7, 2 ** 40, 2 ** 53 - 1));
    assert.equal(rows.size, 4);
    for (const row of [0, 7, 2 ** 40, 2 ** 53 - 1]) assert.ok(rows.has(row), `${row}`);
    for (const row of [1, 6, 8, 2 ** 40 + 1, -1]) assert.ok(!rows.has(row), `${row}`);
    assert.deepEqual(Array.from(rows), [0, 7, 2 ** 40, 2 ** 53 - 1]);
    assert.deepEqual(rows.toArray(), Float64Array.of(0, 7, 2 ** 40, 2 ** 53 - 1));
    assert.equal(DeletedRows.NONE.size, 0);
    assert.ok(!DeletedRows.NONE.has(0));
  });

  it("refuses row indexes that are not strictly ascending", () => {
    assert.throws(() => DeletedRows.fromSorted(Float64Array.of(3, 3)), {
      name: "RangeError",
      message: "row index 3 at position 1 is not strictly ascending",
    });
  });
});

describe("crc32", () => {
  it("computes the standard check value of CRC-32/ISO-HDLC", () => {
    assert.equal(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
    assert.equal(crc32(new Uint8Array(0)), 0);
  });
});
