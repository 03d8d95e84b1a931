-- Registration looks up the holders of a batch's addresses by their blind indexes alone. With the
-- unique index led by conference_id, PostgreSQL could also answer that lookup from
-- delegates_conference_status, and chose to while a burst of registrations outgrows the
-- table's statistics (autovacuum analyses a table at most once a minute): each lookup then read
-- every delegate of the conference. Led by email_index, the unique index is the only one the
-- lookup can use. It still backs ON CONFLICT (conference_id, email_index): a conflict target
-- names the columns, not their order. A blind index is keyed per conference, so equal indexes
-- of two conferences never name the same address.
-- +goose Up
DROP INDEX delegates_conference_email;
CREATE UNIQUE INDEX delegates_email_conference ON delegates(email_index, conference_id);

-- +goose Down
DROP INDEX delegates_email_conference;
CREATE UNIQUE INDEX delegates_conference_email ON delegates(conference_id, email_index);
