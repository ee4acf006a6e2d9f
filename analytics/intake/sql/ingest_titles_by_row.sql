-- Titles that are (nearly) all different: folded row by row, keyed by the row's line. Grouping a million different
-- titles and joining them back by their text would cost more than the fold it saves.
-- ingest_titled_rows: as in ingest_titles_distinct.sql (read by ingest_check).
CREATE TABLE ${stage}.titles AS
SELECT line AS title_id, title, title_key, hash(title_key) AS key_id
FROM (SELECT line, title, ingest_title_key(title) AS title_key
      FROM (SELECT line, ingest_clean(title) AS title FROM ingest_rows));

CREATE OR REPLACE TEMP VIEW ingest_titled_rows AS
SELECT r.*, ti.title_id, ti.title AS title_clean, ti.key_id
FROM ingest_rows r LEFT JOIN ${stage}.titles ti ON ti.title_id = r.line;
