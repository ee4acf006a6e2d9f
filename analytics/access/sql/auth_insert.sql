-- A new account. ? = name_key, name, role, unit_code, password_hash, created_by.
INSERT INTO accounts (name_key, name, role, unit_code, password_hash, created_by, password_changed_at)
VALUES (?, ?, ?, ?, ?, ?, current_localtimestamp())
