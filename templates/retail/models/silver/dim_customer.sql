-- Customers, typed and trimmed; the dimension keeps the latest row per customer_id. A birth or
-- sign-up date may be empty (unknown); one that is given but does not parse is named in _unparsed,
-- for the dates_valid rule.
SELECT
  clean_upper(customer_id) AS customer_id,
  clean_text(first_name) AS first_name,
  clean_text(last_name) AS last_name,
  clean_lower(email) AS email,
  parse_date(birth_date) AS birth_date,
  parse_date(signup_date) AS signup_date,
  clean_text(city) AS city,
  clean_text(country) AS country,
  list_filter([
    unparsed('birth_date', birth_date, parse_date(birth_date)),
    unparsed('signup_date', signup_date, parse_date(signup_date))
  ], x -> x IS NOT NULL) AS _unparsed,
  _ingested_at, _source_file, _source_row
FROM bronze.customers
