-- Cleaning bronze text into typed values. Bronze keeps text exactly as read; these trim spaces, treat
-- empty text as missing, normalise case, and parse the documented formats. Anything else becomes
-- NULL, for an expectation to catch: a value is never rounded, read in another notation or replaced
-- by a default. Every model of the project can use them.
--
-- Only spaces are trimmed. Tabs, NUL, U+FEFF and other invisible characters are kept, so a number or
-- date holding one does not parse, and an id holding one names no member.
CREATE OR REPLACE TEMP MACRO clean_text(value) AS NULLIF(trim(value), '');
CREATE OR REPLACE TEMP MACRO clean_upper(value) AS upper(NULLIF(trim(value), ''));
CREATE OR REPLACE TEMP MACRO clean_lower(value) AS lower(NULLIF(trim(value), ''));
-- A date in ISO 8601 (2024-05-01) or day/month/year (01/05/2024), with 4-digit years from 0001 to
-- 9999, the dates a Delta table holds. Impossible dates (2023-02-30, 2024-13-01), the year 0000,
-- other separators and one-digit days or months are NULL.
CREATE OR REPLACE TEMP MACRO parse_date(value) AS
  CASE
    WHEN regexp_full_match(trim(value), '[0-9]{4}-[0-9]{2}-[0-9]{2}') AND NOT starts_with(trim(value), '0000')
      THEN TRY_CAST(trim(value) AS DATE)
    WHEN regexp_full_match(trim(value), '[0-9]{2}/[0-9]{2}/[0-9]{4}') AND NOT ends_with(trim(value), '0000')
      THEN CAST(try_strptime(trim(value), '%d/%m/%Y') AS DATE)
  END;
-- A money amount in plain notation: an optional sign, ASCII digits, and up to 2 decimals (19.99, 5,
-- -0.50). 19.999, 1e3, 1,000, .5, NaN and amounts of 10^10 or more are NULL.
CREATE OR REPLACE TEMP MACRO parse_money(value) AS
  CASE WHEN regexp_full_match(trim(value), '[+-]?[0-9]+(\.[0-9]{1,2})?') THEN TRY_CAST(trim(value) AS DECIMAL(12,2)) END;
-- A whole number in plain notation: an optional sign and ASCII digits (12, +3, -0 is 0). 1.5, 1e5,
-- 0x10, 1_000 and numbers outside the 32-bit range are NULL.
CREATE OR REPLACE TEMP MACRO parse_int(value) AS
  CASE WHEN regexp_full_match(trim(value), '[+-]?[0-9]+') THEN TRY_CAST(trim(value) AS INTEGER) END;
-- `name` when `text` holds a value that parsed to NULL in `parsed`, else NULL: for optional columns,
-- where NULL alone cannot tell a missing value from one that does not parse.
CREATE OR REPLACE TEMP MACRO unparsed(name, text, parsed) AS
  CASE WHEN clean_text(text) IS NOT NULL AND parsed IS NULL THEN name END;
-- n × amount, exact, as DECIMAL(18,2), or NULL when the product does not fit it (10^16 or more). The
-- common product, well inside, is computed in 64-bit decimals; only one near or past the limit
-- takes 128-bit ones (DuckDB's INTEGER × DECIMAL(12,2) is 64-bit and raises an error on overflow,
-- and 128-bit arithmetic on every row costs about a second per 10M rows).
CREATE OR REPLACE TEMP MACRO times_amount(n, amount) AS
  CASE WHEN abs(n::DOUBLE * amount::DOUBLE) < 9e15 THEN n * amount
    ELSE TRY_CAST(CAST(n AS DECIMAL(38,0)) * amount AS DECIMAL(18,2)) END;
