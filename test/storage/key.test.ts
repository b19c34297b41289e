import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InvalidKeyError } from "../../src/storage/errors.ts";
import { compareKeys, validateKey } from "../../src/storage/key.ts";

describe("validateKey", () => {
  it("accepts keys with spaces, percent signs, equals signs and non-ASCII text", () => {
    for (const key of ["a b/c", "x=100%/f.parquet", "p=Müller/São Paulo.json", "_delta_log/0.json"]) {
      assert.equal(validateKey(key), key);
    }
  });

  it("refuses keys that could escape the store root, naming the problem", () => {
    assert.throws(() => validateKey("../etc/passwd"), {
      name: "InvalidKeyError",
      message: 'Invalid object key "../etc/passwd": the segment ".." is not allowed',
    });
    assert.throws(() => validateKey("/abs"), InvalidKeyError);
    assert.throws(() => validateKey("a//b"), InvalidKeyError);
    assert.throws(() => validateKey("a\\b"), InvalidKeyError);
    assert.throws(() => validateKey(""), InvalidKeyError);
  });
});

describe("compareKeys", () => {
  it("orders by UTF-8 bytes, as S3 lists", () => {
    // U+FF5E (3 UTF-8 bytes, EF BD 9E) sorts before U+1F600 (4 bytes, F0 ...), though UTF-16 says otherwise.
    assert.ok(compareKeys("\uFF5E", "\u{1F600}") < 0);
    assert.ok(compareKeys("a", "b") < 0);
    assert.equal(compareKeys("x", "x"), 0);
  });
});
