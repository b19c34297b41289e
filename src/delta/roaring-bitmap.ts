/**
 * Parsing of the RoaringBitmap serializations a deletion vector is made of ("Deletion Vector Format"):
 * Delta's `RoaringBitmapArray` framing (a magic number, then a portable 64-bit bitmap), the portable
 * 64-bit format (buckets keyed by the high 32 bits) and the standard 32-bit portable format with its
 * array, bitset and run containers (https://github.com/RoaringBitmap/RoaringFormatSpec).
 * All numbers are little-endian. Parsing validates as it goes, so a result is always a strictly
 * ascending set; nothing here does I/O.
 */
import { DeltaError } from "./errors.ts";

/** The magic number opening Delta's serialized bitmap ("Deletion Vector Format"). */
export const ROARING_BITMAP_ARRAY_MAGIC = 1681511377;

/** The bytes are not a valid bitmap; `offset` is where in the input the problem was found. */
export class InvalidRoaringBitmapError extends DeltaError {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`Invalid RoaringBitmap at byte ${offset}: ${reason}`);
  }
}

/**
 * Parses Delta's bitmap: the magic number, then a portable 64-bit RoaringBitmap that must fill the
 * rest of `bytes` exactly. Returns the row indexes in strictly ascending order.
 * @throws InvalidRoaringBitmapError on a wrong magic number, malformed or truncated data, trailing
 *   bytes, or row indexes of 2^53 and above (which a JavaScript number cannot hold exactly).
 */
export function parseRoaringBitmapArray(bytes: Uint8Array): Float64Array {
  const reader = new Reader(bytes);
  const magic = reader.u32(0);
  if (magic !== ROARING_BITMAP_ARRAY_MAGIC) {
    throw new InvalidRoaringBitmapError(0, `magic number ${magic} is not ${ROARING_BITMAP_ARRAY_MAGIC}`);
  }
  const { values, end } = parseRoaringBitmap64(bytes, 4);
  if (end !== bytes.length) {
    throw new InvalidRoaringBitmapError(end, `${bytes.length - end} unexpected bytes after the bitmap`);
  }
  return values;
}

/**
 * Parses a portable 64-bit RoaringBitmap starting at `offset`: a 64-bit bucket count, then per bucket
 * its high 32 bits and a 32-bit bitmap of the low bits. Returns the values ascending and the offset
 * just past the bitmap.
 * @throws InvalidRoaringBitmapError as {@link parseRoaringBitmapArray} does.
 */
export function parseRoaringBitmap64(bytes: Uint8Array, offset = 0): { values: Float64Array; end: number } {
  const reader = new Reader(bytes);
  const buckets = reader.u32(offset);
  if (reader.u32(offset + 4) !== 0) {
    throw new InvalidRoaringBitmapError(offset, "the bucket count does not fit in 32 bits");
  }
  let position = offset + 8;
  let previousKey = -1;
  const parts: Float64Array[] = [];
  for (let bucket = 0; bucket < buckets; bucket++) {
    const key = reader.u32(position);
    if (key <= previousKey) {
      throw new InvalidRoaringBitmapError(position, `bucket key ${key} does not follow ${previousKey}`);
    }
    if (key >= 2 ** 21) {
      throw new InvalidRoaringBitmapError(position, `bucket key ${key} holds row indexes of 2^53 and above`);
    }
    previousKey = key;
    const { values, end } = parseRoaringBitmap32(bytes, position + 4);
    const high = key * 2 ** 32;
    parts.push(Float64Array.from(values, (low) => high + low));
    position = end;
  }
  const values = new Float64Array(parts.reduce((sum, part) => sum + part.length, 0));
  let filled = 0;
  for (const part of parts) {
    values.set(part, filled);
    filled += part.length;
  }
  return { values, end: position };
}

/**
 * Parses a standard 32-bit portable RoaringBitmap starting at `offset`, with or without the
 * run-container cookie. Returns the values ascending and the offset just past the bitmap (the
 * containers are read in sequence; the optional offset header is skipped).
 * @throws InvalidRoaringBitmapError on an unknown cookie, malformed or truncated data.
 */
export function parseRoaringBitmap32(bytes: Uint8Array, offset = 0): { values: Uint32Array; end: number } {
  const reader = new Reader(bytes);
  const cookie = reader.u32(offset);
  let containers: number;
  let runFlags: Uint8Array | undefined;
  let position: number;
  if ((cookie & 0xffff) === SERIAL_COOKIE) {
    containers = (cookie >>> 16) + 1;
    runFlags = reader.bytes(offset + 4, (containers + 7) >>> 3);
    position = offset + 4 + runFlags.length;
  } else if (cookie === SERIAL_COOKIE_NO_RUNCONTAINER) {
    containers = reader.u32(offset + 4);
    if (containers > 65536) {
      throw new InvalidRoaringBitmapError(offset + 4, `${containers} containers is more than 65536`);
    }
    position = offset + 8;
  } else {
    throw new InvalidRoaringBitmapError(offset, `unknown cookie ${cookie}`);
  }
  const headerStart = position;
  let total = 0;
  for (let i = 0; i < containers; i++) {
    const key = reader.u16(headerStart + 4 * i);
    if (i > 0 && key <= reader.u16(headerStart + 4 * (i - 1))) {
      throw new InvalidRoaringBitmapError(headerStart + 4 * i, `container key ${key} is out of order`);
    }
    total += reader.u16(headerStart + 4 * i + 2) + 1;
  }
  position = headerStart + 4 * containers;
  if (runFlags === undefined || containers >= NO_OFFSET_THRESHOLD) position += 4 * containers;

  const values = new Uint32Array(total);
  let filled = 0;
  for (let i = 0; i < containers; i++) {
    const high = reader.u16(headerStart + 4 * i) * 65536;
    const cardinality = reader.u16(headerStart + 4 * i + 2) + 1;
    const start = position;
    const isRun = runFlags !== undefined && ((runFlags[i >>> 3] ?? 0) & (1 << (i & 7))) !== 0;
    let count = 0;
    if (isRun) {
      const runs = reader.u16(position);
      position += 2;
      let next = 0;
      for (let r = 0; r < runs; r++, position += 4) {
        const first = reader.u16(position);
        const last = first + reader.u16(position + 2);
        if (first < next || last > 0xffff) {
          throw new InvalidRoaringBitmapError(position, `run ${first}..${last} overlaps or overflows`);
        }
        for (let v = first; v <= last; v++, count++) {
          if (count < cardinality) values[filled + count] = high + v;
        }
        next = last + 1;
      }
    } else if (cardinality <= ARRAY_CONTAINER_MAX) {
      for (let previous = -1; count < cardinality; count++, position += 2) {
        const low = reader.u16(position);
        if (low <= previous)
          throw new InvalidRoaringBitmapError(position, `array value ${low} is out of order`);
        values[filled + count] = high + low;
        previous = low;
      }
    } else {
      for (let word = 0; word < 2048; word++, position += 4) {
        for (let bits = reader.u32(position); bits !== 0; bits &= bits - 1, count++) {
          if (count < cardinality)
            values[filled + count] = high + word * 32 + (31 - Math.clz32(bits & -bits));
        }
      }
    }
    if (count !== cardinality) {
      throw new InvalidRoaringBitmapError(
        start,
        `container ${i} holds ${count} values but its header says ${cardinality}`,
      );
    }
    filled += count;
  }
  return { values, end: position };
}

const SERIAL_COOKIE_NO_RUNCONTAINER = 12346;
const SERIAL_COOKIE = 12347;
const NO_OFFSET_THRESHOLD = 4;
const ARRAY_CONTAINER_MAX = 4096;

/** Bounds-checked little-endian reads that report truncation with the offset. */
class Reader {
  private readonly view: DataView;
  constructor(private readonly input: Uint8Array) {
    this.view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  }
  u16(offset: number): number {
    this.need(offset, 2);
    return this.view.getUint16(offset, true);
  }
  u32(offset: number): number {
    this.need(offset, 4);
    return this.view.getUint32(offset, true);
  }
  bytes(offset: number, length: number): Uint8Array {
    this.need(offset, length);
    return this.input.subarray(offset, offset + length);
  }
  private need(offset: number, length: number): void {
    if (offset + length > this.input.length) {
      throw new InvalidRoaringBitmapError(
        offset,
        `truncated: ${length} bytes needed, ${Math.max(0, this.input.length - offset)} left`,
      );
    }
  }
}
