-- Month × region: revenue, orders, customers, margin, and the region's share of the month's revenue.
-- The percentages are NULL when there is no revenue to divide by, and DECIMAL(38,2) because a tiny
-- revenue against a large cost (a 0.01 sale of a 5,000 product) is a margin of -49,999,900 %.
SELECT year, month, region,
  sum(net_amount) AS revenue,
  count(*) AS orders,
  count(DISTINCT customer_id) AS customers,
  sum(net_amount) - sum(cost_amount) AS margin,
  CAST(round(100 * (sum(net_amount) - sum(cost_amount)) / nullif(sum(net_amount), 0), 2) AS DECIMAL(38,2)) AS margin_pct,
  CAST(round(100 * sum(net_amount) / nullif(sum(sum(net_amount)) OVER (PARTITION BY year, month), 0), 2) AS DECIMAL(38,2)) AS revenue_share_pct
FROM silver.sales_enriched
GROUP BY year, month, region
