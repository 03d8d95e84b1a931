-- +goose Up
-- Erasing a delegate revokes their links and sessions: find them by delegate.
CREATE INDEX auth_tokens_delegate ON auth_tokens(delegate_id);

-- +goose Down
DROP INDEX auth_tokens_delegate;
