-- ? = last_sign_in_at, name_key.
UPDATE accounts SET last_sign_in_at = ? WHERE name_key = ?
