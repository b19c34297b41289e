/**
 * The listing part of the `ObjectStore` contract: order, prefixes, `startAfter`, pagination. Run by
 * `describeObjectStoreContract`, never on its own.
 */
import assert from "node:assert/strict";
import { compareKeys } from "../../src/storage/index.ts";
import { bytes, listAll, listKeys, putAll, type StoreTest } from "./object-store-helpers.ts";

/** Defines the listing tests with `test`. */
export function listContract(test: StoreTest): void {
  test("list yields every key under the prefix in UTF-8 byte order", async (store) => {
    // "-" (2D) and "." (2E) sort before "/" (2F), "0" (30) after: ordering cannot follow folders.
    // U+FF5E sorts before U+1F600 in UTF-8, though not in UTF-16.
    const keys = [
      "t/dir/x",
      "t/dir-x",
      "t/dir.x",
      "t/dir0",
      "t/dir/a/b",
      "t/\u{1F600}",
      "t/\uFF5E",
      "t/Z",
      "t/a",
    ];
    await putAll(store, [...keys, "u/other", "s"]);
    assert.deepEqual(await listKeys(store, "t/"), [...keys].sort(compareKeys));
    assert.deepEqual(await listKeys(store, "t/"), [
      "t/Z",
      "t/a",
      "t/dir-x",
      "t/dir.x",
      "t/dir/a/b",
      "t/dir/x",
      "t/dir0",
      "t/\uFF5E",
      "t/\u{1F600}",
    ]);
    assert.deepEqual(await listKeys(store, ""), ["s", ...keys.sort(compareKeys), "u/other"]);
  });

  test("list yields the same meta head reports", async (store) => {
    await putAll(store, ["m/one", "m/two/three"]);
    assert.deepEqual(await listAll(store, "m/"), [
      await store.head("m/one"),
      await store.head("m/two/three"),
    ]);
  });

  test("list treats the prefix as a plain string prefix, not a folder", async (store) => {
    const log = (v: number, ext = "json") => `_delta_log/${String(v).padStart(20, "0")}.${ext}`;
    await putAll(store, [
      log(1),
      log(2),
      log(10),
      log(11),
      log(10, "checkpoint.parquet"),
      "part=1/a",
      "parts.json",
    ]);
    assert.deepEqual(await listKeys(store, "_delta_log/0000000000000000001"), [
      log(10, "checkpoint.parquet"),
      log(10),
      log(11),
    ]);
    assert.deepEqual(await listKeys(store, "part"), ["part=1/a", "parts.json"]);
    assert.deepEqual(await listKeys(store, "part="), ["part=1/a"]);
    assert.deepEqual(await listKeys(store, "part=1/a"), ["part=1/a"]);
  });

  test("list of a prefix nothing starts with yields nothing", async (store) => {
    await store.put("a/b", bytes("b"));
    assert.deepEqual(await listKeys(store, "missing/"), []);
    assert.deepEqual(await listKeys(store, "a/b/"), []);
    assert.deepEqual(await listKeys(store, "a/c"), []);
  });

  test("list with startAfter yields only keys strictly after it", async (store) => {
    await putAll(store, ["p/1", "p/2", "p/3/x", "p/4"]);
    assert.deepEqual(await listKeys(store, "p/", "p/2"), ["p/3/x", "p/4"]);
    assert.deepEqual(await listKeys(store, "p/", "p/25"), ["p/3/x", "p/4"]);
    assert.deepEqual(await listKeys(store, "p/", "a"), ["p/1", "p/2", "p/3/x", "p/4"]);
    assert.deepEqual(await listKeys(store, "p/", "p/4"), []);
  });

  test("list yields more than 1000 keys (one S3 page) complete and in order", async (store) => {
    const keys = Array.from({ length: 1105 }, (_, i) => `many/${i % 3 === 0 ? "sub/" : ""}${i}.json`);
    await putAll(store, keys);
    await store.put("manyx", bytes("outside the prefix"));
    assert.deepEqual(await listKeys(store, "many/"), [...keys].sort(compareKeys));
    const after = [...keys].sort(compareKeys)[600];
    assert.deepEqual(await listKeys(store, "many/", after), [...keys].sort(compareKeys).slice(601));
  });
}
