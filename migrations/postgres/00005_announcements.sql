-- +goose Up
-- Announcements sent by organisers. Subject and body are sealed like other free text and stored
-- once: the outbox rows of an announcement reference it instead of copying the text per recipient.
CREATE TABLE announcements (
    id TEXT PRIMARY KEY,
    conference_id TEXT NOT NULL REFERENCES conferences(id) ON DELETE CASCADE,
    subject_sealed BYTEA NOT NULL,
    body_sealed BYTEA NOT NULL,
    audience TEXT NOT NULL DEFAULT '{}',
    recipients INTEGER NOT NULL DEFAULT 0,
    created_by TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX announcements_conference ON announcements(conference_id, created_at);

-- The delivery view lists a conference's mail newest first.
CREATE INDEX outbox_conference_created ON outbox_messages(conference_id, created_at);

-- +goose Down
DROP INDEX outbox_conference_created;
DROP TABLE announcements;
