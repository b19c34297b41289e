/** Object keys: the validation that keeps every key inside its store, and the order `list` yields. */
import { InvalidKeyError } from "./errors.ts";

/**
 * Checks that `key` is a valid relative object key (see `ObjectStore`) and returns it.
 * @throws InvalidKeyError naming what is wrong; such a key could escape a store's root.
 */
export function validateKey(key: string): string {
  if (key === "") throw new InvalidKeyError(key, "the key is empty");
  if (key.startsWith("/")) throw new InvalidKeyError(key, "a key must be relative, not start with '/'");
  if (key.includes("\\")) throw new InvalidKeyError(key, "a key must not contain '\\'");
  if (key.includes("\0")) throw new InvalidKeyError(key, "a key must not contain NUL");
  // A lone surrogate has no UTF-8 encoding: a file system or S3 would store a different key.
  if (/\p{Surrogate}/u.test(key)) throw new InvalidKeyError(key, "a key must be well-formed Unicode");
  for (const segment of key.split("/")) {
    if (segment === "" || segment === "." || segment === "..") {
      throw new InvalidKeyError(key, `the segment ${JSON.stringify(segment)} is not allowed`);
    }
  }
  return key;
}

/**
 * Checks that `prefix` is a valid `list` prefix and returns it: the empty string, or the start of
 * some valid key (`_delta_log/`, `_delta_log/0000`, `part=1/x`).
 * @throws InvalidKeyError when no valid key can start with `prefix`, e.g. `../` or `a//`.
 */
export function validatePrefix(prefix: string): string {
  if (prefix === "") return prefix;
  // A valid key starts with `prefix` exactly when `prefix` followed by one more name character is a
  // valid key: the extra character only completes the last, possibly partial or empty, segment.
  try {
    validateKey(`${prefix}x`);
  } catch (error) {
    if (error instanceof InvalidKeyError) throw new InvalidKeyError(prefix, error.reason);
    throw error;
  }
  return prefix;
}

/** Compares two keys in UTF-8 byte order, the order `ObjectStore.list` yields. */
export function compareKeys(a: string, b: string): number {
  // Without encoding: UTF-8 byte order is code point order, and UTF-16 code unit order differs from
  // code point order only in that surrogates (D800–DFFF, code points above FFFF) must sort after
  // E000–FFFF. Listing sorts every key of a folder, so this comparison is hot.
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Sorts `keys` in place in UTF-8 byte order (see {@link compareKeys}) and returns them. */
export function sortKeys(keys: string[]): string[] {
  // Without code units from D800 up, UTF-16 order, which the default sort uses natively, is UTF-8
  // order; that is many times faster on the long shared prefixes of a Delta log.
  return keys.some((key) => HIGH_CODE_UNIT.test(key)) ? keys.sort(compareKeys) : keys.sort();
}

const HIGH_CODE_UNIT = /[\uD800-\uFFFF]/;

/** Maps a UTF-16 code unit to a rank that orders like the code points it belongs to. */
function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}
