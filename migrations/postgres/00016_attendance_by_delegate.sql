-- A delegate's own pages (/me, the personal feed, the online links) and erasure read their
-- sign-ups by delegate; without this index each of those reads scanned every sign-up.
-- +goose Up
CREATE INDEX attendances_delegate ON attendances(delegate_id);

-- +goose Down
DROP INDEX attendances_delegate;
