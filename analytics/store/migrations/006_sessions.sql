-- Sign-in sessions that outlive a browser tab: a random token in the browser's cookie, only its SHA-256 here.
-- A session ends by sign-out, by idling past [auth] idle_minutes, or when its account's session_epoch moves on
-- (disabled, new password, new role).
CREATE TABLE sessions (
    token_hash VARCHAR PRIMARY KEY,         -- sha256 hex of the token; the token itself is never stored
    name_key VARCHAR NOT NULL,              -- accounts.name_key
    session_epoch INTEGER NOT NULL,         -- the account's epoch at sign-in
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,        -- refreshed at most once a minute by the runs that use it
    ended_at TIMESTAMP,
    ended_why VARCHAR                       -- 'sign_out' | 'idle' | 'account'
);
