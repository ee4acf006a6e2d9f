-- A name's (or a client address's) failed sign-ins. ? = name_key.
SELECT failures, last_failed_at, locked_until FROM sign_in_throttle WHERE name_key = ?
