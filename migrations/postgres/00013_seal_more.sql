-- Delegate safety II (issue 12, item 8): less in plain text at rest.
-- Organisations: the name is sealed for every organisation (name_sealed, bound to the row) and
-- looked up by a keyed blind index (name_index, unique per conference); the plain name column
-- keeps the name only while the organisation is public (verified and listed), '' otherwise.
-- Sign-in tokens of delegates (sign-in and confirmation links, delegate sessions): the plain
-- times are coarse (created_at and used_at to the hour, expires_at and idle_expires_at rounded up
-- to the hour, enough for the expiry sweep), the exact expiries are sealed.
-- Existing rows are sealed by the Go step that runs right after the migrations
-- (models.Store.Migrate → sealPending), since SQL has no key.
-- +goose Up
ALTER TABLE organisations ADD COLUMN name_sealed BYTEA;
ALTER TABLE organisations ADD COLUMN name_index BYTEA;
DROP INDEX organisations_conference_name;
CREATE UNIQUE INDEX organisations_conference_name ON organisations(conference_id, name_index);
ALTER TABLE auth_tokens ADD COLUMN expires_sealed BYTEA;
ALTER TABLE auth_tokens ADD COLUMN idle_expires_sealed BYTEA;

-- +goose Down
-- Without the key SQL cannot open name_sealed: names of organisations that were not public stay ''.
ALTER TABLE auth_tokens DROP COLUMN idle_expires_sealed;
ALTER TABLE auth_tokens DROP COLUMN expires_sealed;
DROP INDEX organisations_conference_name;
CREATE UNIQUE INDEX organisations_conference_name ON organisations(conference_id, name);
ALTER TABLE organisations DROP COLUMN name_index;
ALTER TABLE organisations DROP COLUMN name_sealed;
