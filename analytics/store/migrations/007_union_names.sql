-- Units carry the Union body's name in `name`; the administrative unit's name, the document symbol and the
-- heading lines of the unit's documents beside it (data/units.csv). Existing stores upgrade in place; the
-- registry sync fills the columns (its fingerprint changes with them).
ALTER TABLE units ADD COLUMN IF NOT EXISTS admin_name VARCHAR;
ALTER TABLE units ADD COLUMN IF NOT EXISTS symbol VARCHAR;
ALTER TABLE units ADD COLUMN IF NOT EXISTS superior_line VARCHAR;
ALTER TABLE units ADD COLUMN IF NOT EXISTS committee_line VARCHAR;
ALTER TABLE units ADD COLUMN IF NOT EXISTS standing_committee BOOLEAN;
ALTER TABLE units ADD COLUMN IF NOT EXISTS unconfirmed VARCHAR;
