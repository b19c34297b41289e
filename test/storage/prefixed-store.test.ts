import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  InvalidKeyError,
  LocalStore,
  MemoryStore,
  ObjectExistsError,
  prefixedStore,
} from "../../src/storage/index.ts";
import { describeObjectStoreContract } from "./object-store-contract.ts";
import { bytes, listKeys } from "./object-store-helpers.ts";

describeObjectStoreContract("prefixedStore over MemoryStore", async () => {
  const inner = new MemoryStore({ name: "lake" });
  // Neighbours whose keys share the view's prefix as a string must stay invisible to it.
  await inner.put("bronze/orders_v2/x", bytes("neighbour"));
  await inner.put("bronze/orders", bytes("neighbour"));
  return { store: prefixedStore(inner, "bronze/orders"), cleanup: async () => {} };
});

describeObjectStoreContract("prefixedStore over LocalStore", async () => {
  const folder = await mkdtemp(join(tmpdir(), "lake-prefixed-store-"));
  const inner = new LocalStore(folder);
  await inner.put("silver/orders_v2/x", bytes("neighbour"));
  return {
    store: prefixedStore(inner, "silver/orders/"),
    cleanup: () => rm(folder, { recursive: true, force: true }),
  };
});

describe("prefixedStore", () => {
  it("stores key k at prefix/k and lists it without the prefix", async () => {
    const inner = new MemoryStore({ name: "lake" });
    const table = prefixedStore(inner, "gold/revenue");
    await table.put("_delta_log/00000000000000000000.json", bytes("{}"));
    assert.deepEqual(await listKeys(inner, ""), ["gold/revenue/_delta_log/00000000000000000000.json"]);
    assert.deepEqual(await listKeys(table, "_delta_log/"), ["_delta_log/00000000000000000000.json"]);
    assert.equal(
      (await table.head("_delta_log/00000000000000000000.json")).key,
      "_delta_log/00000000000000000000.json",
    );
  });

  it("names errors after its own location and keys", async () => {
    const table = prefixedStore(new MemoryStore({ name: "lake" }), "gold/revenue");
    assert.equal(table.location, "memory://lake/gold/revenue");
    await table.put("a", bytes("a"));
    await assert.rejects(table.put("a", bytes("b"), { ifNoneMatch: true }), {
      message: "Object already exists: a in memory://lake/gold/revenue",
    });
    await assert.rejects(table.put("a", bytes("b"), { ifNoneMatch: true }), ObjectExistsError);
  });

  it("delegates localPath to the inner store", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lake-prefixed-store-"));
    try {
      const table = prefixedStore(new LocalStore(folder), "bronze/orders");
      assert.equal(table.localPath("part-0.parquet"), join(folder, "bronze", "orders", "part-0.parquet"));
      assert.equal(table.location, `file://${folder}/bronze/orders`);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it("refuses a prefix that would escape the inner store, and is the store itself for an empty one", () => {
    const inner = new MemoryStore();
    assert.throws(() => prefixedStore(inner, "../other"), InvalidKeyError);
    assert.throws(() => prefixedStore(inner, "/abs"), InvalidKeyError);
    assert.equal(prefixedStore(inner, ""), inner);
  });
});
