-- Every account with its unit's name and any sign-in lock, for `users list` and the accounts page.
SELECT a.name, a.role, a.unit_code, u.name AS unit_name, a.active, a.created_at, a.created_by,
       a.password_changed_at, a.last_sign_in_at,
       CASE WHEN t.locked_until > current_localtimestamp() THEN t.locked_until END AS locked_until
FROM accounts a
LEFT JOIN units u ON u.code = a.unit_code
LEFT JOIN sign_in_throttle t ON t.name_key = a.name_key
ORDER BY a.name_key
