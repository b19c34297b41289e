/**
 * The product dimension: `buildProducts` draws the catalogue from a seed, `productsCsv` writes it as
 * products.csv. Sales read list prices and categories from the same catalogue.
 */
import { ByteWriter, utf8 } from "./byte-writer.ts";
import { CATEGORIES } from "./product-catalog.ts";
import { cumulativeWeights, Rng, STREAM } from "./rng.ts";

/** The header of products.csv. */
export const PRODUCTS_HEADER = "product_id,product_name,category,subcategory,brand,list_price,unit_cost";

/** One product; its id is `P` + `number` as 5 digits. */
export interface Product {
  readonly number: number;
  readonly name: string;
  /** Index into `CATEGORIES`. */
  readonly category: number;
  readonly subcategory: string;
  readonly brand: string;
  readonly listCents: number;
  /** Always below `listCents`. */
  readonly costCents: number;
}

/** The catalogue of `count` products for `seed`; every category has at least one product when count >= 8. */
export function buildProducts(seed: number, count: number): Product[] {
  const rng = new Rng(seed, STREAM.products);
  const shares = cumulativeWeights(CATEGORIES.map((c) => c.catalogShare));
  const products: Product[] = [];
  for (let i = 0; i < count; i++) {
    const categoryIndex = i < CATEGORIES.length ? i : rng.weighted(shares);
    // categoryIndex comes from the CATEGORIES' own indices.
    const category = CATEGORIES[categoryIndex] as (typeof CATEGORIES)[number];
    const sub = rng.pick(category.subcategories);
    const brand = rng.pick(category.brands);
    const item = rng.pick(sub.items);
    const name = rng.chance(0.35) ? `${brand} ${item}, ${rng.pick(category.variants)}` : `${brand} ${item}`;
    const listCents = listPrice(rng, sub.price[0], sub.price[1]);
    const [low, high] = category.costRatio;
    const cost = Math.round(listCents * (low + rng.float() * (high - low)));
    products.push({
      number: i + 1,
      name,
      category: categoryIndex,
      subcategory: sub.name,
      brand,
      listCents,
      costCents: Math.max(1, Math.min(cost, listCents - 1)),
    });
  }
  return products;
}

/** products.csv: the header and one line per product. */
export function productsCsv(products: readonly Product[]): Uint8Array {
  const w = new ByteWriter(products.length * 120 + 128);
  w.bytes(utf8(`${PRODUCTS_HEADER}\n`));
  for (const p of products) {
    w.ensure(64);
    w.byte(80); // P
    w.digits(p.number, 5);
    w.byte(44);
    w.field(p.name);
    w.byte(44);
    // p.category is an index into CATEGORIES (see buildProducts).
    w.field((CATEGORIES[p.category] as (typeof CATEGORIES)[number]).name);
    w.byte(44);
    w.field(p.subcategory);
    w.byte(44);
    w.field(p.brand);
    w.ensure(32);
    w.byte(44);
    w.cents(p.listCents);
    w.byte(44);
    w.cents(p.costCents);
    w.byte(10);
  }
  return w.view();
}

/** A list price in cents, log-uniform in [low, high] units, with the usual .99 / .49 / .00 endings. */
function listPrice(rng: Rng, low: number, high: number): number {
  const whole = Math.max(1, Math.floor(low * Math.exp(rng.float() * Math.log(high / low))));
  const ending = rng.float();
  return whole * 100 + (ending < 0.6 ? 99 : ending < 0.8 ? 49 : 0);
}
