import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeZ85, encodeZ85, InvalidZ85Error } from "../../src/delta/z85.ts";

const HELLO_WORLD_BYTES = Uint8Array.of(0x86, 0x4f, 0xd2, 0x6f, 0xb5, 0x59, 0xf7, 0x5b);

describe("Z85", () => {
  it("encodes and decodes the test vector of the Z85 spec", () => {
    assert.equal(encodeZ85(HELLO_WORLD_BYTES), "HelloWorld");
    assert.deepEqual(decodeZ85("HelloWorld"), HELLO_WORLD_BYTES);
  });

  it("round-trips every length, padding to whole groups as Spark does", () => {
    for (let length = 0; length <= 41; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 97 + length * 31) & 0xff);
      const text = encodeZ85(bytes);
      assert.equal(text.length, Math.ceil(length / 4) * 5);
      const decoded = decodeZ85(text);
      assert.equal(decoded.length, Math.ceil(length / 4) * 4);
      assert.deepEqual(decoded.subarray(0, length), bytes);
      assert.ok(decoded.subarray(length).every((byte) => byte === 0));
    }
  });

  it("encodes the extremes of a group", () => {
    assert.equal(encodeZ85(Uint8Array.of(0, 0, 0, 0)), "00000");
    assert.equal(encodeZ85(Uint8Array.of(0xff, 0xff, 0xff, 0xff)), "%nSc0");
    assert.deepEqual(decodeZ85("%nSc0"), Uint8Array.of(0xff, 0xff, 0xff, 0xff));
  });

  it("decodes the Rust z85 crate's tail, one leading # per missing byte, to the exact bytes", () => {
    // [0xB5] right-aligned is 181 = 2·85 + 11 → "0002b", three missing bytes → "###2b".
    assert.deepEqual(decodeZ85("Hello###2b"), HELLO_WORLD_BYTES.subarray(0, 5));
    // [0x03, 0x00] right-aligned is 768 = 9·85 + 3 → "00093" → "##093" (krs_cdf-table-with-dv v5).
    assert.deepEqual(decodeZ85("##093"), Uint8Array.of(0x03, 0x00));
    // Three bytes: one #.
    assert.deepEqual(decodeZ85(`#${encodeZ85(Uint8Array.of(0, 1, 2, 3)).slice(1)}`), Uint8Array.of(1, 2, 3));
  });

  it("decodes the krs_cdf-table-with-dv v5 inline vector to its 34 bytes, ending in row 3", () => {
    const bytes = decodeZ85("^Bg9^0rr910000000000iXQKl0rr91000005c8Xg##093");
    assert.equal(bytes.length, 34);
    assert.deepEqual(bytes.subarray(32), Uint8Array.of(3, 0));
  });

  it("refuses a character outside the alphabet, naming it and its position", () => {
    assert.throws(() => decodeZ85("Hello~orld"), {
      name: "InvalidZ85Error",
      message: 'Invalid Z85 text: the character "~" at position 5 is not in the Z85 alphabet',
      position: 5,
    });
    assert.throws(() => decodeZ85("Hell\u00e9"), InvalidZ85Error);
  });

  it("refuses text whose length is not a multiple of 5", () => {
    assert.throws(() => decodeZ85("Hell"), {
      name: "InvalidZ85Error",
      message: "Invalid Z85 text: length 4 is not a multiple of 5",
    });
  });

  it("refuses groups that overflow instead of wrapping them as Spark does", () => {
    assert.throws(() => decodeZ85("%nSc1"), {
      message: 'Invalid Z85 text: the group "%nSc1" at position 0 does not fit in 32 bits',
    });
    // A #-padded group is only meaningful at the end.
    assert.throws(() => decodeZ85("##093Hello"), {
      message: 'Invalid Z85 text: the group "##093" at position 0 does not fit in 32 bits',
    });
    assert.throws(() => decodeZ85("##zzz"), {
      message:
        'Invalid Z85 text: the group "##zzz" at position 0 does not fit in the 2 bytes its "#" padding leaves',
    });
  });
});
