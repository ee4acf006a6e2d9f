-- How many accounts exist (none: the dashboard serves only this machine).
SELECT count(*) FROM accounts
