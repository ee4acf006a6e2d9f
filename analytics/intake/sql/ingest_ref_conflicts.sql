-- The same unit and ma_hoat_dong twice in one file with different content: the later row is rejected.
INSERT INTO ingest_errors
WITH g AS (
    SELECT unit_code, activity_ref, min(line) AS first_line FROM ingest_valid
    WHERE activity_ref IS NOT NULL
      AND hash(unit_code, activity_ref) IN (SELECT ref_hash FROM ingest_repeats WHERE ref_hash IS NOT NULL)
    GROUP BY ALL HAVING count(*) > 1
),
f AS (SELECT v.line, v.activity_ref, v.type_code, v.activity_date, coalesce(v.title_key_text, t.title_key) AS title_key,
             g.first_line
      FROM ingest_valid v JOIN g USING (unit_code, activity_ref) LEFT JOIN ${stage}.titles t ON t.title_id = v.title_id)
SELECT f.line, 'ma_hoat_dong', f.activity_ref,
       replace((SELECT message FROM ingest_messages WHERE key = 'ref_conflict'), '{line}', f.first_line::VARCHAR)
FROM f JOIN f AS first ON first.line = f.first_line
WHERE f.line > f.first_line
  AND (f.type_code, f.activity_date, f.title_key) IS DISTINCT FROM (first.type_code, first.activity_date, first.title_key)
