-- The ten products with the most revenue in the latest month of the filtered range.
WITH months AS (SELECT * FROM gold.top_products_monthly WHERE {{filters}}),
latest AS (SELECT max(year * 12 + month) AS ym FROM months)
SELECT product_id || ' (' || coalesce(brand, '?') || ')' AS product, category, revenue, rank,
  make_date(year, month, 1) AS month
FROM months, latest
WHERE year * 12 + month = latest.ym
ORDER BY rank
