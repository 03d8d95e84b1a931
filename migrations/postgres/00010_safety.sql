-- Delegate safety (wave 2).
-- registration_decoys has the shape and indexes of delegates but nothing refers to it: a
-- registration for an address already held inserts its decoy here and deletes it in the same
-- transaction, so that known and new addresses cost the same (no timing oracle). It is always empty.
-- +goose Up
CREATE TABLE registration_decoys (
    id TEXT PRIMARY KEY,
    conference_id TEXT NOT NULL REFERENCES conferences(id) ON DELETE CASCADE,
    organisation_id TEXT REFERENCES organisations(id) ON DELETE SET NULL,
    role TEXT NOT NULL,
    status TEXT NOT NULL,
    display_name TEXT NOT NULL,
    email_sealed BYTEA,
    email_index BYTEA,
    country TEXT NOT NULL DEFAULT '',
    languages TEXT NOT NULL DEFAULT '[]',
    attendance TEXT NOT NULL,
    visibility TEXT NOT NULL,
    interpretation_needs_sealed BYTEA,
    accessibility_needs_sealed BYTEA,
    legal_name_sealed BYTEA,
    needs_visa_letter BOOLEAN NOT NULL DEFAULT FALSE,
    notes_sealed BYTEA,
    decision_reason_sealed BYTEA,
    notify_announcements BOOLEAN NOT NULL DEFAULT TRUE,
    notify_agenda BOOLEAN NOT NULL DEFAULT TRUE,
    feed_token_hash BYTEA,
    waitlist_seq INTEGER,
    consent_at TIMESTAMPTZ,
    confirmed_at TIMESTAMPTZ,
    decided_at TIMESTAMPTZ,
    cancelled_at TIMESTAMPTZ,
    erased_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX registration_decoys_conference_email ON registration_decoys(conference_id, email_index);
CREATE INDEX registration_decoys_conference_status ON registration_decoys(conference_id, status);
CREATE INDEX registration_decoys_organisation ON registration_decoys(organisation_id, status);
CREATE UNIQUE INDEX registration_decoys_feed_token ON registration_decoys(feed_token_hash) WHERE feed_token_hash IS NOT NULL;

-- Discreet mail: a conference opts in to being named in subjects and first lines.
ALTER TABLE conferences ADD COLUMN mail_names_conference BOOLEAN NOT NULL DEFAULT FALSE;
-- The OpenPGP public key of a delegate (sealed): every mail to them is encrypted.
ALTER TABLE delegates ADD COLUMN openpgp_key_sealed BYTEA;
ALTER TABLE registration_decoys ADD COLUMN openpgp_key_sealed BYTEA;
-- Staff second factor (TOTP, RFC 6238) and the instance settings an admin changes.
ALTER TABLE accounts ADD COLUMN totp_secret_sealed BYTEA;
ALTER TABLE accounts ADD COLUMN totp_enabled_at TIMESTAMPTZ;
ALTER TABLE accounts ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN totp_recovery TEXT NOT NULL DEFAULT '[]';
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE settings;
ALTER TABLE accounts DROP COLUMN totp_recovery;
ALTER TABLE accounts DROP COLUMN totp_last_step;
ALTER TABLE accounts DROP COLUMN totp_enabled_at;
ALTER TABLE accounts DROP COLUMN totp_secret_sealed;
ALTER TABLE delegates DROP COLUMN openpgp_key_sealed;
ALTER TABLE conferences DROP COLUMN mail_names_conference;
DROP TABLE registration_decoys;
