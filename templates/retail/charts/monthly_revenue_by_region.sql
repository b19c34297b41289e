-- Net revenue per month and region.
SELECT make_date(year, month, 1) AS month, region, sum(revenue) AS revenue
FROM gold.monthly_sales_summary
WHERE {{filters}}
GROUP BY ALL
ORDER BY month, region
