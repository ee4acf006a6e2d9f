-- Every version of every unit's year-end report for a plan, handed in up to :at (oldest first).
SELECT id, unit_code, version, handed_in_at, recorded_at, handed_in_by, channel
FROM unit_reports
WHERE plan_id = $plan_id AND handed_in_at <= $at
ORDER BY unit_code, version
