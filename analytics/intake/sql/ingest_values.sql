-- Values resolved once per distinct raw value before the rows are checked (ingest_check.sql): dates and numbers.
-- Error values are keys of ingest_messages unless already a final message.
-- ingest_trim(x) (tabs and non-breaking spaces as spaces, then trimmed) comes from analytics/intake/check.py.
-- Trimmed text, NULL when empty; the copying work only where a space starts or ends it or a tab or NBSP is in it.
CREATE OR REPLACE TEMP MACRO ingest_clean(x) AS
    CASE WHEN x IS NULL OR x = '' THEN NULL
         WHEN starts_with(x, ' ') OR ends_with(x, ' ') OR contains(x, chr(160)) OR contains(x, chr(9))
           OR contains(x, chr(8239)) THEN nullif(ingest_trim(x), '')
         ELSE x END;

CREATE OR REPLACE TEMP TABLE ingest_dates AS
WITH d AS (SELECT DISTINCT date_raw FROM ingest_cells WHERE date_raw IS NOT NULL),
s AS (SELECT date_raw, regexp_replace(ingest_trim(date_raw), '^(\d{4}-\d{1,2}-\d{1,2})[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$', '\1') AS s
      FROM d),  -- a date cell with a time of day: the day counts
p AS (
    SELECT date_raw, nullif(s, '') AS s,
           CASE WHEN regexp_full_match(s, '\d{4}-\d{1,2}-\d{1,2}') THEN try_strptime(s, '%Y-%m-%d')
                WHEN regexp_full_match(s, '\d{1,2}[/.-]\d{1,2}[/.-]\d{4}')
                    THEN try_strptime(replace(replace(s, '-', '/'), '.', '/'), '%d/%m/%Y')
           END::DATE AS activity_date,
           CASE WHEN regexp_full_match(s, '\d{4}-\d{1,2}-\d{1,2}') THEN regexp_extract(s, '^\d{4}-(\d{1,2})-', 1)
                WHEN regexp_full_match(s, '\d{1,2}[/.-]\d{1,2}[/.-]\d{4}')
                    THEN regexp_extract(s, '^\d{1,2}[/.-](\d{1,2})[/.-]', 1)
           END::INTEGER AS month
    FROM s
)
SELECT date_raw, s AS value, activity_date,
       CASE WHEN s IS NULL THEN 'required'
            WHEN activity_date IS NULL AND regexp_full_match(s, '4[4-6][0-9]{3}') THEN 'date_serial'  -- 44562 = 01/01/2022
            WHEN activity_date IS NULL AND month BETWEEN 1 AND 12
                THEN 'date_not_in_month_' || month  -- written right, but no such day in that month (31/11/2022)
            WHEN activity_date IS NULL AND month IS NOT NULL
                THEN 'date_impossible'  -- written right, but no such month (2022-13-01)
            WHEN activity_date IS NULL THEN 'date_invalid'
            WHEN activity_date NOT BETWEEN (SELECT start_date FROM ingest_plan) AND (SELECT deadline FROM ingest_plan)
                THEN 'date_outside' END AS error
FROM p;

CREATE OR REPLACE TEMP TABLE ingest_numbers AS
WITH v AS (
    SELECT DISTINCT 'p' AS kind, participants_raw AS raw FROM ingest_cells WHERE participants_raw IS NOT NULL
    UNION ALL
    SELECT DISTINCT 'b', budget_raw FROM ingest_cells WHERE budget_raw IS NOT NULL
),
s AS (
    SELECT kind, raw, nullif(ingest_trim(raw), '') AS value,
           trim(CASE WHEN kind = 'b'
                     THEN regexp_replace(lower(ingest_trim(raw)), '\s*(đồng|đ|vnđ|vnd|dong|d)\.?$', '')
                     ELSE ingest_trim(raw) END) AS s
    FROM v
),
n AS (
    SELECT kind, raw, value, s,
           CASE WHEN regexp_full_match(s, '[0-9]+') THEN s
                WHEN regexp_full_match(s, '[0-9]{1,3}([. ][0-9]{3})+') THEN replace(replace(s, '.', ''), ' ', '')
           END AS digits
    FROM s
)
SELECT kind, raw, value,
       CASE WHEN digits IS NOT NULL AND length(digits) <= 18 THEN digits::BIGINT END AS number,
       CASE WHEN value IS NULL THEN NULL
            WHEN starts_with(s, '-') AND regexp_full_match(s, '-\s*[0-9][0-9. ,]*') THEN 'number_negative'
            WHEN digits IS NULL THEN 'number_not_whole'
            WHEN length(digits) > 18 OR (kind = 'p' AND digits::BIGINT > 2147483647) THEN 'number_too_large'
       END AS error
FROM n;
