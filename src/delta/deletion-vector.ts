/**
 * Deletion vectors: the descriptor an `add`/`remove` action carries, its derived fields, and reading
 * the set of deleted row indexes it stands for ("Deletion Vectors", "Deletion Vector Descriptor
 * Schema", "Deletion Vector Format", "Deletion Vector File Storage Format"). Reads go through the
 * `ObjectStore` of the table root; every check the format allows (size field, CRC-32, cardinality) is
 * made, and failures are `DeletionVectorError`s naming the table, the vector and the reason.
 */
import { ObjectNotFoundError, type ObjectStore } from "../storage/index.ts";
import { DeltaError } from "./errors.ts";
import { InvalidRoaringBitmapError, parseRoaringBitmapArray } from "./roaring-bitmap.ts";
import { decodeZ85, InvalidZ85Error } from "./z85.ts";

/** The `deletionVector` field of an `add` or `remove` action, as found in the log (nulls included). */
export interface DeletionVectorDescriptor {
  /** `u`: file named by a UUID under the table root; `i`: inline in the log; `p`: absolute path. */
  readonly storageType: "u" | "i" | "p";
  /** `[prefix]` + 20-char Z85 UUID (`u`), Z85 bitmap bytes (`i`) or an absolute URI (`p`). */
  readonly pathOrInlineDv: string;
  /** Byte offset of the vector's size field in its file; absent means 0, always absent for `i`. */
  readonly offset?: number | null;
  /** Size of the serialized bitmap in bytes (before Z85 encoding when inline). */
  readonly sizeInBytes: number;
  /** The number of rows the vector deletes. */
  readonly cardinality: number;
  /** Optional largest row index, informational only. */
  readonly maxRowIndex?: number | null;
}

/**
 * The row indexes a deletion vector deletes, ascending and without duplicates. Row indexes are 64-bit
 * in the protocol and held here as doubles, exact below 2^53 (parsing rejects larger ones). Immutable.
 */
export class DeletedRows implements Iterable<number> {
  /** The empty set: the rows deleted from a file without a deletion vector. */
  static readonly NONE: DeletedRows = new DeletedRows(new Float64Array(0));

  private constructor(private readonly rows: Float64Array) {}

  /**
   * Wraps strictly ascending row indexes; the array is kept, not copied, so the caller must not change it.
   * @throws RangeError when the indexes are not strictly ascending non-negative integers.
   */
  static fromSorted(rows: Float64Array): DeletedRows {
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] ?? Number.NaN;
      if (!Number.isSafeInteger(row) || row < 0 || (i > 0 && row <= (rows[i - 1] ?? row))) {
        throw new RangeError(`row index ${row} at position ${i} is not strictly ascending`);
      }
    }
    return new DeletedRows(rows);
  }

  /** The number of deleted rows. */
  get size(): number {
    return this.rows.length;
  }

  /** Whether the row with this index (0-based position in the data file) is deleted; O(log n). */
  has(rowIndex: number): boolean {
    let low = 0;
    let high = this.rows.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const row = this.rows[middle] ?? Number.NaN;
      if (row === rowIndex) return true;
      if (row < rowIndex) low = middle + 1;
      else high = middle - 1;
    }
    return false;
  }

  /** A copy of the deleted row indexes, ascending. */
  toArray(): Float64Array {
    return this.rows.slice();
  }

  /** The deleted row indexes, ascending. */
  [Symbol.iterator](): Iterator<number> {
    return this.rows[Symbol.iterator]();
  }
}

/** A descriptor that names no readable vector (a `u` path without a valid UUID, an unknown type). */
export class InvalidDeletionVectorDescriptorError extends DeltaError {
  constructor(
    readonly descriptor: DeletionVectorDescriptor,
    readonly reason: string,
  ) {
    super(`Invalid deletion vector descriptor ${JSON.stringify(descriptor)}: ${reason}`);
  }
}

/** A deletion vector of the table at `location` could not be read; `reason` says why. */
export class DeletionVectorError extends DeltaError {
  constructor(
    readonly location: string,
    readonly descriptor: DeletionVectorDescriptor,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`Cannot read ${describe(descriptor)} of the Delta table at ${location}: ${reason}`, options);
  }
}

/**
 * The spec's `uniqueId`: `<storageType><pathOrInlineDv>`, plus `@<offset>` when an offset is set.
 * Log replay keys a logical file by its path together with this id. Never throws.
 */
export function deletionVectorUniqueId(dv: DeletionVectorDescriptor): string {
  const id = `${dv.storageType}${dv.pathOrInlineDv}`;
  return dv.offset === undefined || dv.offset === null ? id : `${id}@${dv.offset}`;
}

/**
 * Where the vector's file is. For `u` the key relative to the table root,
 * `[<prefix>/]deletion_vector_<uuid>.bin`, the prefix being whatever precedes the final 20 characters;
 * for `p` the absolute path exactly as the log gives it (a URI the caller resolves); for `i`
 * `undefined`, as an inline vector has no file.
 * @throws InvalidDeletionVectorDescriptorError when a `u` path does not end in a Z85-encoded UUID.
 */
export function deletionVectorFileKey(dv: DeletionVectorDescriptor): string | undefined {
  if (dv.storageType === "i") return undefined;
  if (dv.storageType === "p") return dv.pathOrInlineDv;
  if (dv.storageType !== "u") {
    throw new InvalidDeletionVectorDescriptorError(
      dv,
      `unknown storage type ${JSON.stringify(dv.storageType)}`,
    );
  }
  const text = dv.pathOrInlineDv;
  if (text.length < 20) {
    throw new InvalidDeletionVectorDescriptorError(dv, "a 'u' path must end in a 20-character Z85 UUID");
  }
  let uuid: Uint8Array;
  try {
    uuid = decodeZ85(text.slice(-20));
  } catch (error) {
    if (!(error instanceof InvalidZ85Error)) throw error;
    throw new InvalidDeletionVectorDescriptorError(dv, `its UUID is not valid Z85: ${error.reason}`);
  }
  const hex = Array.from(uuid, (byte) => byte.toString(16).padStart(2, "0")).join("");
  const name = `deletion_vector_${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}.bin`;
  const prefix = text.slice(0, -20);
  return prefix === "" ? name : `${prefix}/${name}`;
}

/**
 * Reads the rows `dv` deletes, with `store` rooted at the table root. Inline vectors are decoded from
 * the log (either Z85 form); file vectors are read with one ranged get from `offset`, and the size
 * field, the version byte (when the vector is the file's first), the CRC-32 and the cardinality are
 * checked. A `p` vector must lie under the store's location.
 * @throws DeletionVectorError for a missing file, a truncated or corrupt vector, a checksum or size
 *   mismatch, a cardinality other than the log's, or an invalid descriptor (the cause says more).
 *   Errors of the store other than a missing object propagate unchanged.
 */
export async function readDeletionVector(
  store: ObjectStore,
  dv: DeletionVectorDescriptor,
): Promise<DeletedRows> {
  const fail = (reason: string, cause?: unknown) =>
    new DeletionVectorError(store.location, dv, reason, cause === undefined ? undefined : { cause });
  try {
    const bitmap = dv.storageType === "i" ? decodeInline(dv, fail) : await readFramed(store, dv, fail);
    const rows = parseRoaringBitmapArray(bitmap);
    if (rows.length !== dv.cardinality) {
      const where = dv.storageType === "i" ? "the inline bitmap" : "the file";
      throw fail(`cardinality ${dv.cardinality} in the log but ${rows.length} in ${where}`);
    }
    return DeletedRows.fromSorted(rows);
  } catch (error) {
    if (error instanceof InvalidZ85Error) throw fail(`invalid Z85 text: ${error.reason}`, error);
    if (error instanceof InvalidRoaringBitmapError) {
      throw fail(`invalid bitmap at byte ${error.offset}: ${error.reason}`, error);
    }
    if (error instanceof InvalidDeletionVectorDescriptorError) throw fail(error.reason, error);
    throw error;
  }
}

/** CRC-32 (IEEE 802.3, as `java.util.zip.CRC32`) of `bytes`, as an unsigned 32-bit number. */
export function crc32(bytes: Uint8Array): number {
  CRC_TABLE ??= Uint32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c;
  });
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

let CRC_TABLE: Uint32Array | undefined;

type Fail = (reason: string, cause?: unknown) => DeletionVectorError;

function decodeInline(dv: DeletionVectorDescriptor, fail: Fail): Uint8Array {
  const bytes = decodeZ85(dv.pathOrInlineDv);
  if (bytes.length < dv.sizeInBytes) {
    throw fail(`the inline text decodes to ${bytes.length} bytes, fewer than sizeInBytes ${dv.sizeInBytes}`);
  }
  return bytes.subarray(0, dv.sizeInBytes);
}

async function readFramed(store: ObjectStore, dv: DeletionVectorDescriptor, fail: Fail): Promise<Uint8Array> {
  const key = fileKeyInStore(store, dv, fail);
  const offset = dv.offset ?? 0;
  const size = dv.sizeInBytes;
  // The first vector of a file sits right after the version byte: fetch that byte too and check it.
  const start = offset === 1 ? 0 : offset;
  const length = offset - start + 4 + size + 4;
  let bytes: Uint8Array;
  try {
    bytes = await store.getRange(key, start, start + length);
  } catch (error) {
    if (error instanceof ObjectNotFoundError) throw fail("file not found", error);
    throw error;
  }
  if (offset === 1 && bytes[0] !== 1) {
    throw fail(`unsupported deletion vector file format version ${bytes[0]} (only 1 is known)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const base = offset - start;
  if (bytes.length >= base + 4 && view.getUint32(base) !== size) {
    throw fail(`the size field says ${view.getUint32(base)} bytes but the log says sizeInBytes ${size}`);
  }
  if (bytes.length < length) {
    throw fail(
      `the file ends after ${start + bytes.length} bytes, before the vector's end at ${start + length}`,
    );
  }
  const bitmap = bytes.subarray(base + 4, base + 4 + size);
  const stored = view.getUint32(base + 4 + size);
  const computed = crc32(bitmap);
  if (stored !== computed) {
    throw fail(
      `checksum mismatch: the file stores CRC-32 ${hex32(stored)}, the bitmap hashes to ${hex32(computed)}`,
    );
  }
  return bitmap;
}

/** The store key of a `u` or `p` vector; a `p` path must lie under the store's location. */
function fileKeyInStore(store: ObjectStore, dv: DeletionVectorDescriptor, fail: Fail): string {
  // Only inline vectors have no file key, and they are never read from a file.
  if (dv.storageType !== "p") return deletionVectorFileKey(dv) ?? "";
  const root = `${decodeUri(store.location).replace(/\/+$/, "")}/`;
  const path = decodeUri(dv.pathOrInlineDv);
  if (!path.startsWith(root)) {
    throw fail(
      `its absolute path ${dv.pathOrInlineDv} is outside the table; only paths under it can be read`,
    );
  }
  return path.slice(root.length);
}

/** Percent-decodes a URI once (as `add.path` is); text that is not valid percent-encoding stays as is. */
function decodeUri(uri: string): string {
  try {
    return decodeURIComponent(uri);
  } catch {
    return uri;
  }
}

function hex32(value: number): string {
  return `0x${value.toString(16).padStart(8, "0")}`;
}

function describe(dv: DeletionVectorDescriptor): string {
  if (dv.storageType === "i") return `the inline deletion vector (${dv.sizeInBytes} bytes)`;
  let file: string;
  try {
    file = deletionVectorFileKey(dv) ?? dv.pathOrInlineDv;
  } catch {
    file = dv.pathOrInlineDv;
  }
  return `the deletion vector at offset ${dv.offset ?? 0} of ${file}`;
}
