-- Products, typed and trimmed; the dimension keeps the latest row per product_id.
SELECT
  clean_upper(product_id) AS product_id,
  clean_text(product_name) AS product_name,
  clean_text(category) AS category,
  clean_text(subcategory) AS subcategory,
  clean_text(brand) AS brand,
  parse_money(list_price) AS list_price,
  parse_money(unit_cost) AS unit_cost,
  _ingested_at, _source_file, _source_row
FROM bronze.products
