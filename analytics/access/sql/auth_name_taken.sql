-- Is this folded name an account already? ? = name_key.
SELECT count(*) FROM accounts WHERE name_key = ?
