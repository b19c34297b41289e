import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InvalidKeyError } from "../../src/storage/errors.ts";
import { compareKeys, sortKeys, validateKey, validatePrefix } from "../../src/storage/key.ts";

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

  it("refuses a key with a lone surrogate, which no file system or S3 could store as given", () => {
    assert.throws(() => validateKey("a\uD800b"), {
      message: 'Invalid object key "a\\ud800b": a key must be well-formed Unicode',
    });
    assert.equal(validateKey("emoji \u{1F600}"), "emoji \u{1F600}");
  });
});

describe("validatePrefix", () => {
  it("accepts the empty prefix, folders and partial names", () => {
    for (const prefix of ["", "_delta_log/", "_delta_log/0000", "part=1/x", "..hidden", "a/."]) {
      assert.equal(validatePrefix(prefix), prefix);
    }
  });

  it("refuses a prefix no valid key can start with, naming the prefix", () => {
    assert.throws(() => validatePrefix("../"), {
      name: "InvalidKeyError",
      message: 'Invalid object key "../": the segment ".." is not allowed',
    });
    for (const prefix of ["/", "a//", "./x", "a\\"])
      assert.throws(() => validatePrefix(prefix), InvalidKeyError);
  });
});

describe("compareKeys", () => {
  it("orders by UTF-8 bytes, as S3 lists", () => {
    // U+FF5E (3 UTF-8 bytes, EF BD 9E) sorts before U+1F600 (4 bytes, F0 ...), though UTF-16 says otherwise.
    assert.ok(compareKeys("\uFF5E", "\u{1F600}") < 0);
    assert.ok(compareKeys("a", "b") < 0);
    assert.equal(compareKeys("x", "x"), 0);
  });

  it("agrees with comparing the UTF-8 bytes, across every class of code point", () => {
    const alphabet = [
      "",
      "a",
      "/",
      "-",
      "~",
      "\u00e9",
      "\u0800",
      "\uD7FF",
      "\uE000",
      "\uFF5E",
      "\uFFFF",
      "\u{10000}",
      "\u{1F600}",
      "\u{10FFFF}",
    ];
    const keys = alphabet.flatMap((x) => alphabet.map((y) => `k${x}${y}`));
    for (const a of keys) {
      for (const b of keys) {
        assert.equal(
          Math.sign(compareKeys(a, b)),
          Buffer.compare(Buffer.from(a), Buffer.from(b)),
          `${a} ${b}`,
        );
      }
    }
  });
});

describe("sortKeys", () => {
  it("sorts in UTF-8 byte order, with and without code points above U+D7FF", () => {
    const ascii = ["b", "a/b", "a-b", "A", "a"];
    assert.deepEqual(sortKeys([...ascii]), ["A", "a", "a-b", "a/b", "b"]);
    const wide = ["\u{1F600}", "\uFF5E", "z", "\uE000"];
    assert.deepEqual(sortKeys([...wide]), ["z", "\uE000", "\uFF5E", "\u{1F600}"]);
  });
});
