-- Of the customers who first bought in a month (their cohort), the share buying again N months
-- later. Month 0 holds all of a cohort's customers, so it is the share's denominator; it is left out
-- of the result, where its 100 % would take the whole colour scale.
SELECT cohort, months_since_first, retention
FROM (
  SELECT strftime(make_date(cohort_year, cohort_month, 1), '%Y-%m') AS cohort, months_since_first,
    customers / first_value(customers) OVER (
      PARTITION BY cohort_year, cohort_month ORDER BY months_since_first
    ) AS retention
  FROM gold.customer_cohorts
  WHERE {{filters}}
)
WHERE months_since_first > 0
ORDER BY cohort, months_since_first
