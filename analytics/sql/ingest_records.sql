-- The records a check found storable (valid, not repeated inside the file), from the check's staging database.
CREATE OR REPLACE TEMP VIEW ingest_records_in AS
SELECT line, unit_code, type_code, title, activity_date, participants, location, budget_vnd, activity_ref, notes,
       title_key
FROM ingest_stage.checked
WHERE valid AND line NOT IN (SELECT line FROM ingest_stage.excluded)
