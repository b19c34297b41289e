import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { chunkHash } from "../../src/pipeline/chunk-hash.ts";

describe("chunk hash", () => {
  const chunks = [Buffer.from("id,name\n"), Buffer.alloc(1 << 20, 7), Buffer.from("last line")];
  const expected = createHash("sha256").update(Buffer.concat(chunks)).digest("hex");

  it("gives the SHA-256 of a small stream, hashed inline", async () => {
    const hash = chunkHash(100);
    for (const c of chunks) hash.update(c);
    assert.equal(await hash.digest(), expected);
  });

  it("gives the same SHA-256 for a large stream hashed on a worker thread, while the chunks are reused", async () => {
    const hash = chunkHash(1 << 30);
    for (const c of chunks) {
      const reused = Buffer.from(c);
      hash.update(reused);
      reused.fill(0); // the caller's buffer may change at once: the worker hashed a copy
    }
    assert.equal(await hash.digest(), expected);
  });

  it("frees an abandoned worker", async () => {
    const hash = chunkHash(1 << 30);
    hash.update(Buffer.from("x"));
    hash.close();
  });
});
