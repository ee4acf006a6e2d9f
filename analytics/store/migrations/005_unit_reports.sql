-- The plan's reporting cycle (V.2): each unit's year-end report (Word file + signed scan), its versions and the
-- province's review. File bytes live outside the store, under <store folder>/report_files/<sha256>.
CREATE SEQUENCE unit_report_ids START 1;
CREATE TABLE unit_reports (
    id BIGINT PRIMARY KEY DEFAULT nextval('unit_report_ids'),
    plan_id VARCHAR NOT NULL,
    unit_code VARCHAR NOT NULL,
    version INTEGER NOT NULL,               -- 1, 2, ... per plan and unit: a hand-in again is a new version
    handed_in_at TIMESTAMP NOT NULL,        -- when the report reached the province (an admin may give it: email, paper)
    recorded_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp(),
    handed_in_by VARCHAR,                   -- account name (or cli:<os user>)
    channel VARCHAR NOT NULL,               -- 'web' | 'cli' | 'received' (by email or on paper, entered by an admin)
    UNIQUE (plan_id, unit_code, version)
);

-- The files of a version: a hand-in with only one kind keeps the other kind's files of the version before.
CREATE TABLE unit_report_files (
    report_id BIGINT NOT NULL,
    kind VARCHAR NOT NULL,                  -- 'word' | 'scan'
    position INTEGER NOT NULL,              -- scan pages in order (1, 2, ...)
    name VARCHAR NOT NULL,                  -- the user's file name, shown only (never a path)
    bytes BIGINT NOT NULL,
    sha256 VARCHAR NOT NULL,                -- the stored file's name
    media_type VARCHAR NOT NULL,            -- found from the content: docx | pdf | jpeg | png
    PRIMARY KEY (report_id, kind, position)
);

CREATE TABLE unit_report_reviews (
    report_id BIGINT NOT NULL,
    state VARCHAR NOT NULL,                 -- 'accepted' | 'returned'
    reason VARCHAR,                         -- why it was returned
    reviewed_by VARCHAR,
    reviewed_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp()
);
