-- Sales: each run reads only the bronze sales it has not seen (stream), types them, and joins the
-- dimensions. A member that is missing gets key -1 (the unknown member) when its rule only warns.
WITH typed AS (
  SELECT
    clean_upper(transaction_id) AS transaction_id,
    parse_date(order_date) AS order_date,
    clean_upper(customer_id) AS customer_id,
    clean_upper(product_id) AS product_id,
    clean_upper(location_id) AS location_id,
    parse_int(quantity) AS quantity,
    parse_money(unit_price) AS unit_price,
    parse_int(discount_pct) AS discount_pct,
    clean_lower(payment_method) AS payment_method,
    clean_lower(channel) AS channel,
    _source_file, _source_row
  FROM stream(bronze.sales)
),
-- Amounts are exact decimals: a product that does not fit DECIMAL(18,2) is NULL, for the
-- amounts_in_range rule (times_amount, in macros/cleaning.sql). The discount is computed in DOUBLE
-- from the exact gross × discount and rounded to the cent, so an exact half cent can round down
-- (1.275 → 1.27); the net amount is then exact decimal arithmetic.
gross AS (SELECT *, times_amount(quantity, unit_price) AS gross FROM typed),
amounts AS (
  SELECT *, TRY_CAST(round(
    CASE WHEN abs(gross::DOUBLE * discount_pct) < 9e15 THEN CAST(gross * discount_pct AS DOUBLE)
      ELSE CAST(CAST(gross AS DECIMAL(38,2)) * discount_pct AS DOUBLE) END / 100, 2) AS DECIMAL(18,2)) AS discount
  FROM gross
)
SELECT
  t.transaction_id, t.order_date,
  year(t.order_date)::INTEGER AS year, month(t.order_date)::INTEGER AS month,
  coalesce(c.customer_key, -1) AS customer_key,
  coalesce(p.product_key, -1) AS product_key,
  coalesce(l.location_key, -1) AS location_key,
  t.customer_id, t.product_id, t.location_id, t.quantity, t.unit_price, t.discount_pct,
  -- Rows that pass the price and discount rules always fit DECIMAL(18,2).
  t.gross AS gross_amount,
  t.discount AS discount_amount,
  TRY_CAST(t.gross - t.discount AS DECIMAL(18,2)) AS net_amount,
  times_amount(t.quantity, p.unit_cost) AS cost_amount,
  t.payment_method, t.channel,
  p.category, p.subcategory, p.brand,
  l.region, l.store_type, l.country,
  t._source_file, t._source_row
FROM amounts t
LEFT JOIN silver.dim_customer c ON c.customer_id = t.customer_id
LEFT JOIN silver.dim_product p ON p.product_id = t.product_id
LEFT JOIN silver.dim_location l ON l.location_id = t.location_id
