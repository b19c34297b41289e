-- Customers grouped by the month of their first purchase (their cohort), and for each month since
-- then the cohort's active customers, orders and revenue. Per customer and month first (a few rows
-- per customer), then cohorts from that. It needs all of history: a table model.
WITH active AS (
  SELECT customer_id, year * 12 + month - 1 AS ym, count(*) AS orders, sum(net_amount) AS revenue
  FROM silver.sales_enriched
  GROUP BY customer_id, year, month
),
firsts AS (SELECT customer_id, min(ym) AS first FROM active GROUP BY customer_id)
SELECT (f.first // 12)::INTEGER AS cohort_year, (f.first % 12 + 1)::INTEGER AS cohort_month,
  (a.ym - f.first)::INTEGER AS months_since_first,
  count(*) AS customers, sum(a.orders)::BIGINT AS orders, sum(a.revenue) AS revenue
FROM active a JOIN firsts f USING (customer_id)
GROUP BY ALL
