-- Long-lived API tokens for integrations carry a name their owner chose.
-- +goose Up
ALTER TABLE auth_tokens ADD COLUMN name TEXT NOT NULL DEFAULT '';
CREATE INDEX auth_tokens_account ON auth_tokens(account_id, kind);

-- +goose Down
DROP INDEX auth_tokens_account;
ALTER TABLE auth_tokens DROP COLUMN name;
