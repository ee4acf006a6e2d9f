-- Each checked record (ingest_records_in) against the current store: a known (unit, ma_hoat_dong) is an
-- update, or a duplicate when nothing changed; a known (unit, type, date, folded title) is a duplicate, unless
-- the stored record has no ma_hoat_dong and this row brings one: then an update that gives it the id (so later
-- rows with that id update it instead of adding a second copy).
CREATE OR REPLACE TEMP TABLE ingest_outcome AS
WITH by_ref AS (
    SELECT r.line, a.id AS old_id,
           (a.type_code, a.activity_date, a.title, a.participants, a.location, a.budget_vnd, a.notes)
               IS NOT DISTINCT FROM (r.type_code, r.activity_date, r.title, r.participants, r.location, r.budget_vnd, r.notes)
               AS unchanged
    FROM ingest_records_in r
    JOIN current_activities a ON a.unit_code = r.unit_code AND a.activity_ref = r.activity_ref
    WHERE r.activity_ref IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY r.line ORDER BY a.id DESC) = 1
),
by_key AS (
    SELECT r.line, a.id AS old_id, a.activity_ref IS NULL AND r.activity_ref IS NOT NULL AS adopts_ref
    FROM ingest_records_in r
    JOIN current_activities a ON a.unit_code = r.unit_code AND a.type_code = r.type_code
     AND a.activity_date = r.activity_date AND a.title_key = r.title_key
    QUALIFY row_number() OVER (PARTITION BY r.line ORDER BY a.activity_ref IS NULL DESC, a.id DESC) = 1
)
SELECT r.line,
       CASE WHEN br.line IS NOT NULL THEN CASE WHEN br.unchanged THEN 'duplicate' ELSE 'update' END
            WHEN bk.line IS NOT NULL THEN CASE WHEN bk.adopts_ref THEN 'update' ELSE 'duplicate' END
            ELSE 'new' END AS outcome,
       CASE WHEN br.line IS NOT NULL THEN CASE WHEN NOT br.unchanged THEN br.old_id END
            WHEN bk.adopts_ref THEN bk.old_id END AS old_id
FROM ingest_records_in r
LEFT JOIN by_ref br ON br.line = r.line
LEFT JOIN by_key bk ON bk.line = r.line
