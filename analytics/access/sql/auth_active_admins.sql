-- How many active administrators (the last one may not be disabled or demoted).
SELECT count(*) FROM accounts WHERE role = 'admin' AND active
