-- Month × region × category. A sale is one transaction and sales_enriched holds each transaction id
-- once, so orders are count(*).
SELECT year, month, region, category,
  sum(net_amount) AS revenue,
  sum(quantity)::BIGINT AS units,
  count(*) AS orders,
  count(DISTINCT customer_id) AS customers,
  CAST(round(sum(net_amount) / count(*), 2) AS DECIMAL(18,2)) AS avg_order_value,
  sum(discount_amount) AS discount_given,
  sum(net_amount) - sum(cost_amount) AS margin
FROM silver.sales_enriched
GROUP BY year, month, region, category
