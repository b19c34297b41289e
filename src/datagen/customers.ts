/**
 * The customer dimension, written straight to customers.csv bytes: names from the name culture of
 * the customer's city (`Müller` in Berlin, `O'Brien` in Dublin, `João` in São Paulo), an ASCII email
 * address that is unique per customer, a birth date (2 % empty), a signup date skewed to later years.
 */
import { ByteWriter, csvBytes, utf8 } from "./byte-writer.ts";
import { daysFromCivil, writeIsoDate } from "./calendar.ts";
import { asciiName, NAME_POOLS } from "./person-names.ts";
import { type NameCulture, PLACES } from "./places.ts";
import { cumulativeWeights, Rng, STREAM } from "./rng.ts";

/** The header of customers.csv. */
export const CUSTOMERS_HEADER = "customer_id,first_name,last_name,email,birth_date,signup_date,city,country";

/** customers.csv and what is worth counting in it. */
export interface CustomersFile {
  readonly bytes: Uint8Array;
  /** Rows whose birth_date is empty. */
  readonly emptyBirthDates: number;
}

/** A name as the bytes of its CSV field and of its email-address form. */
interface EncodedName {
  readonly field: Uint8Array;
  readonly ascii: Uint8Array;
}

const BIRTH_FIRST = daysFromCivil(1940, 1, 1);
const BIRTH_SPAN = daysFromCivil(2006, 12, 31) - BIRTH_FIRST + 1;
const SIGNUP_FIRST = daysFromCivil(2016, 1, 1);
const SIGNUP_SPAN = daysFromCivil(2024, 12, 31) - SIGNUP_FIRST + 1;
const DOMAINS = ["@example.com", "@example.net", "@example.org"].map(utf8);

/** customers.csv for `count` customers (ids C0000001 … in order). */
export function customersCsv(seed: number, count: number): CustomersFile {
  const rng = new Rng(seed, STREAM.customers);
  const cities = cumulativeWeights(PLACES.map((p) => p.weight));
  const placeBytes = PLACES.map((p) => ({ city: csvBytes(p.city), country: csvBytes(p.country) }));
  const names = encodedNames();
  const w = new ByteWriter(count * 120 + 128);
  w.bytes(utf8(`${CUSTOMERS_HEADER}\n`));
  let emptyBirthDates = 0;
  for (let i = 0; i < count; i++) {
    const placeIndex = rng.weighted(cities);
    // weighted() returns an index of the arrays it was built from (PLACES, placeBytes).
    const place = PLACES[placeIndex] as (typeof PLACES)[number];
    const pool = names[place.culture];
    const first = rng.pick(pool.first);
    const last = rng.pick(pool.last);
    w.ensure(512);
    w.byte(67); // C
    w.digits(i + 1, 7);
    w.byte(44);
    w.bytes(first.field);
    w.byte(44);
    w.bytes(last.field);
    w.byte(44);
    writeEmail(w, rng, first.ascii, last.ascii, i + 1);
    w.byte(44);
    if (rng.chance(0.02)) emptyBirthDates++;
    else writeIsoDate(w, BIRTH_FIRST + Math.floor(((rng.float() + rng.float()) / 2) * BIRTH_SPAN));
    w.byte(44);
    writeIsoDate(w, SIGNUP_FIRST + Math.floor(Math.sqrt(rng.float()) * SIGNUP_SPAN));
    w.byte(44);
    const bytes = placeBytes[placeIndex] as (typeof placeBytes)[number];
    w.bytes(bytes.city);
    w.byte(44);
    w.bytes(bytes.country);
    w.byte(10);
  }
  return { bytes: w.view(), emptyBirthDates };
}

/** One of `first.last7`, `first7`, `f.last7`, `last.first7`: the number makes it unique. */
function writeEmail(w: ByteWriter, rng: Rng, first: Uint8Array, last: Uint8Array, n: number): void {
  const pattern = rng.int(4);
  if (pattern === 0 || pattern === 1) w.bytes(first);
  else if (pattern === 2) w.byte(first[0] ?? 120);
  else w.bytes(last);
  if (pattern !== 1) {
    w.byte(46);
    w.bytes(pattern === 3 ? first : last);
  }
  w.int(n);
  w.bytes(rng.pick(DOMAINS));
}

function encodedNames(): Record<NameCulture, { first: EncodedName[]; last: EncodedName[] }> {
  const encode = (name: string): EncodedName => ({ field: csvBytes(name), ascii: utf8(asciiName(name)) });
  const out = {} as Record<NameCulture, { first: EncodedName[]; last: EncodedName[] }>;
  for (const [culture, pool] of Object.entries(NAME_POOLS) as [
    NameCulture,
    (typeof NAME_POOLS)[NameCulture],
  ][]) {
    out[culture] = { first: pool.first.map(encode), last: pool.last.map(encode) };
  }
  return out;
}
