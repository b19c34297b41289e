/**
 * Writes CSV text straight into a byte buffer: ASCII digits, pre-encoded UTF-8 pieces and RFC 4180
 * quoting, with no per-row strings (a string-building generator spends most of its time in GC).
 */

const ZERO = 48;
const MINUS = 45;
const DOT = 46;
const encoder = new TextEncoder();

/** An append-only byte buffer with a write position; `ensure` grows it when asked. */
export class ByteWriter {
  /** The bytes; valid up to `pos`. */
  buf: Uint8Array;
  /** How many bytes are written. */
  pos = 0;

  /** A writer with room for `capacity` bytes. */
  constructor(capacity: number) {
    this.buf = new Uint8Array(capacity);
  }

  /** Makes room for `bytes` more bytes (a writer whose callers bound their rows can skip this). */
  ensure(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.pos + bytes));
    grown.set(this.buf.subarray(0, this.pos));
    this.buf = grown;
  }

  /** One byte (an ASCII character code). */
  byte(b: number): void {
    this.buf[this.pos++] = b;
  }

  /** Raw bytes, e.g. a field pre-encoded with `csvBytes`. */
  bytes(src: Uint8Array): void {
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < src.length; i++) buf[pos++] = src[i] as number;
    this.pos = pos;
  }

  /** `text` as a CSV field in UTF-8 (see `csvField`); grows the buffer as needed. */
  field(text: string): void {
    const field = csvField(text);
    this.ensure(field.length * 3);
    this.pos += encoder.encodeInto(field, this.buf.subarray(this.pos)).written;
  }

  /** A copy of bytes `start..end` already written, appended (used for duplicate lines). */
  repeat(start: number, end: number): void {
    this.buf.copyWithin(this.pos, start, end);
    this.pos += end - start;
  }

  /** A whole number >= 0 as exactly `width` digits, zero-padded (`digits(42, 5)` is `00042`). */
  digits(n: number, width: number): void {
    const buf = this.buf;
    let v = n;
    for (let i = this.pos + width - 1; i >= this.pos; i--) {
      const q = Math.floor(v / 10);
      buf[i] = ZERO + (v - q * 10);
      v = q;
    }
    this.pos += width;
  }

  /** A whole number (possibly negative) in as few digits as it needs. */
  int(n: number): void {
    let v = n;
    if (v < 0) {
      this.buf[this.pos++] = MINUS;
      v = -v;
    }
    let width = 1;
    for (let p = 10; p <= v; p *= 10) width++;
    this.digits(v, width);
  }

  /** An amount in cents as a decimal with two places (`cents(-1999)` is `-19.99`). */
  cents(c: number): void {
    let v = c;
    if (v < 0) {
      this.buf[this.pos++] = MINUS;
      v = -v;
    }
    const whole = Math.floor(v / 100);
    this.int(whole);
    this.buf[this.pos++] = DOT;
    this.digits(v - whole * 100, 2);
  }

  /** The written bytes (a view, not a copy). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}

/** `text` as a CSV field: quoted, with quotes doubled, when it holds a comma, quote or line break. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** `text` as the UTF-8 bytes of a CSV field (see `csvField`). */
export function csvBytes(text: string): Uint8Array {
  return encoder.encode(csvField(text));
}

/** The UTF-8 bytes of `text` as is (no quoting). */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}
