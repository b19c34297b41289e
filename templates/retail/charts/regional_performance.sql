-- Revenue per region, coloured by its margin as a share of revenue.
SELECT region, sum(revenue) AS revenue, sum(orders) AS orders,
  sum(margin) / nullif(sum(revenue), 0) AS margin_share
FROM gold.regional_performance
WHERE {{filters}}
GROUP BY region
ORDER BY revenue DESC
