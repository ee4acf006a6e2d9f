-- The records a check found storable (valid, not repeated inside the file), from the check's staging database.
CREATE OR REPLACE TEMP VIEW ingest_records_in AS
SELECT c.line, c.unit_code, c.type_code, coalesce(c.title_text, t.title) AS title, c.activity_date, c.participants,
       c.location, c.budget_vnd, c.activity_ref, c.notes, coalesce(c.title_key_text, t.title_key) AS title_key
FROM ${stage}.checked c
LEFT JOIN ${stage}.titles t ON t.title_id = c.title_id  -- empty when the rows carry their titles (title_text)
WHERE c.valid AND c.line NOT IN (SELECT line FROM ${stage}.excluded)
