-- ? = name_key, failures, last_failed_at, locked_until.
INSERT OR REPLACE INTO sign_in_throttle VALUES (?, ?, ?, ?)
