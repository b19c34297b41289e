/** The byte-range rule every store's `getRange` shares, so they all clamp and refuse alike. */

/**
 * Clamps `[start, end)` to an object of `size` bytes: `end` past the object stops at its end, and a
 * range that starts at or after `end` or past the object is empty. Returns `[from, to)` with
 * `0 <= from <= to <= size`.
 * @throws RangeError when `start` is not a non-negative integer, or `end` neither that nor `Infinity`.
 */
export function clampRange(start: number, end: number, size: number): [from: number, to: number] {
  const validStart = Number.isInteger(start) && start >= 0;
  const validEnd = (Number.isInteger(end) && end >= 0) || end === Number.POSITIVE_INFINITY;
  if (!validStart || !validEnd) {
    throw new RangeError(`Invalid byte range [${start}, ${end}): offsets must be non-negative integers`);
  }
  const from = Math.min(start, size);
  return [from, Math.max(from, Math.min(end, size))];
}
