/**
 * The contract every `ObjectStore` keeps, as one suite each implementation runs against a fresh, empty
 * store (`local-store.test.ts`, `memory-store.test.ts`, ...). It uses only the `ObjectStore` interface.
 */
import assert from "node:assert/strict";
import { describe } from "node:test";
import {
  compareKeys,
  InvalidKeyError,
  ObjectExistsError,
  ObjectNotFoundError,
} from "../../src/storage/index.ts";
import {
  bytes,
  chunked,
  listKeys,
  patternBytes,
  putAll,
  readStream,
  type StoreFixture,
  storeTest,
} from "./object-store-helpers.ts";
import { listContract } from "./object-store-list-contract.ts";

/** Defines the `ObjectStore` contract suite for the stores `makeStore` creates, one per test. */
export function describeObjectStoreContract(name: string, makeStore: () => Promise<StoreFixture>): void {
  const test = storeTest(makeStore);
  describe(`ObjectStore contract: ${name}`, () => {
    test("get returns exactly the bytes put, and head and put agree on the meta", async (store) => {
      const before = Date.now();
      const put = await store.put("t/a.json", bytes('{"a":1}'));
      assert.deepEqual(await store.get("t/a.json"), bytes('{"a":1}'));
      const head = await store.head("t/a.json");
      assert.deepEqual(head, put);
      assert.equal(head.key, "t/a.json");
      assert.equal(head.size, 7);
      // Server clocks may differ a little from ours; a minute is plenty and still catches unit errors.
      assert.ok(Math.abs(head.lastModified - before) < 60_000, `lastModified ${head.lastModified}`);
      assert.equal(typeof head.etag, "string");
    });

    test("put overwrites an existing object and changes its etag", async (store) => {
      const first = await store.put("k", bytes("first version"));
      const second = await store.put("k", bytes("second"));
      assert.deepEqual(await store.get("k"), bytes("second"));
      assert.equal((await store.head("k")).size, 6);
      assert.notEqual(second.etag, first.etag);
    });

    test("getRange returns bytes [start, end) and clamps end to the object's size", async (store) => {
      await store.put("r", bytes("0123456789"));
      assert.deepEqual(await store.getRange("r", 2, 5), bytes("234"));
      assert.deepEqual(await store.getRange("r", 0, 10), bytes("0123456789"));
      assert.deepEqual(await store.getRange("r", 7, 1000), bytes("789"));
      assert.deepEqual(await store.getRange("r", 4, 4), bytes(""));
      assert.deepEqual(await store.getRange("r", 20, 30), bytes(""));
      await assert.rejects(store.getRange("r", -1, 3), RangeError);
    });

    test("get, getRange, head and getStream of a missing key throw ObjectNotFoundError", async (store) => {
      await store.put("present/x.json", bytes("x"));
      const expected = {
        name: "ObjectNotFoundError",
        message: `Object not found: present/y.json in ${store.location}`,
        key: "present/y.json",
        location: store.location,
      };
      await assert.rejects(store.get("present/y.json"), expected);
      await assert.rejects(store.getRange("present/y.json", 0, 1), expected);
      await assert.rejects(store.head("present/y.json"), expected);
      await assert.rejects(readStream(store.getStream("present/y.json")), expected);
      await assert.rejects(store.get("absent/folder/z"), ObjectNotFoundError);
      // A key "through" an object, and a key naming a folder of others, name no object either.
      await assert.rejects(store.get("present/x.json/deeper"), ObjectNotFoundError);
      await assert.rejects(store.head("present"), ObjectNotFoundError);
      await assert.rejects(store.get("present"), ObjectNotFoundError);
      await assert.rejects(store.getRange("present", 0, 1), ObjectNotFoundError);
      await assert.rejects(readStream(store.getStream("present")), ObjectNotFoundError);
    });

    test("put-if-absent creates a missing object", async (store) => {
      const meta = await store.put("_delta_log/00000000000000000000.json", bytes("v0"), {
        ifNoneMatch: true,
      });
      assert.equal(meta.size, 2);
      assert.deepEqual(await store.get("_delta_log/00000000000000000000.json"), bytes("v0"));
    });

    test("put-if-absent of an existing key throws ObjectExistsError and keeps the original", async (store) => {
      const key = "_delta_log/00000000000000000001.json";
      const original = await store.put(key, bytes("winner"), { ifNoneMatch: true });
      const expected = {
        name: "ObjectExistsError",
        message: `Object already exists: ${key} in ${store.location}`,
        key,
        location: store.location,
      };
      await assert.rejects(store.put(key, bytes("loser, longer content"), { ifNoneMatch: true }), expected);
      await assert.rejects(
        store.putStream(key, chunked(bytes("streamed loser")), { ifNoneMatch: true }),
        expected,
      );
      assert.deepEqual(await store.get(key), bytes("winner"));
      assert.deepEqual(await store.head(key), original);
      assert.deepEqual(await listKeys(store, ""), [key]);
    });

    test("of 20 concurrent put-if-absent writers of one key exactly one wins", async (store) => {
      const key = "_delta_log/00000000000000000002.json";
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => store.put(key, bytes(`writer ${i}`), { ifNoneMatch: true })),
      );
      const winners = results.flatMap((result, i) => (result.status === "fulfilled" ? [i] : []));
      assert.equal(winners.length, 1, `winners: ${winners.join(", ")}`);
      for (const result of results) {
        if (result.status === "rejected")
          assert.ok(result.reason instanceof ObjectExistsError, String(result.reason));
      }
      assert.deepEqual(await store.get(key), bytes(`writer ${winners[0]}`));
    });

    test("keys with spaces, %, =, + and non-ASCII text round-trip through every operation", async (store) => {
      const keys = ["city=São Paulo/part 0.parquet", "x=100%/a+b.json", "名前/データ.csv", "p=%2F/q=a%20b"];
      for (const key of keys) await store.put(key, bytes(key));
      for (const key of keys) {
        assert.deepEqual(await store.get(key), bytes(key));
        assert.equal((await store.head(key)).key, key);
      }
      assert.deepEqual(await listKeys(store, ""), [...keys].sort(compareKeys));
      assert.deepEqual(await listKeys(store, "city=São"), ["city=São Paulo/part 0.parquet"]);
      for (const key of keys) await store.delete(key);
      assert.deepEqual(await listKeys(store, ""), []);
    });

    test("delete removes the object and is idempotent", async (store) => {
      await putAll(store, ["d/a/one", "d/a/two", "d/b"]);
      await store.delete("d/a/one");
      await store.delete("d/a/one");
      await store.delete("never/existed");
      await assert.rejects(store.get("d/a/one"), ObjectNotFoundError);
      assert.deepEqual(await listKeys(store, ""), ["d/a/two", "d/b"]);
      await store.delete("d/a/two");
      assert.deepEqual(await listKeys(store, ""), ["d/b"]);
      await store.put("d/a/three", bytes("3"));
      assert.deepEqual(await listKeys(store, "d/a/"), ["d/a/three"]);
    });

    test("putStream and getStream round-trip a multi-megabyte object", async (store) => {
      const body = patternBytes(5 * 1024 * 1024 + 17);
      const meta = await store.putStream("big/data.parquet", chunked(body));
      assert.equal(meta.size, body.byteLength);
      assert.equal((await store.head("big/data.parquet")).size, body.byteLength);
      assert.ok((await readStream(store.getStream("big/data.parquet"))).equals(body));
      assert.ok(Buffer.from(await store.get("big/data.parquet")).equals(body));
      const tail = await store.getRange("big/data.parquet", body.byteLength - 1000, body.byteLength + 5);
      assert.deepEqual(tail, body.subarray(body.byteLength - 1000));
    });

    test("putStream of an empty stream creates an empty object", async (store) => {
      await store.putStream("empty", chunked(new Uint8Array(0)));
      assert.equal((await store.head("empty")).size, 0);
      assert.deepEqual(await store.get("empty"), new Uint8Array(0));
      assert.deepEqual(await readStream(store.getStream("empty")), Buffer.alloc(0));
    });

    test("a failing putStream leaves no object behind", async (store) => {
      async function* failing(): AsyncGenerator<Uint8Array> {
        yield bytes("half of it");
        throw new Error("network gone");
      }
      await assert.rejects(store.putStream("broken", failing()), { message: "network gone" });
      await assert.rejects(store.head("broken"), ObjectNotFoundError);
      assert.deepEqual(await listKeys(store, ""), []);
    });

    test("mutating a buffer after put or get does not change the stored object", async (store) => {
      const body = bytes("original");
      await store.put("m", body);
      body.fill(0);
      (await store.get("m")).fill(0);
      assert.deepEqual(await store.get("m"), bytes("original"));
    });

    test("invalid keys are refused with InvalidKeyError by every operation", async (store) => {
      await store.put("ok", bytes("ok"));
      const invalid = ["", "/abs", "../up", "a/../../up", "a//b", "a/./b", "a\\b", "nul\0", "trailing/"];
      for (const key of invalid) {
        await assert.rejects(store.get(key), InvalidKeyError, JSON.stringify(key));
        await assert.rejects(store.getRange(key, 0, 1), InvalidKeyError);
        await assert.rejects(store.head(key), InvalidKeyError);
        await assert.rejects(store.put(key, bytes("x")), InvalidKeyError);
        await assert.rejects(store.putStream(key, chunked(bytes("x"))), InvalidKeyError);
        await assert.rejects(readStream(store.getStream(key)), InvalidKeyError);
        await assert.rejects(store.delete(key), InvalidKeyError);
        assert.throws(() => store.localPath(key), InvalidKeyError);
      }
      await assert.rejects(store.get("../up"), {
        message: 'Invalid object key "../up": the segment ".." is not allowed',
      });
      for (const prefix of ["../", "/", "a//", "./x"]) {
        await assert.rejects(listKeys(store, prefix), InvalidKeyError, JSON.stringify(prefix));
      }
      assert.deepEqual(await listKeys(store, ""), ["ok"]);
    });

    listContract(test);
  });
}
