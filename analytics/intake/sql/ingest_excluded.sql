-- Valid rows left out of the store: a reused activity id (rejected) or a repeat inside the file.
CREATE TABLE ${stage}.excluded AS
SELECT line FROM ingest_errors WHERE field = 'ma_hoat_dong'
UNION ALL
SELECT line FROM ingest_file_duplicates
