-- A new role (and unit) ends the account's sessions. ? = role, unit_code, name_key.
UPDATE accounts SET role = ?, unit_code = ?, session_epoch = session_epoch + 1
WHERE name_key = ?
