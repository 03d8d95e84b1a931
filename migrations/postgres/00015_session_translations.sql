-- Issue 13: a session's title and description in the conference's other languages, as JSON
-- {lang: {title, description}}; the columns title and description stay the default language's.
-- +goose Up
ALTER TABLE sessions ADD COLUMN translations TEXT NOT NULL DEFAULT '{}';

-- +goose Down
ALTER TABLE sessions DROP COLUMN translations;
