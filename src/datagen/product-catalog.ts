/**
 * Reference data for products: eight categories, their subcategories with realistic price ranges
 * and item names, brands, and how each category sells (share of the catalogue, units per line,
 * margin, mix per region). Some item names hold quotes (`55" 4K TV`), and name variants add a comma,
 * so the CSV must quote and escape them.
 */
import type { Region } from "./places.ts";

/** A subcategory: what its items are called and what they cost. */
export interface Subcategory {
  readonly name: string;
  /** Lowest and highest list price, in whole currency units. */
  readonly price: readonly [number, number];
  readonly items: readonly string[];
}

/** A product category and how it sells. */
export interface Category {
  readonly name: string;
  readonly subcategories: readonly Subcategory[];
  readonly brands: readonly string[];
  /** Name suffixes that make a product variant; they follow a comma (`Casa Nova Kettle, Black`). */
  readonly variants: readonly string[];
  /** Relative share of the catalogue's products. */
  readonly catalogShare: number;
  /** Probability that a line holds one more unit (units per line are geometric). */
  readonly moreUnits: number;
  /** Unit cost as a fraction of list price: lowest and highest. */
  readonly costRatio: readonly [number, number];
  /** Relative share of sales lines in each region. */
  readonly regionMix: Readonly<Record<Region, number>>;
}

/** The eight categories. */
export const CATEGORIES: readonly Category[] = [
  category(
    "Electronics",
    "Black|White|Silver|Blue|Refurbished|2-pack",
    12,
    0.06,
    [0.55, 0.8],
    [1.2, 0.8, 1.1, 1.0, 1.1],
    list("Voltra|Nordlys|Kumo|Brightwave|Tecnó|Zentrix"),
    [
      sub("Phones", 149, 1299, "Smartphone 128 GB|Smartphone 256 GB|Rugged Phone|Flip Phone|Phone Mini"),
      sub("Laptops", 399, 2499, '13" Ultrabook|15" Laptop|Gaming Laptop|2-in-1 Convertible|Chromebook'),
      sub("Audio", 19, 499, "Wireless Headphones|Earbuds|Bluetooth Speaker|Soundbar|Turntable"),
      sub("TV & Video", 199, 2999, '43" 4K TV|55" 4K TV|65" OLED TV|Projector|Streaming Stick'),
      sub("Accessories", 9, 99, "USB-C Cable|Power Bank|Phone Case|Wireless Charger|HDMI Cable"),
    ],
  ),
  category(
    "Home & Kitchen",
    "Black|White|Grey|Oak|Walnut|Set of 2",
    16,
    0.15,
    [0.4, 0.7],
    [1.0, 1.1, 1.0, 1.0, 1.2],
    list("Casa Nova|Müller & Söhne|Hjem|Le Creuset Maison|Ironleaf|Kōbō"),
    [
      sub("Cookware", 15, 299, "Chef's Knife 8\"|Cast Iron Skillet|Saucepan Set|Wok|Dutch Oven"),
      sub("Small Appliances", 25, 599, "Espresso Machine|Kettle|Toaster|Stand Mixer|Air Fryer"),
      sub("Furniture", 49, 1499, "Bookshelf|Armchair|Dining Table|Bed Frame|Office Chair"),
      sub("Decor", 5, 149, "Scented Candle|Picture Frame|Throw Pillow|Vase|Wall Clock"),
    ],
  ),
  category(
    "Clothing",
    "Size S|Size M|Size L|Size XL|Black|Navy|Beige",
    20,
    0.3,
    [0.3, 0.55],
    [1.0, 1.2, 1.0, 1.1, 0.9],
    list("Fjord & Co|Maison Lumière|Urban Thread|Señorita|Kindred|Alpenrot"),
    [
      sub("Women", 9, 199, "Linen Dress|Wool Coat|Blouse|Jeans|Cardigan"),
      sub("Men", 9, 179, "Oxford Shirt|Chinos|Rain Jacket|Polo Shirt|Merino Sweater"),
      sub("Kids", 5, 79, "Hoodie|T-Shirt|Pyjamas|Snow Suit|Leggings"),
      sub("Shoes", 25, 249, "Running Shoes|Leather Boots|Sandals|Sneakers|Loafers"),
    ],
  ),
  category(
    "Beauty",
    "30 ml|50 ml|100 ml|Travel size|Gift set",
    10,
    0.3,
    [0.25, 0.5],
    [1.0, 1.1, 0.9, 1.2, 1.0],
    list("Lumière|Aura|Verde Vita|Blomst|Rosé & Co|Skinlab"),
    [
      sub("Skincare", 5, 120, "Face Cream|Serum|Sunscreen SPF 50|Cleanser|Eye Cream"),
      sub("Makeup", 4, 69, "Lipstick|Mascara|Foundation|Eyeshadow Palette|Blush"),
      sub("Fragrance", 19, 189, "Eau de Parfum 50 ml|Eau de Toilette|Body Mist|Cologne|Perfume Oil"),
      sub("Hair Care", 4, 59, "Shampoo|Conditioner|Hair Oil|Styling Gel|Hair Mask"),
    ],
  ),
  category(
    "Sports & Outdoors",
    "Black|Blue|Red|Size M|Size L|2-pack",
    12,
    0.12,
    [0.45, 0.7],
    [1.3, 0.9, 1.0, 1.0, 1.0],
    list("Peakline|Fjällräv|TrailCo|Velo d'Or|Kraftwerk|Sol y Mar"),
    [
      sub("Fitness", 9, 899, "Yoga Mat|Dumbbell Set|Treadmill|Resistance Bands|Kettlebell"),
      sub("Camping", 12, 599, "2-Person Tent|Sleeping Bag|Camping Stove|Headlamp|Backpack 40 L"),
      sub("Cycling", 15, 1999, "City Bike|Bike Helmet|Bike Lock|Cycling Gloves|E-Bike"),
      sub("Team Sports", 9, 149, "Football|Basketball|Hockey Stick|Goalkeeper Gloves|Jersey"),
    ],
  ),
  category(
    "Toys & Games",
    "Ages 3+|Ages 6+|Ages 8+|Deluxe edition|Travel edition",
    10,
    0.2,
    [0.4, 0.65],
    [1.0, 1.0, 1.1, 1.0, 0.9],
    list("Blokkie|Jouet|PlayForge|Zabawa|Giocattoli|Tiny Titans"),
    [
      sub("Board Games", 12, 89, "Strategy Game|Family Board Game|Card Game|Chess Set|Party Game"),
      sub("Building Sets", 9, 299, "Castle Set|Space Station Set|City Set|Race Car Kit|Robot Kit"),
      sub("Dolls & Figures", 7, 99, "Fashion Doll|Action Figure|Plush Bear|Doll House|Figure Set"),
      sub("Puzzles", 6, 49, "1000-Piece Puzzle|3D Puzzle|Kids Puzzle|Brain Teaser|500-Piece Puzzle"),
    ],
  ),
  category(
    "Grocery",
    "250 g|500 g|1 kg|6-pack|Family size|Organic",
    12,
    0.45,
    [0.6, 0.85],
    [0.9, 1.1, 1.2, 0.9, 1.0],
    list("Café do Brasil|Nonna's|Bäckerei Gold|Fika|Green Valley|Épicerie Fine"),
    [
      sub("Coffee & Tea", 3, 39, "Espresso Beans 1 kg|Ground Coffee|Green Tea|Earl Grey|Coffee Pods"),
      sub("Snacks", 1, 12, "Dark Chocolate|Crisps|Granola Bar|Mixed Nuts|Biscuits"),
      sub("Pantry", 1, 25, "Olive Oil|Pasta|Basmati Rice|Tomato Sauce|Honey"),
      sub("Beverages", 1, 30, "Sparkling Water|Orange Juice|Craft Beer|Red Wine|Kombucha"),
    ],
  ),
  category(
    "Books & Media",
    "Special edition|Collector's edition|Deluxe edition|Signed copy",
    8,
    0.2,
    [0.5, 0.75],
    [1.1, 0.9, 0.9, 1.0, 1.0],
    list("Penhouse|Livre d'Or|Bokförlaget|Editorial Sol|Vinyl Vault|Cinéma Club"),
    [
      sub("Fiction", 5, 35, "Crime Novel|Fantasy Novel|Literary Fiction|Graphic Novel|Romance Novel"),
      sub("Non-fiction", 8, 60, "Cookbook|Travel Guide|Biography|History Book|Science Book"),
      sub("Music", 8, 45, "Vinyl LP|CD Album|Box Set|Songbook|Concert Blu-ray"),
      sub("Films", 6, 40, "Blu-ray Film|DVD Film|4K Film|Box Set Series|Documentary"),
    ],
  ),
];

function category(
  name: string,
  variants: string,
  catalogShare: number,
  moreUnits: number,
  costRatio: readonly [number, number],
  mix: readonly [number, number, number, number, number],
  brands: readonly string[],
  subcategories: readonly Subcategory[],
): Category {
  const [North, South, East, West, Central] = mix;
  const regionMix = { North, South, East, West, Central };
  return {
    name,
    subcategories,
    brands,
    variants: list(variants),
    catalogShare,
    moreUnits,
    costRatio,
    regionMix,
  };
}

function sub(name: string, low: number, high: number, items: string): Subcategory {
  return { name, price: [low, high], items: list(items) };
}

function list(names: string): readonly string[] {
  return names.split("|");
}
