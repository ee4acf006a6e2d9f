-- Every problem found by ingest_check, in spreadsheet order.
SELECT line, field, value, message FROM ingest_errors ORDER BY line, field
