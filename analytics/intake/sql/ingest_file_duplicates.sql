-- Repeats inside the file: the first occurrence is kept, the others are duplicates. Only rows whose key hash
-- repeats (ingest_repeats) are grouped by the full key.
INSERT INTO ingest_file_duplicates
WITH v AS (SELECT c.line, c.unit_code, c.type_code, c.activity_date, coalesce(c.title_key_text, t.title_key) AS title_key
           FROM ingest_valid c LEFT JOIN ${stage}.titles t ON t.title_id = c.title_id
           WHERE c.record_hash IN (SELECT record_hash FROM ingest_repeats WHERE record_hash IS NOT NULL)
             AND c.line NOT IN (SELECT line FROM ingest_errors WHERE field = 'ma_hoat_dong')),
g AS (
    SELECT unit_code, type_code, activity_date, title_key, min(line) AS first_line FROM v
    GROUP BY ALL HAVING count(*) > 1
)
SELECT v.line, g.first_line FROM v JOIN g USING (unit_code, type_code, activity_date, title_key)
WHERE v.line > g.first_line
