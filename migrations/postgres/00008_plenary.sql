-- The plenary: delegations (credentials), check-in and presence, and one ballot model for motions,
-- statements, amendments and elections.
--
-- Migration note (credentials): from this version on, delegates of an organisation that is not
-- verified (proposed or rejected) can no longer be approved, co-sign or vote. Existing approvals,
-- co-signatures and votes of such organisations are NOT changed by this migration; list them with
--   SELECT o.name, o.status, COUNT(d.id) FROM organisations o JOIN delegates d ON d.organisation_id = o.id
--   WHERE o.status <> 'verified' AND d.status = 'approved' GROUP BY o.name, o.status;
-- and decide them by hand (verify the organisation, or reject the delegates).
-- +goose Up
ALTER TABLE organisations ADD COLUMN voting_mandates INTEGER NOT NULL DEFAULT 1;

CREATE TABLE delegation_members (
    delegate_id TEXT PRIMARY KEY REFERENCES delegates(id) ON DELETE CASCADE,
    organisation_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    conference_id TEXT NOT NULL REFERENCES conferences(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX delegation_members_org ON delegation_members(organisation_id, role);

CREATE TABLE checkins (
    delegate_id TEXT PRIMARY KEY REFERENCES delegates(id) ON DELETE CASCADE,
    conference_id TEXT NOT NULL REFERENCES conferences(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL UNIQUE,
    code_sealed BYTEA NOT NULL,
    checked_in_at TIMESTAMPTZ,
    remote_since TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX checkins_conference ON checkins(conference_id);

-- Ballots are rebuilt: statement_id becomes optional, and the counts move to ballot_tallies.
CREATE TABLE ballots_v8 (
    id TEXT PRIMARY KEY,
    conference_id TEXT NOT NULL REFERENCES conferences(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    question TEXT NOT NULL DEFAULT '',
    statement_id TEXT REFERENCES statements(id) ON DELETE CASCADE,
    amendment_id TEXT REFERENCES amendments(id) ON DELETE CASCADE,
    options TEXT NOT NULL DEFAULT '[]',
    candidates TEXT NOT NULL DEFAULT '[]',
    seats INTEGER NOT NULL DEFAULT 0,
    secret BOOLEAN NOT NULL DEFAULT TRUE,
    majority TEXT NOT NULL DEFAULT 'simple',
    quorum_bp INTEGER NOT NULL DEFAULT 0,
    weighting TEXT NOT NULL,
    status TEXT NOT NULL,
    eligible INTEGER NOT NULL DEFAULT 0,
    votes_cast INTEGER NOT NULL DEFAULT 0,
    outcome TEXT NOT NULL DEFAULT '',
    elected TEXT NOT NULL DEFAULT '[]',
    opened_at TIMESTAMPTZ NOT NULL,
    closed_at TIMESTAMPTZ
);
INSERT INTO ballots_v8 (id, conference_id, kind, statement_id, secret, weighting, status, votes_cast, outcome, opened_at, closed_at)
SELECT b.id, s.conference_id, 'statement', b.statement_id, b.secret, b.rule, b.status,
       b.yes_count + b.no_count + b.abstain_count,
       CASE WHEN b.status <> 'closed' THEN '' WHEN b.yes_count > b.no_count THEN 'adopted' ELSE 'rejected' END,
       b.opened_at, b.closed_at
FROM ballots b JOIN statements s ON s.id = b.statement_id;

CREATE TABLE ballot_tallies (
    ballot_id TEXT NOT NULL REFERENCES ballots_v8(id) ON DELETE CASCADE,
    choice TEXT NOT NULL,
    votes INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (ballot_id, choice)
);
INSERT INTO ballot_tallies (ballot_id, choice, votes) SELECT id, 'yes', yes_count FROM ballots;
INSERT INTO ballot_tallies (ballot_id, choice, votes) SELECT id, 'no', no_count FROM ballots;
INSERT INTO ballot_tallies (ballot_id, choice, votes) SELECT id, 'abstain', abstain_count FROM ballots;

CREATE TABLE ballot_votes_v8 (
    id TEXT PRIMARY KEY,
    ballot_id TEXT NOT NULL REFERENCES ballots_v8(id) ON DELETE CASCADE,
    voter_key TEXT NOT NULL,
    delegate_id TEXT REFERENCES delegates(id) ON DELETE SET NULL,
    organisation_id TEXT REFERENCES organisations(id) ON DELETE SET NULL,
    choice TEXT,
    created_at TIMESTAMPTZ NOT NULL
);
INSERT INTO ballot_votes_v8 SELECT id, ballot_id, voter_key, delegate_id, organisation_id, choice, created_at FROM ballot_votes;

DROP TABLE ballot_votes;
DROP TABLE ballots;
ALTER TABLE ballots_v8 RENAME TO ballots;
ALTER TABLE ballot_votes_v8 RENAME TO ballot_votes;
CREATE INDEX ballots_statement ON ballots(statement_id);
CREATE INDEX ballots_conference ON ballots(conference_id, status);
CREATE UNIQUE INDEX ballots_one_open ON ballots(statement_id, kind) WHERE status = 'open';
CREATE UNIQUE INDEX ballot_votes_voter ON ballot_votes(ballot_id, voter_key);

-- +goose Down
-- Ballots that are not on a statement (motions, elections) cannot go back and are dropped.
CREATE TABLE ballots_v7 (
    id TEXT PRIMARY KEY,
    statement_id TEXT NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
    secret BOOLEAN NOT NULL DEFAULT FALSE,
    rule TEXT NOT NULL,
    status TEXT NOT NULL,
    yes_count INTEGER NOT NULL DEFAULT 0,
    no_count INTEGER NOT NULL DEFAULT 0,
    abstain_count INTEGER NOT NULL DEFAULT 0,
    opened_at TIMESTAMPTZ NOT NULL,
    closed_at TIMESTAMPTZ
);
INSERT INTO ballots_v7 (id, statement_id, secret, rule, status, yes_count, no_count, abstain_count, opened_at, closed_at)
SELECT b.id, b.statement_id, b.secret, b.weighting, b.status,
       COALESCE((SELECT votes FROM ballot_tallies t WHERE t.ballot_id = b.id AND t.choice = 'yes'), 0),
       COALESCE((SELECT votes FROM ballot_tallies t WHERE t.ballot_id = b.id AND t.choice = 'no'), 0),
       COALESCE((SELECT votes FROM ballot_tallies t WHERE t.ballot_id = b.id AND t.choice = 'abstain'), 0),
       b.opened_at, b.closed_at
FROM ballots b WHERE b.kind = 'statement' AND b.statement_id IS NOT NULL;
CREATE TABLE ballot_votes_v7 (
    id TEXT PRIMARY KEY,
    ballot_id TEXT NOT NULL REFERENCES ballots_v7(id) ON DELETE CASCADE,
    voter_key TEXT NOT NULL,
    delegate_id TEXT REFERENCES delegates(id) ON DELETE SET NULL,
    organisation_id TEXT REFERENCES organisations(id) ON DELETE SET NULL,
    choice TEXT,
    created_at TIMESTAMPTZ NOT NULL
);
INSERT INTO ballot_votes_v7 SELECT v.id, v.ballot_id, v.voter_key, v.delegate_id, v.organisation_id, v.choice, v.created_at
FROM ballot_votes v JOIN ballots_v7 b ON b.id = v.ballot_id;
DROP TABLE ballot_tallies;
DROP TABLE ballot_votes;
DROP TABLE ballots;
ALTER TABLE ballots_v7 RENAME TO ballots;
ALTER TABLE ballot_votes_v7 RENAME TO ballot_votes;
CREATE INDEX ballots_statement ON ballots(statement_id);
CREATE UNIQUE INDEX ballots_one_open ON ballots(statement_id) WHERE status = 'open';
CREATE UNIQUE INDEX ballot_votes_voter ON ballot_votes(ballot_id, voter_key);
DROP TABLE checkins;
DROP TABLE delegation_members;
ALTER TABLE organisations DROP COLUMN voting_mandates;
