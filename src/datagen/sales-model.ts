/**
 * Everything a sales chunk needs to be generated on its own, as plain numbers and typed arrays so it
 * can be handed to worker threads: the calendar, which rows go to which file, product prices and
 * popularity per category, store weights per channel, and the customer popularity permutation.
 */
import { DAY_COUNT, dayOfRow, dayStarts } from "./calendar.ts";
import type { Location } from "./locations.ts";
import { regionIndex } from "./locations.ts";
import { REGIONS } from "./places.ts";
import { CATEGORIES } from "./product-catalog.ts";
import type { Product } from "./products.ts";
import { cumulativeWeights, Rng, STREAM } from "./rng.ts";

/** Rows per chunk: each chunk is generated from its own random stream, on any thread. */
export const CHUNK_ROWS = 100_000;

/** The inputs of sales generation (see the module header). */
export interface SalesModel {
  readonly seed: number;
  readonly rows: number;
  readonly customers: number;
  /** Customer popularity rank r maps to customer number `(r * customerStride + customerOffset) % customers + 1`. */
  readonly customerStride: number;
  readonly customerOffset: number;
  readonly products: number;
  /** List price in cents per product index (number - 1). */
  readonly listCents: Int32Array;
  /** Product indices of each category, most popular first: category c is `categoryStart[c] .. categoryStart[c + 1] - 1`. */
  readonly categoryProducts: Int32Array;
  readonly categoryStart: Int32Array;
  /** Probability of one more unit on a line, per category. */
  readonly moreUnits: Float64Array;
  /** Cumulative category weights per region: region r is `regionCategories[r * categories ..]`. */
  readonly regionCategories: Float64Array;
  readonly locations: number;
  /** Region index per location index. */
  readonly locationRegion: Uint8Array;
  readonly storeLocations: Int32Array;
  readonly storeWeights: Float64Array;
  readonly onlineLocations: Int32Array;
  readonly onlineWeights: Float64Array;
  /** Where each day's rows start (see `dayStarts`). */
  readonly dayStarts: Float64Array;
  /** Where each sales file's rows start: `files + 1` row numbers, the last `rows`. */
  readonly fileStarts: Float64Array;
}

/** The model for `rows` sales rows over the given dimensions, split into `files` files. */
export function buildSalesModel(
  seed: number,
  rows: number,
  files: number,
  customers: number,
  products: readonly Product[],
  locations: readonly Location[],
): SalesModel {
  const rng = new Rng(seed, STREAM.salesModel);
  const starts = dayStarts(seed, rows);
  const stores = locations.filter((l) => l.storeType !== "online");
  const online = locations.filter((l) => l.storeType === "online");
  return {
    seed,
    rows,
    customers,
    customerStride: coprimeStride(rng, customers),
    customerOffset: rng.int(customers),
    products: products.length,
    listCents: Int32Array.from(products, (p) => p.listCents),
    ...categoryPopularity(rng, products),
    moreUnits: Float64Array.from(CATEGORIES, (c) => c.moreUnits),
    regionCategories: regionCategoryWeights(),
    locations: locations.length,
    locationRegion: Uint8Array.from(locations, regionIndex),
    storeLocations: Int32Array.from(stores, (l) => l.number - 1),
    storeWeights: cumulativeWeights(stores.map((l) => l.salesWeight)),
    onlineLocations: Int32Array.from(online, (l) => l.number - 1),
    onlineWeights: cumulativeWeights(online.map((l) => l.salesWeight)),
    dayStarts: starts,
    fileStarts: fileStarts(starts, rows, files),
  };
}

/** How many chunks the model's rows make. */
export function chunkCount(model: SalesModel): number {
  return Math.ceil(model.rows / CHUNK_ROWS);
}

/**
 * File boundaries at day boundaries, so every day is in one file and files follow each other in date
 * order: boundary k is the first day start at or after k × rows / files. A file can be empty when one
 * day alone holds more than rows / files rows.
 */
function fileStarts(days: Float64Array, rows: number, files: number): Float64Array {
  const out = new Float64Array(files + 1);
  for (let k = 1; k < files; k++) {
    const target = Math.round((k * rows) / files);
    const day = dayOfRow(days, target);
    // days[day] <= target; move to the next day start unless target is one.
    const start = days[day] === target ? target : (days[Math.min(day + 1, DAY_COUNT)] as number);
    out[k] = Math.max(out[k - 1] as number, start);
  }
  out[files] = rows;
  return out;
}

function categoryPopularity(rng: Rng, products: readonly Product[]) {
  const byCategory: number[][] = CATEGORIES.map(() => []);
  for (const [i, p] of products.entries()) byCategory[p.category]?.push(i);
  for (const members of byCategory) shuffle(rng, members);
  const categoryStart = new Int32Array(CATEGORIES.length + 1);
  byCategory.forEach((members, c) => {
    categoryStart[c + 1] = (categoryStart[c] as number) + members.length;
  });
  return { categoryProducts: Int32Array.from(byCategory.flat()), categoryStart };
}

function regionCategoryWeights(): Float64Array {
  const out = new Float64Array(REGIONS.length * CATEGORIES.length);
  REGIONS.forEach((region, r) => {
    let sum = 0;
    CATEGORIES.forEach((c, i) => {
      sum += c.catalogShare * c.regionMix[region];
      out[r * CATEGORIES.length + i] = sum;
    });
  });
  return out;
}

/** A multiplier coprime with `n`, so rank → (rank × stride) mod n is a permutation. */
function coprimeStride(rng: Rng, n: number): number {
  let stride = 1 + rng.int(Math.max(1, n - 1));
  while (gcd(stride, n) !== 1) stride = (stride % n) + 1;
  return stride;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function shuffle(rng: Rng, items: number[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = items[i] as number;
    items[i] = items[j] as number;
    items[j] = t;
  }
}
