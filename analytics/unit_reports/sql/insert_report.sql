INSERT INTO unit_reports (plan_id, unit_code, version, handed_in_at, recorded_at, handed_in_by, channel)
VALUES ($plan_id, $unit_code, $version, $handed_in_at, $recorded_at, $handed_in_by, $channel)
RETURNING id
