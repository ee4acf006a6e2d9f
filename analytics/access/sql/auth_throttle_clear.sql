-- Forget a name's failed sign-ins and lock. ? = name_key.
DELETE FROM sign_in_throttle WHERE name_key = ?
