/**
 * Reference data for where customers live and stores stand: the chain's five sales regions and the
 * cities it sells in, with their countries, a relative size, and the name culture of their people.
 * Names keep their real spelling (UTF-8), and one has a comma, so the CSV must quote it.
 */

/** The chain's sales regions, as they appear in locations.csv. */
export const REGIONS = ["North", "South", "East", "West", "Central"] as const;

/** One of `REGIONS`. */
export type Region = (typeof REGIONS)[number];

/** Which pool of first and last names the people of a place are drawn from. */
export type NameCulture =
  | "english"
  | "german"
  | "french"
  | "iberian"
  | "italian"
  | "dutch"
  | "nordic"
  | "slavic";

/** A city the chain sells in. */
export interface Place {
  readonly city: string;
  readonly country: string;
  readonly region: Region;
  /** Relative size: how many customers and stores it gets. */
  readonly weight: number;
  readonly culture: NameCulture;
  /** The street or mall names its stores are named after. */
  readonly districts: readonly string[];
}

/** Every city, grouped by country. */
export const PLACES: readonly Place[] = [
  place("London", "United Kingdom", "North", 9, "english", ["Oxford Street", "Westfield", "Canary Wharf"]),
  place("Manchester", "United Kingdom", "North", 3, "english", ["Arndale", "Trafford Centre"]),
  place("Edinburgh", "United Kingdom", "North", 2, "english", ["Princes Street", "St James Quarter"]),
  place("Dublin", "Ireland", "North", 3, "english", ["Grafton Street", "Dundrum"]),
  place("Stockholm", "Sweden", "North", 3, "nordic", ["Drottninggatan", "Mall of Scandinavia"]),
  place("Malmö", "Sweden", "North", 1, "nordic", ["Emporia", "Södergatan"]),
  place("Oslo", "Norway", "North", 2, "nordic", ["Karl Johans gate", "Storo"]),
  place("Copenhagen", "Denmark", "North", 2, "nordic", ["Strøget", "Fields"]),
  place("Helsinki", "Finland", "North", 2, "nordic", ["Kamppi", "Itis"]),
  place("Madrid", "Spain", "South", 5, "iberian", ["Gran Vía", "La Vaguada"]),
  place("Barcelona", "Spain", "South", 4, "iberian", ["Passeig de Gràcia", "Diagonal Mar"]),
  place("Sevilla", "Spain", "South", 2, "iberian", ["Nervión", "Lagoh"]),
  place("Lisbon", "Portugal", "South", 3, "iberian", ["Chiado", "Colombo"]),
  place("Porto", "Portugal", "South", 2, "iberian", ["Santa Catarina", "NorteShopping"]),
  place("Milan", "Italy", "South", 4, "italian", ["Corso Buenos Aires", "CityLife"]),
  place("Rome", "Italy", "South", 4, "italian", ["Via del Corso", "Porta di Roma"]),
  place("Napoli", "Italy", "South", 2, "italian", ["Via Toledo", "Vulcano Buono"]),
  place("São Paulo", "Brazil", "South", 6, "iberian", ["Avenida Paulista", "Ibirapuera"]),
  place("Rio de Janeiro", "Brazil", "South", 4, "iberian", ["Copacabana", "Barra"]),
  place("Warsaw", "Poland", "East", 4, "slavic", ["Złote Tarasy", "Arkadia"]),
  place("Kraków", "Poland", "East", 2, "slavic", ["Galeria Krakowska", "Bonarka"]),
  place("Łódź", "Poland", "East", 1, "slavic", ["Manufaktura", "Piotrkowska"]),
  place("Prague", "Czechia", "East", 3, "slavic", ["Václavské náměstí", "Palladium"]),
  place("Brno", "Czechia", "East", 1, "slavic", ["Olympia", "Vaňkovka"]),
  place("Vienna", "Austria", "East", 4, "german", ["Mariahilfer Straße", "Donau Zentrum"]),
  place("Graz", "Austria", "East", 1, "german", ["Herrengasse", "Seiersberg"]),
  place("Paris", "France", "West", 8, "french", ["Champs-Élysées", "Les Halles", "La Défense"]),
  place("Lyon", "France", "West", 3, "french", ["Part-Dieu", "Confluence"]),
  place("Marseille", "France", "West", 2, "french", ["La Canebière", "Terrasses du Port"]),
  place("Brussels", "Belgium", "West", 3, "french", ["Rue Neuve", "Woluwe"]),
  place("Antwerp", "Belgium", "West", 2, "dutch", ["Meir", "Wijnegem"]),
  place("Amsterdam", "Netherlands", "West", 4, "dutch", ["Kalverstraat", "Zuidas"]),
  place("Rotterdam", "Netherlands", "West", 2, "dutch", ["Lijnbaan", "Alexandrium"]),
  place("New York", "United States", "West", 9, "english", ["Fifth Avenue", "Hudson Yards", "SoHo"]),
  place("Washington, D.C.", "United States", "West", 3, "english", ["Georgetown", "Union Station"]),
  place("Chicago", "United States", "West", 5, "english", ["Magnificent Mile", "Oakbrook"]),
  place("Toronto", "Canada", "West", 4, "english", ["Eaton Centre", "Yorkdale"]),
  place("Montréal", "Canada", "West", 3, "french", ["Sainte-Catherine", "Carrefour Laval"]),
  place("Berlin", "Germany", "Central", 7, "german", ["Kurfürstendamm", "Alexa", "Mall of Berlin"]),
  place("Hamburg", "Germany", "Central", 4, "german", ["Mönckebergstraße", "Europa Passage"]),
  place("München", "Germany", "Central", 5, "german", ["Kaufingerstraße", "Pasing Arcaden"]),
  place("Köln", "Germany", "Central", 3, "german", ["Schildergasse", "Rhein-Center"]),
  place("Düsseldorf", "Germany", "Central", 2, "german", ["Königsallee", "Schadow Arkaden"]),
  place("Frankfurt am Main", "Germany", "Central", 3, "german", ["Zeil", "MyZeil"]),
  place("Zürich", "Switzerland", "Central", 3, "german", ["Bahnhofstrasse", "Sihlcity"]),
  place("Genève", "Switzerland", "Central", 2, "french", ["Rue du Rhône", "Balexert"]),
];

/** The countries of `PLACES`, each once, in first-seen order. */
export const COUNTRIES: readonly string[] = [...new Set(PLACES.map((p) => p.country))];

function place(
  city: string,
  country: string,
  region: Region,
  weight: number,
  culture: NameCulture,
  districts: readonly string[],
): Place {
  return { city, country, region, weight, culture, districts };
}
