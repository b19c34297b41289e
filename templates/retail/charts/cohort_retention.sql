-- Of the customers who first bought in a month (their cohort), the share still buying N months later.
-- Month 0 of a cohort holds all its customers, so it is the first row of its window.
SELECT strftime(make_date(cohort_year, cohort_month, 1), '%Y-%m') AS cohort, months_since_first,
  customers / first_value(customers) OVER (
    PARTITION BY cohort_year, cohort_month ORDER BY months_since_first
  ) AS retention
FROM gold.customer_cohorts
WHERE {{filters}}
ORDER BY cohort, months_since_first
