-- Rolling back: the versions this submission replaced become current again, unless this submission's own
-- version was itself replaced later; then they pass to that later submission (no two current versions).
UPDATE activities AS x
SET superseded_by = (SELECT max(a.superseded_by) FROM activities a
                     WHERE a.submission_id = $submission_id AND a.unit_code = x.unit_code
                       AND a.activity_ref = x.activity_ref)
WHERE x.superseded_by = $submission_id
