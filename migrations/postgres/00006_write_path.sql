-- Leaner indexes on the registration write path: the feed-token index only holds the delegates
-- who asked for a feed, and token expiry is cleaned up by a periodic scan that needs no index.
-- +goose Up
DROP INDEX delegates_feed_token;
CREATE UNIQUE INDEX delegates_feed_token ON delegates(feed_token_hash) WHERE feed_token_hash IS NOT NULL;
DROP INDEX auth_tokens_expires;

-- +goose Down
DROP INDEX delegates_feed_token;
CREATE UNIQUE INDEX delegates_feed_token ON delegates(feed_token_hash);
CREATE INDEX auth_tokens_expires ON auth_tokens(expires_at);
