INSERT INTO unit_report_files (report_id, kind, position, name, bytes, sha256, media_type)
VALUES ($report_id, $kind, $position, $name, $bytes, $sha256, $media_type)
