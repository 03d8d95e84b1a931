-- +goose Up
CREATE TABLE conferences (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    acronym TEXT NOT NULL DEFAULT '',
    timezone TEXT NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    venue TEXT NOT NULL DEFAULT '',
    languages TEXT NOT NULL DEFAULT '[]',
    registration_opens_at TIMESTAMPTZ,
    registration_closes_at TIMESTAMPTZ,
    quota_policy TEXT NOT NULL DEFAULT 'organisation',
    vote_rule TEXT NOT NULL DEFAULT 'organisation',
    blind_review BOOLEAN NOT NULL DEFAULT FALSE,
    retention_days INTEGER NOT NULL DEFAULT 180,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE organisations (
    id TEXT PRIMARY KEY,
    conference_id TEXT NOT NULL REFERENCES conferences(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    country TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    delegate_quota INTEGER NOT NULL DEFAULT 0,
    listed BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX organisations_conference_name ON organisations(conference_id, name);

CREATE TABLE delegates (
    id TEXT PRIMARY KEY,
    conference_id TEXT NOT NULL REFERENCES conferences(id) ON DELETE CASCADE,
    organisation_id TEXT REFERENCES organisations(id) ON DELETE SET NULL,
    role TEXT NOT NULL,
    status TEXT NOT NULL,
    display_name TEXT NOT NULL,
    email_sealed BYTEA,
    email_index BYTEA,
    country TEXT NOT NULL DEFAULT '',
    languages TEXT NOT NULL DEFAULT '[]',
    attendance TEXT NOT NULL,
    visibility TEXT NOT NULL,
    interpretation_needs_sealed BYTEA,
    accessibility_needs_sealed BYTEA,
    legal_name_sealed BYTEA,
    needs_visa_letter BOOLEAN NOT NULL DEFAULT FALSE,
    notes_sealed BYTEA,
    decision_reason_sealed BYTEA,
    notify_announcements BOOLEAN NOT NULL DEFAULT TRUE,
    notify_agenda BOOLEAN NOT NULL DEFAULT TRUE,
    feed_token_hash BYTEA,
    waitlist_seq INTEGER,
    consent_at TIMESTAMPTZ,
    confirmed_at TIMESTAMPTZ,
    decided_at TIMESTAMPTZ,
    cancelled_at TIMESTAMPTZ,
    erased_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX delegates_conference_email ON delegates(conference_id, email_index);
CREATE INDEX delegates_conference_status ON delegates(conference_id, status);
CREATE INDEX delegates_organisation ON delegates(organisation_id, status);
CREATE UNIQUE INDEX delegates_feed_token ON delegates(feed_token_hash);

CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    email_sealed BYTEA NOT NULL,
    email_index BYTEA NOT NULL UNIQUE,
    display_name TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    can_export BOOLEAN NOT NULL DEFAULT FALSE,
    disabled_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE auth_tokens (
    id TEXT PRIMARY KEY,
    token_hash BYTEA NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    account_id TEXT REFERENCES accounts(id) ON DELETE CASCADE,
    delegate_id TEXT REFERENCES delegates(id) ON DELETE CASCADE,
    expires_at TIMESTAMPTZ NOT NULL,
    idle_expires_at TIMESTAMPTZ,
    used_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX auth_tokens_expires ON auth_tokens(expires_at);

CREATE TABLE rooms (
    id TEXT PRIMARY KEY,
    conference_id TEXT NOT NULL REFERENCES conferences(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    capacity INTEGER NOT NULL DEFAULT 0,
    online_url TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX rooms_conference_name ON rooms(conference_id, name);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    conference_id TEXT NOT NULL REFERENCES conferences(id) ON DELETE CASCADE,
    room_id TEXT REFERENCES rooms(id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    starts_at TIMESTAMPTZ NOT NULL,
    ends_at TIMESTAMPTZ NOT NULL,
    capacity INTEGER NOT NULL DEFAULT 0,
    languages TEXT NOT NULL DEFAULT '[]',
    interpretation TEXT NOT NULL DEFAULT '[]',
    track TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_conference_start ON sessions(conference_id, starts_at);

CREATE TABLE session_people (
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    delegate_id TEXT NOT NULL REFERENCES delegates(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    PRIMARY KEY (session_id, delegate_id, role)
);
CREATE INDEX session_people_delegate ON session_people(delegate_id);

CREATE TABLE attendances (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    delegate_id TEXT NOT NULL REFERENCES delegates(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    seq INTEGER NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX attendances_session_delegate ON attendances(session_id, delegate_id);
CREATE INDEX attendances_session_status ON attendances(session_id, status, seq);

CREATE TABLE agenda_releases (
    id TEXT PRIMARY KEY,
    conference_id TEXT NOT NULL REFERENCES conferences(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    snapshot TEXT NOT NULL,
    changelog TEXT NOT NULL,
    published_by TEXT,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX agenda_releases_number ON agenda_releases(conference_id, number);

CREATE TABLE statements (
    id TEXT PRIMARY KEY,
    conference_id TEXT NOT NULL REFERENCES conferences(id) ON DELETE CASCADE,
    organisation_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    author_id TEXT REFERENCES delegates(id) ON DELETE SET NULL,
    session_id TEXT REFERENCES sessions(id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL,
    status TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    submitted_at TIMESTAMPTZ,
    decided_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX statements_conference_status ON statements(conference_id, status);

CREATE TABLE session_statements (
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    statement_id TEXT NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
    PRIMARY KEY (session_id, statement_id)
);

CREATE TABLE statement_translations (
    id TEXT PRIMARY KEY,
    statement_id TEXT NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
    language TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX statement_translations_lang ON statement_translations(statement_id, language);

CREATE TABLE statement_versions (
    id TEXT PRIMARY KEY,
    statement_id TEXT NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    amendment_id TEXT,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX statement_versions_number ON statement_versions(statement_id, version);

CREATE TABLE statement_comments (
    id TEXT PRIMARY KEY,
    statement_id TEXT NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
    account_id TEXT REFERENCES accounts(id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE cosignatures (
    id TEXT PRIMARY KEY,
    statement_id TEXT NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
    organisation_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    delegate_id TEXT REFERENCES delegates(id) ON DELETE SET NULL,
    named BOOLEAN NOT NULL DEFAULT FALSE,
    withdrawn_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX cosignatures_statement_org ON cosignatures(statement_id, organisation_id);

CREATE TABLE amendments (
    id TEXT PRIMARY KEY,
    statement_id TEXT NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
    delegate_id TEXT REFERENCES delegates(id) ON DELETE SET NULL,
    organisation_id TEXT REFERENCES organisations(id) ON DELETE SET NULL,
    base_version INTEGER NOT NULL,
    paragraph INTEGER,
    text TEXT NOT NULL,
    rationale TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    decided_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX amendments_statement ON amendments(statement_id, status);

CREATE TABLE ballots (
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
CREATE INDEX ballots_statement ON ballots(statement_id);

CREATE TABLE ballot_votes (
    id TEXT PRIMARY KEY,
    ballot_id TEXT NOT NULL REFERENCES ballots(id) ON DELETE CASCADE,
    voter_key TEXT NOT NULL,
    delegate_id TEXT REFERENCES delegates(id) ON DELETE SET NULL,
    organisation_id TEXT REFERENCES organisations(id) ON DELETE SET NULL,
    choice TEXT,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX ballot_votes_voter ON ballot_votes(ballot_id, voter_key);

CREATE TABLE outbox_messages (
    id TEXT PRIMARY KEY,
    conference_id TEXT REFERENCES conferences(id) ON DELETE CASCADE,
    idempotency_key TEXT NOT NULL UNIQUE,
    template TEXT NOT NULL,
    lang TEXT NOT NULL,
    recipient_sealed BYTEA NOT NULL,
    data_sealed BYTEA NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    lease_owner TEXT,
    lease_until TIMESTAMPTZ,
    last_error TEXT NOT NULL DEFAULT '',
    sent_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX outbox_due ON outbox_messages(state, next_attempt_at);
CREATE INDEX outbox_conference_state ON outbox_messages(conference_id, state);

CREATE TABLE audit_events (
    id TEXT PRIMARY KEY,
    conference_id TEXT,
    actor_kind TEXT NOT NULL,
    actor_id TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    target_kind TEXT NOT NULL DEFAULT '',
    target_id TEXT NOT NULL DEFAULT '',
    request_id TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX audit_events_conference ON audit_events(conference_id, created_at);

-- +goose Down
DROP TABLE audit_events;
DROP TABLE outbox_messages;
DROP TABLE ballot_votes;
DROP TABLE ballots;
DROP TABLE amendments;
DROP TABLE cosignatures;
DROP TABLE statement_comments;
DROP TABLE statement_versions;
DROP TABLE statement_translations;
DROP TABLE session_statements;
DROP TABLE statements;
DROP TABLE agenda_releases;
DROP TABLE attendances;
DROP TABLE session_people;
DROP TABLE sessions;
DROP TABLE rooms;
DROP TABLE auth_tokens;
DROP TABLE accounts;
DROP TABLE delegates;
DROP TABLE organisations;
DROP TABLE conferences;
