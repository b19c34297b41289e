/**
 * The generator's only source of randomness: xoshiro128** seeded by hashing (seed, stream, index), so
 * every chunk of every file draws from its own independent stream and can be generated on any thread,
 * in any order, with the same result. Only 32-bit integer arithmetic, so the output is the same on
 * every platform.
 */

/** Stream numbers: one per kind of thing generated, so the streams never overlap. */
export const STREAM = {
  calendar: 1,
  customers: 2,
  products: 3,
  locations: 4,
  salesModel: 5,
  sales: 6,
  dirt: 7,
} as const;

/** A seeded pseudo-random number generator (xoshiro128**); not for cryptography. */
export class Rng {
  private readonly s = new Int32Array(4);

  /** The stream for (`seed`, `stream`, `index`); equal arguments give equal sequences. */
  constructor(seed: number, stream: number, index = 0) {
    const key = fmix32(seed ^ fmix32(Math.imul(stream, 0x9e3779b9) ^ fmix32(index + 0x632be5ab)));
    for (let i = 0; i < 4; i++) this.s[i] = fmix32(key + Math.imul(i + 1, 0x9e3779b9));
    if (this.s.every((word) => word === 0)) this.s[0] = 1;
  }

  /** The next value as an unsigned 32-bit integer. */
  next(): number {
    const s = this.s;
    const s0 = s[0] as number;
    const s1 = s[1] as number;
    const s2 = s[2] as number;
    const s3 = s[3] as number;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    s[0] = s0 ^ n3;
    s[1] = s1 ^ n2;
    s[2] = n2 ^ t;
    s[3] = rotl(n3, 11);
    return result >>> 0;
  }

  /** A float in [0, 1). */
  float(): number {
    return this.next() * 2.3283064365386963e-10;
  }

  /** A whole number in [0, n) for 0 < n <= 2^32. */
  int(n: number): number {
    return Math.floor(this.next() * 2.3283064365386963e-10 * n);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() * 2.3283064365386963e-10 < p;
  }

  /** A uniformly chosen element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    // int(length) < length, so the index is always in range for a non-empty array.
    return items[this.int(items.length)] as T;
  }

  /** The index drawn from cumulative weights `cumulative` (ascending, last = total), by binary search. */
  weighted(cumulative: ArrayLike<number>): number {
    const target = this.float() * (cumulative[cumulative.length - 1] as number);
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid] as number) > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/** Running sums of `weights`, the form `Rng.weighted` draws from. */
export function cumulativeWeights(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    sum += weights[i] as number;
    out[i] = sum;
  }
  return out;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** MurmurHash3's finaliser: a bijective 32-bit mix. */
function fmix32(h: number): number {
  let x = h | 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x;
}
