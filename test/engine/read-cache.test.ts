import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ReadCache } from "../../src/engine/index.ts";
import { MemoryStore, ObjectNotFoundError } from "../../src/storage/index.ts";

/** A store without local paths (like S3) that counts the downloads. */
class CountingStore extends MemoryStore {
  downloads = 0;
  heads = 0;
  override head(key: string) {
    this.heads++;
    return super.head(key);
  }
  override getStream(key: string): AsyncIterable<Uint8Array> {
    this.downloads++;
    return super.getStream(key);
  }
}

describe("ReadCache", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lake-read-cache-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));
  const text = (s: string) => new TextEncoder().encode(s);

  it("downloads an object once, and a later session downloads it again only when its ETag changed", async () => {
    const store = new CountingStore({ name: "once" });
    const cache = new ReadCache(join(dir, "once"));
    await store.put("a.parquet", text("first"));
    const first = await cache.localPath(store, "a.parquet");
    const again = await cache.localPath(store, "a.parquet");
    assert.equal(again, first);
    assert.deepEqual([store.downloads, store.heads], [1, 1], "one download and one HEAD per session");
    assert.equal(await readFile(first, "utf8"), "first");
    assert.equal(await new ReadCache(join(dir, "once")).localPath(store, "a.parquet"), first);
    assert.equal(store.downloads, 1, "the next session reuses the copy");
    await store.put("a.parquet", text("second"));
    const changed = await new ReadCache(join(dir, "once")).localPath(store, "a.parquet");
    assert.notEqual(changed, first);
    assert.equal(await readFile(changed, "utf8"), "second");
    assert.equal(store.downloads, 2);
  });

  it("keeps copies of the same key in different stores apart", async () => {
    const cache = new ReadCache(join(dir, "apart"));
    const bronze = new MemoryStore({ name: "bronze" });
    const silver = new MemoryStore({ name: "silver" });
    await bronze.put("part-0.parquet", text("bronze"));
    await silver.put("part-0.parquet", text("silver"));
    assert.equal(await readFile(await cache.localPath(bronze, "part-0.parquet"), "utf8"), "bronze");
    assert.equal(await readFile(await cache.localPath(silver, "part-0.parquet"), "utf8"), "silver");
  });

  it("evicts the least recently used unpinned copies past its bound, never a pinned one", async () => {
    const store = new CountingStore({ name: "bounded" });
    const cache = new ReadCache(join(dir, "bounded"), 25, 0);
    for (const key of ["a", "b", "c"]) await store.put(key, text(key.repeat(10)));
    const a = await cache.localPath(store, "a");
    const b = await cache.localPath(store, "b");
    cache.unpin(b);
    await new Promise((resolve) => setTimeout(resolve, 20)); // distinct use times
    const c = await cache.localPath(store, "c"); // 30 bytes > 25: b goes, a is pinned
    assert.deepEqual([existsSync(a), existsSync(b), existsSync(c)], [true, false, true]);
    cache.unpinAll();
    await store.put("d", text("d".repeat(10)));
    await cache.localPath(store, "d"); // a and c are unpinned now: the older one, a, goes
    assert.equal(existsSync(a), false);
    assert.equal((await readdir(join(dir, "bounded"))).filter((n) => n.endsWith(".bin")).length, 2);
  });

  it("keeps copies used recently (another process may be reading them) even past its bound", async () => {
    const store = new MemoryStore({ name: "shared" });
    const cache = new ReadCache(join(dir, "shared"), 15);
    for (const key of ["a", "b"]) await store.put(key, text(key.repeat(10)));
    const a = await cache.localPath(store, "a");
    cache.unpin(a);
    const b = await cache.localPath(store, "b");
    assert.deepEqual([existsSync(a), existsSync(b)], [true, true]);
  });

  it("passes a missing object's error through and leaves nothing behind", async () => {
    const cache = new ReadCache(join(dir, "missing"));
    await assert.rejects(cache.localPath(new MemoryStore(), "nope.parquet"), ObjectNotFoundError);
    assert.deepEqual(await readdir(join(dir, "missing")).catch(() => []), []);
  });
});
