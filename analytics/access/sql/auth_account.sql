-- One account by its folded name.
SELECT name_key, name, role, unit_code, password_hash, active, created_at, last_sign_in_at, session_epoch
FROM accounts
WHERE name_key = $name_key
