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
  for (const segment of key.split("/")) {
    if (segment === "" || segment === "." || segment === "..") {
      throw new InvalidKeyError(key, `the segment ${JSON.stringify(segment)} is not allowed`);
    }
  }
  return key;
}

/** Compares two keys in UTF-8 byte order, the order `ObjectStore.list` yields. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}
