-- After a sign-in: the counter goes, and the lock this very attempt set; a lock set by another
-- attempt stays. ? = name_key, the attempt's own locked_until (or NULL).
DELETE FROM sign_in_throttle WHERE name_key = ? AND (locked_until IS NULL OR locked_until = ?)
