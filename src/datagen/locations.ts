/**
 * The location dimension: `buildLocations` draws the stores from a seed (about 2 % of them the
 * online shop of a country, the rest flagship, mall and outlet stores in the cities of `PLACES`),
 * `locationsCsv` writes them as locations.csv. Mall stores are named `Medallion <city>, <mall>`,
 * so that column needs quoting.
 */
import { ByteWriter, utf8 } from "./byte-writer.ts";
import { COUNTRIES, PLACES, type Place, REGIONS } from "./places.ts";
import { cumulativeWeights, Rng, STREAM } from "./rng.ts";

/** The header of locations.csv. */
export const LOCATIONS_HEADER = "location_id,store_name,city,region,country,store_type";

/** The kinds of store; `online` ones take the online channel's sales. */
export const STORE_TYPES = ["flagship", "mall", "outlet", "online"] as const;

/** One of `STORE_TYPES`. */
export type StoreType = (typeof STORE_TYPES)[number];

/** One store; its id is `L` + `number` as 4 digits. */
export interface Location {
  readonly number: number;
  readonly storeName: string;
  readonly place: Place;
  readonly storeType: StoreType;
  /** Relative share of its channel's sales. */
  readonly salesWeight: number;
}

const TYPE_WEIGHT: Readonly<Record<StoreType, number>> = { flagship: 4, mall: 1.6, outlet: 1, online: 1 };

/**
 * The `count` stores for `seed` (count >= 2, so there is at least one online and one physical store).
 * Online stores are spread evenly over the ids, one country after another.
 */
export function buildLocations(seed: number, count: number): Location[] {
  const rng = new Rng(seed, STREAM.locations);
  const online = Math.max(1, Math.round(count * 0.02));
  const cities = cumulativeWeights(PLACES.map((p) => p.weight));
  const seen = new Map<string, number>();
  const locations: Location[] = [];
  let onlineSoFar = 0;
  for (let i = 0; i < count; i++) {
    const isOnline = Math.floor(((i + 1) * online) / count) > Math.floor((i * online) / count);
    let place: Place;
    let storeType: StoreType;
    let name: string;
    if (isOnline) {
      // COUNTRIES lists the countries of PLACES, so a place of that country exists.
      const country = COUNTRIES[onlineSoFar++ % COUNTRIES.length] as string;
      place = PLACES.find((p) => p.country === country) as Place;
      storeType = "online";
      name = `Medallion Online ${country}`;
    } else {
      // weighted() returns an index of the PLACES weights it was built from.
      place = PLACES[rng.weighted(cities)] as Place;
      const roll = rng.float();
      storeType = roll < 0.06 ? "flagship" : roll < 0.66 ? "mall" : "outlet";
      name =
        storeType === "flagship"
          ? `Medallion ${place.city} Flagship`
          : storeType === "mall"
            ? `Medallion ${place.city}, ${rng.pick(place.districts)}`
            : `Medallion Outlet ${place.city}`;
    }
    const repeat = (seen.get(name) ?? 0) + 1;
    seen.set(name, repeat);
    const performance = storeType === "online" ? countryWeight(place.country) : 0.6 + 0.8 * rng.float();
    locations.push({
      number: i + 1,
      storeName: repeat === 1 ? name : `${name} ${repeat}`,
      place,
      storeType,
      salesWeight: TYPE_WEIGHT[storeType] * performance,
    });
  }
  return locations;
}

/** locations.csv: the header and one line per store. */
export function locationsCsv(locations: readonly Location[]): Uint8Array {
  const w = new ByteWriter(locations.length * 100 + 128);
  w.bytes(utf8(`${LOCATIONS_HEADER}\n`));
  for (const l of locations) {
    w.ensure(16);
    w.byte(76); // L
    w.digits(l.number, 4);
    w.byte(44);
    w.field(l.storeName);
    w.byte(44);
    w.field(l.place.city);
    w.byte(44);
    w.field(l.place.region);
    w.byte(44);
    w.field(l.place.country);
    w.byte(44);
    w.field(l.storeType);
    w.ensure(1);
    w.byte(10);
  }
  return w.view();
}

/** The index in `REGIONS` of a location's region. */
export function regionIndex(location: Location): number {
  return REGIONS.indexOf(location.place.region);
}

function countryWeight(country: string): number {
  return PLACES.filter((p) => p.country === country).reduce((sum, p) => sum + p.weight, 0);
}
