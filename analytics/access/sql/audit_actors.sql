-- Everyone who appears in the audit log, for the filter.
SELECT DISTINCT actor FROM audit_log WHERE actor IS NOT NULL ORDER BY actor
