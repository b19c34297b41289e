-- Month × region: revenue, orders, customers, margin, and the region's share of the month's revenue.
SELECT year, month, region,
  sum(net_amount) AS revenue,
  count(*) AS orders,
  count(DISTINCT customer_id) AS customers,
  sum(net_amount) - sum(cost_amount) AS margin,
  CAST(round(100 * (sum(net_amount) - sum(cost_amount)) / nullif(sum(net_amount), 0), 2) AS DECIMAL(9,2)) AS margin_pct,
  CAST(round(100 * sum(net_amount) / sum(sum(net_amount)) OVER (PARTITION BY year, month), 2) AS DECIMAL(9,2)) AS revenue_share_pct
FROM silver.sales_enriched
GROUP BY year, month, region
