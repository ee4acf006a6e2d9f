-- Check the staged rows (ingest_titled_rows: the view ingest_rows over ingest_raw, raw cells with their spreadsheet
-- line, and each row's title from ingest_titles_*.sql) in one pass. Units and types come resolved from small
-- lookup tables built per distinct raw value (ingest_unit_map, ingest_type_map), dates and numbers from
-- ingest_values.sql. ${stage} is the check's own in-memory database (analytics/intake/stage_queries.py fills it in).

-- One row per record: normalised values, and the problems of a rejected row as one list (field, value, message;
-- NULL for a valid row, so the check's table carries no column of errors a million times empty). It lives in
-- the check's staging database, which stays attached until the result is stored or dropped.
CREATE TABLE ${stage}.checked AS
WITH r AS (
    SELECT line, unit_code_raw, unit_name_raw, type_raw, date_raw, participants_raw, budget_raw,
           title_id, title_clean, key_id, title_text, title_key_text,
           ingest_clean(location) AS location, ingest_clean(activity_ref) AS activity_ref,
           ingest_clean(notes) AS notes
    FROM ingest_titled_rows
),
c AS (
SELECT r.line, um.unit_code, tm.type_code, r.title_id, d.activity_date, CASE WHEN p.error IS NULL THEN p.number END::INTEGER AS participants,
       r.location, b.number AS budget_vnd, r.activity_ref, r.notes,
       r.key_id, r.title_text, r.title_key_text,
       um.error_field AS unit_field, um.error AS unit_error,
       CASE WHEN um.error IS NOT NULL THEN um.value END AS unit_value,
       CASE WHEN r.type_raw IS NULL OR tm.value IS NULL THEN 'required' ELSE tm.error END AS type_error,
       CASE WHEN tm.error IS NOT NULL THEN tm.value END AS type_value,
       CASE WHEN r.title_clean IS NULL THEN 'required' END AS title_error,
       CASE WHEN r.date_raw IS NULL THEN 'required' ELSE d.error END AS date_error,
       CASE WHEN d.error IS NOT NULL THEN d.value END AS date_value,
       p.error AS participants_error, CASE WHEN p.error IS NOT NULL THEN p.value END AS participants_value,
       CASE b.error WHEN 'number_not_whole' THEN 'budget_not_whole' WHEN 'number_too_large' THEN 'budget_too_large'
                    ELSE b.error END AS budget_error, CASE WHEN b.error IS NOT NULL THEN b.value END AS budget_value
FROM r
LEFT JOIN ingest_unit_map um ON um.code_raw IS NOT DISTINCT FROM r.unit_code_raw
                            AND um.name_raw IS NOT DISTINCT FROM r.unit_name_raw
LEFT JOIN ingest_type_map tm ON tm.type_raw = r.type_raw
LEFT JOIN ingest_dates d ON d.date_raw = r.date_raw
LEFT JOIN ingest_numbers p ON p.kind = 'p' AND p.raw = r.participants_raw
LEFT JOIN ingest_numbers b ON b.kind = 'b' AND b.raw = r.budget_raw
),
v AS (
SELECT *, (unit_error IS NULL AND type_error IS NULL AND title_error IS NULL AND date_error IS NULL
           AND participants_error IS NULL AND budget_error IS NULL) AS cells_valid
FROM c
)
SELECT line, unit_code, type_code, title_id, activity_date, participants, location, budget_vnd, activity_ref, notes,
       key_id, title_text, title_key_text, hash(unit_code, type_code, activity_date, key_id) AS record_hash,
       cells_valid AND NOT EXISTS (SELECT 1 FROM ingest_row_problems rp WHERE rp.line = v.line) AS valid,
       CASE WHEN NOT cells_valid THEN list_filter([
           {'field': unit_field, 'value': unit_value, 'message': unit_error},
           {'field': 'loai_hoat_dong', 'value': type_value, 'message': type_error},
           {'field': 'ten_hoat_dong', 'value': NULL::VARCHAR, 'message': title_error},
           {'field': 'ngay_to_chuc', 'value': date_value, 'message': date_error},
           {'field': 'so_nguoi_tham_gia', 'value': participants_value, 'message': participants_error},
           {'field': 'kinh_phi', 'value': budget_value, 'message': budget_error}
       ], lambda problem: problem.message IS NOT NULL) END AS problems
FROM v;

CREATE OR REPLACE TEMP TABLE ingest_errors AS
WITH e AS (
    SELECT line, problem.field, problem.value, problem.message
    FROM (SELECT line, unnest(problems) AS problem FROM ${stage}.checked WHERE problems IS NOT NULL)
    UNION ALL
    SELECT line, field, value, message FROM ingest_row_problems  -- cells past the header, a quote never closed
)
SELECT e.line, e.field, e.value, coalesce(m.message, e.message) AS message
FROM e LEFT JOIN ingest_messages m ON m.key = e.message;

CREATE OR REPLACE TEMP VIEW ingest_valid AS SELECT * FROM ${stage}.checked WHERE valid;

-- Keys seen more than once among the valid rows: (unit, type, date, title) and (unit, activity id), as 64-bit
-- hashes. Usually empty; the exact checks below run only for these candidates. Two plain groupings: GROUPING SETS
-- would first materialise the rows for both.
CREATE OR REPLACE TEMP TABLE ingest_repeats AS
SELECT record_hash, NULL::UBIGINT AS ref_hash FROM ingest_valid GROUP BY record_hash HAVING count(*) > 1
UNION ALL
SELECT NULL, ref_hash
FROM (SELECT hash(unit_code, activity_ref) AS ref_hash FROM ingest_valid WHERE activity_ref IS NOT NULL)
GROUP BY ref_hash HAVING count(*) > 1;

CREATE OR REPLACE TEMP TABLE ingest_file_duplicates (line BIGINT, first_line BIGINT);
