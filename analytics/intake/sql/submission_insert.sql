-- The new and updating records of a submission (ingest_final: checked records with their outcome) become
-- current rows.
INSERT INTO activities (id, submission_id, unit_code, type_code, title, activity_date, participants, location,
                        budget_vnd, activity_ref, notes, title_key, superseded_by)
SELECT (SELECT coalesce(max(id), 0) FROM activities) + line, $submission_id, unit_code, type_code, title,
       activity_date, participants, location, budget_vnd, activity_ref, notes, title_key, NULL
FROM ingest_final
WHERE outcome IN ('new', 'update')
