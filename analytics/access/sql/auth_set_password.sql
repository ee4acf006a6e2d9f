-- A new password ends the account's sessions. ? = password_hash, name_key.
UPDATE accounts SET password_hash = ?, password_changed_at = current_localtimestamp(),
    session_epoch = session_epoch + 1
WHERE name_key = ?
