-- Validate and normalise the staged rows (view ingest_rows over ingest_raw: raw cells, spreadsheet line) in one
-- pass. Units and types come resolved from small lookup tables built per distinct raw value (ingest_unit_map,
-- ingest_type_map); dates and numbers are parsed here once per distinct value. Error values are keys of
-- ingest_messages unless already a final message.
-- ingest_trim(x) (tabs and non-breaking spaces as spaces, then trimmed) comes from analytics/ingest.py.
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

-- Titles: trimmed and folded once per distinct title (clerks reuse titles), numbered so the checked rows carry
-- small ids instead of copies of the text; key_id is a hash of the folded title (exact checks compare the text). They are NFC already (decoding saw
-- to it), so the full fold() macro with its regular expression is needed only where whitespace runs or control
-- characters occur.
CREATE TABLE ingest_stage.titles AS
WITH d AS (SELECT DISTINCT title AS title_raw FROM ingest_cells WHERE title IS NOT NULL),
s AS (SELECT title_raw, ingest_clean(title_raw) AS title FROM d),
k AS (
    SELECT title_raw, title,
           CASE WHEN title IS NULL THEN NULL
                WHEN contains(title, '  ') OR contains(title, chr(9)) OR contains(title, chr(10))
                  OR contains(title, chr(13)) OR contains(title, chr(11)) OR contains(title, chr(12))
                    THEN fold(title)
                ELSE strip_accents(replace(lower(title), 'đ', 'd')) END AS title_key
    FROM s
)
SELECT row_number() OVER () AS title_id, title_raw, title, title_key, hash(title_key) AS key_id
FROM k;

-- One row per record: normalised values and, per column, an error (NULL when the cell is fine). It lives in
-- the check's own in-memory database (ingest_stage), which stays attached until the result is stored or dropped.
CREATE TABLE ingest_stage.checked AS
WITH r AS (
    SELECT line, unit_code_raw, unit_name_raw, type_raw, date_raw, participants_raw, budget_raw, title AS title_raw,
           ingest_clean(location) AS location, ingest_clean(activity_ref) AS activity_ref,
           ingest_clean(notes) AS notes
    FROM ingest_rows
),
c AS (
SELECT r.line, um.unit_code, tm.type_code, ti.title_id, d.activity_date, CASE WHEN p.error IS NULL THEN p.number END::INTEGER AS participants,
       r.location, b.number AS budget_vnd, r.activity_ref, r.notes,
       ti.key_id,
       um.error_field AS unit_field, um.error AS unit_error,
       CASE WHEN um.error IS NOT NULL THEN um.value END AS unit_value,
       CASE WHEN r.type_raw IS NULL OR tm.value IS NULL THEN 'required' ELSE tm.error END AS type_error,
       CASE WHEN tm.error IS NOT NULL THEN tm.value END AS type_value,
       CASE WHEN ti.title IS NULL THEN 'required' END AS title_error,
       CASE WHEN r.date_raw IS NULL THEN 'required' ELSE d.error END AS date_error,
       CASE WHEN d.error IS NOT NULL THEN d.value END AS date_value,
       p.error AS participants_error, CASE WHEN p.error IS NOT NULL THEN p.value END AS participants_value,
       CASE b.error WHEN 'number_not_whole' THEN 'budget_not_whole' WHEN 'number_too_large' THEN 'budget_too_large'
                    ELSE b.error END AS budget_error, CASE WHEN b.error IS NOT NULL THEN b.value END AS budget_value
FROM r
LEFT JOIN ingest_unit_map um ON um.code_raw IS NOT DISTINCT FROM r.unit_code_raw
                            AND um.name_raw IS NOT DISTINCT FROM r.unit_name_raw
LEFT JOIN ingest_type_map tm ON tm.type_raw = r.type_raw
LEFT JOIN ingest_stage.titles ti ON ti.title_raw = r.title_raw
LEFT JOIN ingest_dates d ON d.date_raw = r.date_raw
LEFT JOIN ingest_numbers p ON p.kind = 'p' AND p.raw = r.participants_raw
LEFT JOIN ingest_numbers b ON b.kind = 'b' AND b.raw = r.budget_raw
)
SELECT *, hash(unit_code, type_code, activity_date, key_id) AS record_hash,
       (unit_error IS NULL AND type_error IS NULL AND title_error IS NULL AND date_error IS NULL
        AND participants_error IS NULL AND budget_error IS NULL
        AND NOT EXISTS (SELECT 1 FROM ingest_row_problems rp WHERE rp.line = c.line)) AS valid
FROM c;

CREATE OR REPLACE TEMP TABLE ingest_errors AS
WITH e AS (
    SELECT line, unit_field AS field, unit_value AS value, unit_error AS message FROM ingest_stage.checked WHERE unit_error IS NOT NULL
    UNION ALL
    SELECT line, 'loai_hoat_dong', type_value, type_error FROM ingest_stage.checked WHERE type_error IS NOT NULL
    UNION ALL
    SELECT line, 'ten_hoat_dong', NULL, title_error FROM ingest_stage.checked WHERE title_error IS NOT NULL
    UNION ALL
    SELECT line, 'ngay_to_chuc', date_value, date_error FROM ingest_stage.checked WHERE date_error IS NOT NULL
    UNION ALL
    SELECT line, 'so_nguoi_tham_gia', participants_value, participants_error FROM ingest_stage.checked WHERE participants_error IS NOT NULL
    UNION ALL
    SELECT line, 'kinh_phi', budget_value, budget_error FROM ingest_stage.checked WHERE budget_error IS NOT NULL
    UNION ALL
    SELECT line, field, value, message FROM ingest_row_problems  -- cells past the header, a quote never closed
)
SELECT e.line, e.field, e.value, coalesce(m.message, e.message) AS message
FROM e LEFT JOIN ingest_messages m ON m.key = e.message;

CREATE OR REPLACE TEMP VIEW ingest_valid AS SELECT * FROM ingest_stage.checked WHERE valid;

-- Keys seen more than once among the valid rows, in one pass: (unit, type, date, title) and (unit, activity id),
-- as 64-bit hashes. Usually empty; the exact checks below run only for these candidates.
CREATE OR REPLACE TEMP TABLE ingest_repeats AS
WITH v AS (SELECT record_hash, CASE WHEN activity_ref IS NOT NULL THEN hash(unit_code, activity_ref) END AS ref_hash
           FROM ingest_valid)
SELECT record_hash, ref_hash FROM v GROUP BY GROUPING SETS ((record_hash), (ref_hash)) HAVING count(*) > 1;

CREATE OR REPLACE TEMP TABLE ingest_file_duplicates (line BIGINT, first_line BIGINT);
