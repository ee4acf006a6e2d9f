-- The version number of a report id, when it belongs to that unit.
SELECT version FROM unit_reports WHERE id = $report_id AND unit_code = $unit_code
