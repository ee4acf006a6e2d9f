-- Reference data (synced from data/ files) and the activity store.
CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR);

CREATE TABLE units (
    code VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    level VARCHAR NOT NULL,
    kind VARCHAR,
    parent_code VARCHAR,
    district_code VARCHAR,
    valid_from DATE,
    valid_to DATE,
    note VARCHAR,
    name_key VARCHAR NOT NULL
);

CREATE TABLE activity_groups (
    code VARCHAR PRIMARY KEY,
    label VARCHAR NOT NULL,
    label_en VARCHAR,
    sort_order INTEGER NOT NULL
);

CREATE TABLE activity_types (
    code VARCHAR PRIMARY KEY,
    label VARCHAR NOT NULL,
    label_en VARCHAR,
    group_code VARCHAR NOT NULL,
    sort_order INTEGER NOT NULL,
    label_key VARCHAR NOT NULL
);

CREATE TABLE plans (
    id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    start_date DATE NOT NULL,
    deadline DATE NOT NULL
);

CREATE TABLE targets (
    plan_id VARCHAR NOT NULL,
    id VARCHAR NOT NULL,
    level VARCHAR NOT NULL,
    description VARCHAR NOT NULL,
    minimum INTEGER NOT NULL,
    sort_order INTEGER NOT NULL,
    PRIMARY KEY (plan_id, id)
);

CREATE TABLE target_types (
    plan_id VARCHAR NOT NULL,
    target_id VARCHAR NOT NULL,
    type_code VARCHAR NOT NULL
);

CREATE SEQUENCE submission_ids START 1;
CREATE TABLE submissions (
    id INTEGER PRIMARY KEY DEFAULT nextval('submission_ids'),
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp(),
    user_name VARCHAR,
    encoding VARCHAR,
    rows INTEGER NOT NULL DEFAULT 0,
    accepted INTEGER NOT NULL DEFAULT 0,
    rejected INTEGER NOT NULL DEFAULT 0,
    duplicates INTEGER NOT NULL DEFAULT 0,
    inserted INTEGER NOT NULL DEFAULT 0,
    updated INTEGER NOT NULL DEFAULT 0,
    status VARCHAR NOT NULL DEFAULT 'active',   -- 'active' | 'rolled_back'
    rolled_back_at TIMESTAMP,
    rolled_back_by VARCHAR
);

-- Activity records are versions: an update inserts a new row and marks the old one superseded_by the
-- updating submission, so rolling that submission back restores the old version. No index: bulk
-- inserts stay fast and DuckDB scans are quick.
CREATE TABLE activities (
    id BIGINT NOT NULL,
    submission_id INTEGER,              -- NULL for demo data
    unit_code VARCHAR NOT NULL,
    type_code VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    activity_date DATE NOT NULL,
    participants INTEGER,
    location VARCHAR,
    budget_vnd BIGINT,
    activity_ref VARCHAR,
    notes VARCHAR,
    title_key VARCHAR NOT NULL,
    superseded_by INTEGER
);

CREATE VIEW current_activities AS
SELECT * FROM activities WHERE superseded_by IS NULL;
