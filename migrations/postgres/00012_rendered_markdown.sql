-- Delegate safety II (issue 12, item 7): Markdown is rendered once, when it is written, and the
-- sanitised HTML is stored beside its source, so that reading a statement parses nothing.
-- NULL means "not rendered yet": rows written before this migration are rendered by the Go
-- step that runs right after the migrations (models.Store.Migrate → renderPending), since SQL
-- cannot render Markdown.
-- +goose Up
ALTER TABLE statements ADD COLUMN body_html TEXT;
ALTER TABLE statement_translations ADD COLUMN body_html TEXT;
ALTER TABLE amendments ADD COLUMN text_html TEXT;

-- +goose Down
ALTER TABLE amendments DROP COLUMN text_html;
ALTER TABLE statement_translations DROP COLUMN body_html;
ALTER TABLE statements DROP COLUMN body_html;
