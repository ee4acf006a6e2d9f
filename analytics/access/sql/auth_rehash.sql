-- A stronger hash of the same password. ? = password_hash, name_key.
UPDATE accounts SET password_hash = ? WHERE name_key = ?
