-- Every submission, newest first, with the Union names of the units its stored rows are for (a rolled-back
-- submission's rows are gone, so it names none).
WITH submission_units AS (
    SELECT a.submission_id, string_agg(DISTINCT coalesce(u.name, a.unit_code), '; ' ORDER BY coalesce(u.name, a.unit_code)) AS unit_names
    FROM activities a LEFT JOIN units u ON u.code = a.unit_code
    WHERE a.submission_id IS NOT NULL
    GROUP BY a.submission_id
)
SELECT s.id, s.created_at, s.file_name, coalesce(su.unit_names, '') AS unit_names, s.user_name, s.encoding, s.rows,
       s.accepted, s.rejected, s.duplicates, s.inserted, s.updated, s.status, s.rolled_back_at, s.rolled_back_by,
       s.sha256
FROM submissions s LEFT JOIN submission_units su ON su.submission_id = s.id
ORDER BY s.id DESC
