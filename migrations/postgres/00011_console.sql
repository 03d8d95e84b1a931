-- Wave 2 (issue 13): the delegate's chosen mail language, announcements in every language and
-- one-click unsubscribe tokens.
-- +goose Up
ALTER TABLE delegates ADD COLUMN mail_language TEXT NOT NULL DEFAULT '';
-- The decoy rows of a known address's registration have every column of a delegate.
ALTER TABLE registration_decoys ADD COLUMN mail_language TEXT NOT NULL DEFAULT '';
-- An announcement's other languages: JSON {lang: {subject, body}}, sealed like its text.
ALTER TABLE announcements ADD COLUMN translations_sealed BYTEA;

-- +goose Down
ALTER TABLE announcements DROP COLUMN translations_sealed;
ALTER TABLE registration_decoys DROP COLUMN mail_language;
ALTER TABLE delegates DROP COLUMN mail_language;
