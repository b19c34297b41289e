-- The 10 products with the most revenue in each month.
SELECT year, month,
  row_number() OVER (PARTITION BY year, month ORDER BY sum(net_amount) DESC, product_id) AS rank,
  product_id, any_value(category) AS category, any_value(brand) AS brand,
  sum(net_amount) AS revenue, sum(quantity)::BIGINT AS units
FROM silver.sales_enriched
GROUP BY year, month, product_id
QUALIFY rank <= 10
