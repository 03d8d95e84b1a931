-- The plenary's agenda items within sessions, their lists of speakers (kept as history), and
-- the live state of each conference: which session and item the hall sees, and a change counter
-- that every process polls to keep its live stream in step and that numbers the stream's events.
-- +goose Up
CREATE TABLE agenda_items (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    statement_id TEXT REFERENCES statements(id) ON DELETE SET NULL,
    speaking_time_seconds INTEGER NOT NULL,
    list_closed BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX agenda_items_session ON agenda_items(session_id, position);

CREATE TABLE speaker_requests (
    id TEXT PRIMARY KEY,
    item_id TEXT NOT NULL REFERENCES agenda_items(id) ON DELETE CASCADE,
    delegate_id TEXT NOT NULL REFERENCES delegates(id) ON DELETE CASCADE,
    point_of_order BOOLEAN NOT NULL DEFAULT FALSE,
    status TEXT NOT NULL,
    requested_at TIMESTAMPTZ NOT NULL,
    started_at TIMESTAMPTZ,
    ends_at TIMESTAMPTZ,
    finished_at TIMESTAMPTZ
);
CREATE INDEX speaker_requests_item ON speaker_requests(item_id, status);
CREATE UNIQUE INDEX speaker_requests_one_waiting ON speaker_requests(item_id, delegate_id) WHERE status = 'queued';
CREATE UNIQUE INDEX speaker_requests_one_speaking ON speaker_requests(item_id) WHERE status = 'speaking';

CREATE TABLE live_states (
    conference_id TEXT PRIMARY KEY REFERENCES conferences(id) ON DELETE CASCADE,
    session_id TEXT REFERENCES sessions(id) ON DELETE SET NULL,
    item_id TEXT REFERENCES agenda_items(id) ON DELETE SET NULL,
    version INTEGER NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- A session's own online link (else its room's), shown only to the people who take part.
ALTER TABLE sessions ADD COLUMN online_url TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE sessions DROP COLUMN online_url;
DROP TABLE live_states;
DROP TABLE speaker_requests;
DROP TABLE agenda_items;
