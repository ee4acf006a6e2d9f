-- The key of the fingerprints that name unknown sign-in names in the audit log.
SELECT value FROM meta WHERE key = 'audit_name_secret'
