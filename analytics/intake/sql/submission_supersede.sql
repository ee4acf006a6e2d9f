-- The versions an update replaced stop being current: superseded_by = the updating submission.
UPDATE activities SET superseded_by = $submission_id
WHERE superseded_by IS NULL AND id IN (SELECT old_id FROM ingest_outcome WHERE outcome = 'update')
