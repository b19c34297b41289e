/**
 * Z85, the Base85 variant the Delta protocol uses for deletion-vector descriptors (UUIDs of on-disk
 * deletion vectors and inline bitmaps). See https://rfc.zeromq.org/spec/32/.
 *
 * Two encodings of input whose length is not a multiple of 4 exist in Delta logs:
 * - Spark's (`Codec.scala` Base85Codec): the bytes are padded with zeros to a multiple of 4, so the
 *   text is always whole 5-character groups and the reader trims the decoded bytes to the size it knows.
 * - The Rust `z85` crate's (delta-kernel-rs): the last 1 to 3 bytes are right-aligned in a zero-filled
 *   4-byte group, and each of the k missing bytes turns one leading character of that group into `#`.
 *   A real group can never start with `#` (84 × 85⁴ > 2³² − 1), so the two forms cannot be confused.
 * Decoding accepts both; encoding emits Spark's form, which every Delta reader understands.
 */
import { DeltaError } from "./errors.ts";

/** The Z85 alphabet: character i encodes digit i. */
export const Z85_ALPHABET =
  "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

/** Text that is not valid Z85; `position` is the index of the offending character or group start. */
export class InvalidZ85Error extends DeltaError {
  constructor(
    readonly position: number,
    readonly reason: string,
  ) {
    super(`Invalid Z85 text: ${reason}`);
  }
}

/**
 * Decodes Z85 text in either form described in the module comment. Spark-form text yields 4 bytes per
 * 5 characters, padding included (the caller trims to the length it expects); Rust tail-form text yields
 * exactly the encoded bytes.
 * @throws InvalidZ85Error when the length is not a multiple of 5, a character is outside the alphabet,
 *   or a group does not fit in 32 bits (other than a final `#`-padded group).
 */
export function decodeZ85(text: string): Uint8Array {
  if (text.length % 5 !== 0) {
    throw new InvalidZ85Error(text.length, `length ${text.length} is not a multiple of 5`);
  }
  const groups = text.length / 5;
  const lastGroup = text.length - 5;
  const missing = groups > 0 ? leadingHashes(text, lastGroup) : 0;
  const out = new Uint8Array(groups * 4 - missing);
  const view = new DataView(out.buffer);
  for (let start = 0; start < text.length; start += 5) {
    const skip = start === lastGroup ? missing : 0;
    let value = 0;
    for (let i = start; i < start + 5; i++) {
      value = value * 85 + (i < start + skip ? 0 : digitAt(text, i));
    }
    const limit = 2 ** (8 * (4 - skip));
    if (value >= limit) {
      const group = JSON.stringify(text.slice(start, start + 5));
      const room =
        skip === 0 ? "32 bits" : `the ${4 - skip} byte${skip === 3 ? "" : "s"} its "#" padding leaves`;
      throw new InvalidZ85Error(start, `the group ${group} at position ${start} does not fit in ${room}`);
    }
    if (skip === 0) {
      view.setUint32((start / 5) * 4, value);
    } else {
      for (let b = 0; b < 4 - skip; b++) {
        out[(start / 5) * 4 + b] = (value >>> (8 * (3 - skip - b))) & 0xff;
      }
    }
  }
  return out;
}

/**
 * Encodes bytes in Spark's form: zero-padded to a multiple of 4, 5 characters per 4 bytes, so
 * `decodeZ85(encodeZ85(b)).subarray(0, b.length)` equals `b`. Never throws.
 */
export function encodeZ85(bytes: Uint8Array): string {
  const padded = new Uint8Array(Math.ceil(bytes.length / 4) * 4);
  padded.set(bytes);
  const view = new DataView(padded.buffer);
  let text = "";
  for (let offset = 0; offset < padded.length; offset += 4) {
    let value = view.getUint32(offset);
    let group = "";
    for (let i = 0; i < 5; i++) {
      group = Z85_ALPHABET.charAt(value % 85) + group;
      value = Math.floor(value / 85);
    }
    text += group;
  }
  return text;
}

const DIGITS: ReadonlyMap<string, number> = new Map([...Z85_ALPHABET].map((char, digit) => [char, digit]));

/** The number of `#` (1 to 3) opening the final group when it uses the Rust tail padding, else 0. */
function leadingHashes(text: string, groupStart: number): number {
  let count = 0;
  while (count < 3 && text[groupStart + count] === "#") count++;
  return count;
}

function digitAt(text: string, index: number): number {
  const char = text.charAt(index);
  const digit = DIGITS.get(char);
  if (digit === undefined) {
    throw new InvalidZ85Error(
      index,
      `the character ${JSON.stringify(char)} at position ${index} is not in the Z85 alphabet`,
    );
  }
  return digit;
}
