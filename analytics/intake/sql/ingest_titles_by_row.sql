-- Titles that are (nearly) all different: trimmed and folded row by row inside the check's own pass
-- (ingest_check.sql), so the rows carry their title and key as text (title_text, title_key_text) and no table of
-- titles is built and joined back by line: the fold (a Python function when titles are many) then runs beside the
-- check's joins instead of alone. ${stage}.titles stays empty; the queries that read titles take the row's text
-- first (coalesce(c.title_key_text, t.title_key)).
-- ingest_titled_rows: as in ingest_titles_distinct.sql (read by ingest_check).
CREATE TABLE ${stage}.titles (title_id BIGINT, title VARCHAR, title_key VARCHAR, key_id UBIGINT);

CREATE OR REPLACE TEMP VIEW ingest_titled_rows AS
SELECT *, title_clean AS title_text, title_key AS title_key_text, hash(title_key) AS key_id
FROM (SELECT *, ingest_title_key(title_clean) AS title_key
      FROM (SELECT *, line AS title_id, ingest_clean(title) AS title_clean FROM ingest_rows));
