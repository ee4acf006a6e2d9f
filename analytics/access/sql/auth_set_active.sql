-- Disable or enable; either ends the account's sessions. ? = active, name_key.
UPDATE accounts SET active = ?, session_epoch = session_epoch + 1 WHERE name_key = ?
