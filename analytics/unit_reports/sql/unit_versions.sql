-- Every version of one unit's report for a plan, newest first.
SELECT id, version, handed_in_at, handed_in_by, channel
FROM unit_reports
WHERE plan_id = $plan_id AND unit_code = $unit_code
ORDER BY version DESC
