-- Cleaning bronze text into typed values. Bronze keeps text exactly as read; these trim it, treat
-- empty text as missing, normalise case, and parse the documented formats. Anything else becomes
-- NULL, for an expectation to catch. Every model of the project can use them.
CREATE OR REPLACE TEMP MACRO clean_text(value) AS NULLIF(trim(value), '');
CREATE OR REPLACE TEMP MACRO clean_upper(value) AS upper(NULLIF(trim(value), ''));
CREATE OR REPLACE TEMP MACRO clean_lower(value) AS lower(NULLIF(trim(value), ''));
-- A date in ISO 8601 (2024-05-01) or day/month/year (01/05/2024); invalid dates such as 2023-02-30 are NULL.
CREATE OR REPLACE TEMP MACRO parse_date(value) AS
  CAST(coalesce(try_strptime(NULLIF(trim(value), ''), '%Y-%m-%d'), try_strptime(NULLIF(trim(value), ''), '%d/%m/%Y')) AS DATE);
-- A money amount with 2 decimals.
CREATE OR REPLACE TEMP MACRO parse_money(value) AS TRY_CAST(NULLIF(trim(value), '') AS DECIMAL(12,2));
-- A whole number.
CREATE OR REPLACE TEMP MACRO parse_int(value) AS TRY_CAST(NULLIF(trim(value), '') AS INTEGER);
