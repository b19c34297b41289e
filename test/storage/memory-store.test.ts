import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryStore, ObjectNotFoundError } from "../../src/storage/index.ts";
import { describeObjectStoreContract } from "./object-store-contract.ts";
import { bytes, chunked, listAll } from "./object-store-helpers.ts";

describeObjectStoreContract("MemoryStore", async () => ({
  store: new MemoryStore({ name: "contract" }),
  cleanup: async () => {},
}));

describe("MemoryStore", () => {
  it("is located at memory://<name> and has no local paths", () => {
    const store = new MemoryStore({ name: "silver" });
    assert.equal(store.location, "memory://silver");
    assert.equal(store.localPath("a/b.parquet"), undefined);
    assert.equal(new MemoryStore().location, "memory://default");
  });

  it("stamps lastModified from the injected clock", async () => {
    let now = 1_700_000_000_000;
    const store = new MemoryStore({ now: () => now });
    assert.equal((await store.put("a", bytes("a"))).lastModified, 1_700_000_000_000);
    now += 5_000;
    await store.putStream("b", chunked(bytes("b")));
    assert.deepEqual(
      (await listAll(store, "")).map((meta) => [meta.key, meta.lastModified]),
      [
        ["a", 1_700_000_000_000],
        ["b", 1_700_000_005_000],
      ],
    );
  });

  it("setLastModified ages an object without changing its content or etag", async () => {
    const store = new MemoryStore({ now: () => 2_000 });
    const put = await store.put("old.parquet", bytes("data"));
    store.setLastModified("old.parquet", 1_000);
    assert.deepEqual(await store.head("old.parquet"), { ...put, lastModified: 1_000 });
    assert.deepEqual(await store.get("old.parquet"), bytes("data"));
    assert.throws(() => store.setLastModified("missing", 1), ObjectNotFoundError);
  });
});
