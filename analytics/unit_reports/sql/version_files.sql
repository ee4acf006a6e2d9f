-- The files of one report version.
SELECT kind, position, name, bytes, sha256, media_type
FROM unit_report_files
WHERE report_id = $report_id
ORDER BY kind, position
