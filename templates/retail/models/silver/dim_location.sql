-- Stores, typed and trimmed; the dimension keeps the latest row per location_id.
SELECT
  clean_upper(location_id) AS location_id,
  clean_text(store_name) AS store_name,
  clean_text(city) AS city,
  clean_text(region) AS region,
  clean_text(country) AS country,
  clean_lower(store_type) AS store_type,
  _ingested_at, _source_file, _source_row
FROM bronze.locations
