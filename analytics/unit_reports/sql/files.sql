-- The files of a plan's report versions.
SELECT f.report_id, f.kind, f.position, f.name, f.bytes, f.sha256, f.media_type
FROM unit_report_files f JOIN unit_reports r ON r.id = f.report_id
WHERE r.plan_id = $plan_id
ORDER BY f.report_id, f.kind, f.position
