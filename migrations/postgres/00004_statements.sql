-- +goose Up
-- At most one open ballot per statement, even when two organisers open one at the same moment.
CREATE UNIQUE INDEX ballots_one_open ON ballots(statement_id) WHERE status = 'open';
CREATE INDEX statements_organisation ON statements(organisation_id, created_at);
CREATE INDEX statement_comments_statement ON statement_comments(statement_id, created_at);
CREATE INDEX cosignatures_organisation ON cosignatures(organisation_id);

-- +goose Down
DROP INDEX cosignatures_organisation;
DROP INDEX statement_comments_statement;
DROP INDEX statements_organisation;
DROP INDEX ballots_one_open;
