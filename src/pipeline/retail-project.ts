/**
 * The built-in retail project that `lake init` writes: the four sources of the synthetic retail
 * dataset (see docs/DATASET.md) with their columns. Users edit the written lake.json, never this.
 */

/** The lake.json content of a new retail project. */
export function retailProjectConfig(name: string): Record<string, unknown> {
  return {
    name,
    zones: { landing: "lake/landing", bronze: "lake/bronze", silver: "lake/silver", gold: "lake/gold" },
    engine: { memoryLimit: "2GB", tempDirectory: "lake/.tmp" },
    sources: {
      sales: {
        files: "sales_transactions*.csv",
        columns: [
          "transaction_id",
          "order_date",
          "customer_id",
          "product_id",
          "location_id",
          "quantity",
          "unit_price",
          "discount_pct",
          "payment_method",
          "channel",
        ],
      },
      customers: {
        files: "customers*.csv",
        columns: [
          "customer_id",
          "first_name",
          "last_name",
          "email",
          "birth_date",
          "signup_date",
          "city",
          "country",
        ],
      },
      products: {
        files: "products*.csv",
        columns: [
          "product_id",
          "product_name",
          "category",
          "subcategory",
          "brand",
          "list_price",
          "unit_cost",
        ],
      },
      locations: {
        files: "locations*.csv",
        columns: ["location_id", "store_name", "city", "region", "country", "store_type"],
      },
    },
  };
}
