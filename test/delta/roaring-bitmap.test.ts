import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  parseRoaringBitmap32,
  parseRoaringBitmap64,
  parseRoaringBitmapArray,
  ROARING_BITMAP_ARRAY_MAGIC,
} from "../../src/delta/roaring-bitmap.ts";

/** Little-endian bytes from a list of [value, width] pairs and raw byte arrays. */
function bytesOf(...parts: ([number, 2 | 4 | 8] | Uint8Array)[]): Uint8Array {
  const chunks = parts.map((part) => {
    if (part instanceof Uint8Array) return part;
    const [value, width] = part;
    const chunk = new Uint8Array(width);
    const view = new DataView(chunk.buffer);
    if (width === 2) view.setUint16(0, value, true);
    else if (width === 4) view.setUint32(0, value, true);
    else view.setBigUint64(0, BigInt(value), true);
    return chunk;
  });
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

describe("parseRoaringBitmap32", () => {
  it("reads run, array and bitset containers behind the run cookie, with the offset header (4+ containers)", () => {
    const bitset = new Uint8Array(8192);
    for (let v = 0; v < 65536; v += 3) bitset[v >>> 3] = (bitset[v >>> 3] ?? 0) | (1 << (v & 7));
    // Cookie with 4 containers; containers 0 and 3 are runs (flag bits 0b1001).
    const header = bytesOf(
      [12347 | (3 << 16), 4],
      Uint8Array.of(0b1001),
      [0, 2],
      [2, 2],
      [1, 2],
      [1, 2],
      [2, 2],
      [21845, 2],
      [3, 2],
      [0, 2],
    );
    const offsets = bytesOf([37, 4], [43, 4], [47, 4], [8239, 4]);
    const full = bytesOf(
      header,
      offsets,
      [1, 2],
      [10, 2],
      [2, 2],
      [1, 2],
      [2, 2],
      bitset,
      [1, 2],
      [0, 2],
      [0, 2],
    );
    const expected = [10, 11, 12, 65536 + 1, 65536 + 2];
    for (let v = 0; v < 65536; v += 3) expected.push(2 * 65536 + v);
    expected.push(3 * 65536);
    const { values, end } = parseRoaringBitmap32(full);
    assert.equal(end, full.length);
    assert.deepEqual(Array.from(values), expected);
  });

  it("reads array and bitset containers behind the no-run cookie, with its offset header", () => {
    const bitset = new Uint8Array(8192);
    for (let v = 0; v < 65536; v += 3) bitset[v >>> 3] = (bitset[v >>> 3] ?? 0) | (1 << (v & 7));
    const bytes = bytesOf([12346, 4], [2, 4], [0, 2], [2, 2], [5, 2], [21845, 2], [24, 4], [30, 4]);
    const full = bytesOf(bytes, [7, 2], [9, 2], [65535, 2], bitset);
    const { values, end } = parseRoaringBitmap32(full);
    const expected = [7, 9, 65535];
    for (let v = 0; v < 65536; v += 3) expected.push(5 * 65536 + v);
    assert.equal(end, full.length);
    assert.deepEqual(Array.from(values), expected);
  });

  it("reads run containers behind the run cookie without an offset header (fewer than 4 containers)", () => {
    // One run container with runs 10..12 and 20..20, then one array container [1] under key 3.
    const bytes = bytesOf([12347 | (1 << 16), 4], Uint8Array.of(0b01), [0, 2], [3, 2], [3, 2], [0, 2]);
    const full = bytesOf(bytes, [2, 2], [10, 2], [2, 2], [20, 2], [0, 2], [1, 2]);
    assert.deepEqual(Array.from(parseRoaringBitmap32(full).values), [10, 11, 12, 20, 3 * 65536 + 1]);
  });

  it("refuses an unknown cookie, truncation and a cardinality the container does not hold", () => {
    assert.throws(() => parseRoaringBitmap32(bytesOf([12345, 4])), {
      name: "InvalidRoaringBitmapError",
      message: "Invalid RoaringBitmap at byte 0: unknown cookie 12345",
    });
    assert.throws(() => parseRoaringBitmap32(bytesOf([12346, 4], [1, 4], [0, 2], [1, 2], [16, 4], [7, 2])), {
      message: "Invalid RoaringBitmap at byte 18: truncated: 2 bytes needed, 0 left",
    });
    const runs = bytesOf([12347, 4], Uint8Array.of(1), [0, 2], [1, 2], [1, 2], [10, 2], [5, 2]);
    assert.throws(() => parseRoaringBitmap32(runs), {
      message: "Invalid RoaringBitmap at byte 9: container 0 holds 6 values but its header says 2",
    });
  });
});

describe("parseRoaringBitmap64", () => {
  it("reads several 32-bit buckets, each under its high 32 bits", () => {
    const bucket = bytesOf([12346, 4], [1, 4], [0, 2], [1, 2], [16, 4], [6, 2], [9, 2]);
    const bytes = bytesOf([2, 8], [0, 4], bucket, [1, 4], bucket);
    const { values, end } = parseRoaringBitmap64(bytes);
    assert.equal(end, bytes.length);
    assert.deepEqual(Array.from(values), [6, 9, 2 ** 32 + 6, 2 ** 32 + 9]);
  });
});

describe("parseRoaringBitmapArray", () => {
  const oneValue = (high: number) =>
    bytesOf(
      [ROARING_BITMAP_ARRAY_MAGIC, 4],
      [1, 8],
      [high, 4],
      [12346, 4],
      [1, 4],
      [0, 2],
      [0, 2],
      [16, 4],
      [6, 2],
    );

  it("reads Delta's framing: magic number, then a portable 64-bit bitmap", () => {
    assert.deepEqual(Array.from(parseRoaringBitmapArray(oneValue(0))), [6]);
    assert.deepEqual(Array.from(parseRoaringBitmapArray(oneValue(3))), [3 * 2 ** 32 + 6]);
    assert.deepEqual(
      Array.from(parseRoaringBitmapArray(bytesOf([ROARING_BITMAP_ARRAY_MAGIC, 4], [0, 8]))),
      [],
    );
  });

  it("refuses a wrong magic number, trailing bytes and row indexes beyond 2^53", () => {
    assert.throws(() => parseRoaringBitmapArray(bytesOf([1681511376, 4], [0, 8])), {
      message: "Invalid RoaringBitmap at byte 0: magic number 1681511376 is not 1681511377",
    });
    assert.throws(() => parseRoaringBitmapArray(bytesOf(oneValue(0), Uint8Array.of(0))), {
      message: "Invalid RoaringBitmap at byte 34: 1 unexpected bytes after the bitmap",
    });
    assert.throws(() => parseRoaringBitmapArray(oneValue(2 ** 21)), {
      message: "Invalid RoaringBitmap at byte 12: bucket key 2097152 holds row indexes of 2^53 and above",
    });
  });
});
