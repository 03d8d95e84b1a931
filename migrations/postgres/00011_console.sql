-- Wave 2 (issue 13): the delegate's chosen mail language, announcements in every language and
-- one-click unsubscribe tokens.
-- +goose Up
ALTER TABLE delegates ADD COLUMN mail_language TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE delegates DROP COLUMN mail_language;
