-- Accounts (argon2id hashes only, never a password), sign-in throttling and the audit log.
CREATE TABLE accounts (
    name_key VARCHAR PRIMARY KEY,           -- fold(name): sign-in names match ignoring case and diacritics
    name VARCHAR NOT NULL,                  -- as typed when created (NFC)
    role VARCHAR NOT NULL,                  -- 'viewer' | 'uploader' | 'admin'
    unit_code VARCHAR,                      -- uploader: the unit (and the units under it) they may upload for
    password_hash VARCHAR NOT NULL,         -- argon2id encoded hash
    active BOOLEAN NOT NULL DEFAULT true,
    created_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp(),
    created_by VARCHAR,
    password_changed_at TIMESTAMP,
    last_sign_in_at TIMESTAMP,
    session_epoch INTEGER NOT NULL DEFAULT 0 -- bumped by a password, role or status change: open sessions end
);

-- Failed sign-ins per attempted name (known or not, so both behave alike).
CREATE TABLE sign_in_throttle (
    name_key VARCHAR PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_failed_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP
);

CREATE SEQUENCE audit_ids START 1;
CREATE TABLE audit_log (
    id BIGINT PRIMARY KEY DEFAULT nextval('audit_ids'),
    occurred_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp(),
    actor VARCHAR,                          -- account name; NULL: this machine with no account (or the CLI)
    action VARCHAR NOT NULL,                -- sign_in, sign_in_failed, upload, rollback, export, account_add, ...
    detail VARCHAR                          -- JSON object
);
