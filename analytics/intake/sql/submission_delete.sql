-- Rolling back: the rows the submission stored.
DELETE FROM activities WHERE submission_id = $submission_id
