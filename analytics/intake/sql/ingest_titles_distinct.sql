-- Titles clerks reuse: trimmed and folded once per distinct title, numbered so the checked rows carry small ids
-- instead of copies of the text; key_id is a hash of the folded title (exact checks compare the text).
-- ingest_titled_rows: the rows to check with their title's id, trimmed text and key hash (read by ingest_check),
-- and title_text, title_key_text: the row's own title and key where ${stage}.titles does not hold them
-- (ingest_titles_by_row.sql), here NULL.
CREATE TABLE ${stage}.titles AS
WITH d AS (SELECT DISTINCT title AS title_raw FROM ingest_cells WHERE title IS NOT NULL),
s AS (SELECT title_raw, ingest_clean(title_raw) AS title FROM d)
SELECT row_number() OVER () AS title_id, title_raw, title, title_key, hash(title_key) AS key_id
FROM (SELECT title_raw, title, ingest_title_key(title) AS title_key FROM s);

CREATE OR REPLACE TEMP VIEW ingest_titled_rows AS
SELECT r.*, ti.title_id, ti.title AS title_clean, ti.key_id,
       NULL::VARCHAR AS title_text, NULL::VARCHAR AS title_key_text  -- by title_id from ${stage}.titles
FROM ingest_rows r LEFT JOIN ${stage}.titles ti ON ti.title_raw = r.title;
