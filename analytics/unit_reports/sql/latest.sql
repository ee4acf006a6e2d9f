-- A unit's latest report version (whenever it was handed in), if any.
SELECT id, version, handed_in_at
FROM unit_reports
WHERE plan_id = $plan_id AND unit_code = $unit_code
ORDER BY version DESC
LIMIT 1
