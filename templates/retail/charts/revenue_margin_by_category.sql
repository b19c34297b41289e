-- Revenue and margin per category, side by side: one row per category and measure.
SELECT category, measure, amount
FROM (
  SELECT category, sum(revenue) AS "Revenue", sum(margin) AS "Margin"
  FROM gold.monthly_sales_summary
  WHERE {{filters}}
  GROUP BY category
) UNPIVOT (amount FOR measure IN ("Revenue", "Margin"))
ORDER BY category, measure DESC
