package models

import (
	"context"
	"time"

	"gorm.io/gorm/clause"
)

// ItemKind is what an agenda item of a session does.
type ItemKind string

// Agenda item kinds.
const (
	ItemDebate    ItemKind = "debate"
	ItemStatement ItemKind = "statement"
	ItemAmendment ItemKind = "amendment"
	ItemElection  ItemKind = "election"
	ItemProcedure ItemKind = "procedure"
)

// ItemKinds lists the valid agenda item kinds.
var ItemKinds = []ItemKind{ItemDebate, ItemStatement, ItemAmendment, ItemElection, ItemProcedure}

// AgendaItem is one point within a session: a debate, a statement or amendment put to the hall, an
// election or a procedural point, with the speaking time each speaker gets and its list of speakers.
type AgendaItem struct {
	ID                  string
	SessionID           string
	Position            int
	Title               string
	Kind                ItemKind
	StatementID         *string
	SpeakingTimeSeconds int
	ListClosed          bool
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

// LiveState is what the hall of a conference sees: the session and item on screen, and a counter
// bumped by every change to them, which numbers the live stream's events in every process.
type LiveState struct {
	ConferenceID string `gorm:"primaryKey"`
	SessionID    *string
	ItemID       *string
	Version      int64
	UpdatedAt    time.Time
}

// CreateItem adds it at the end of its session's items.
func (s *Store) CreateItem(ctx context.Context, it *AgendaItem) error {
	if it.ID == "" {
		it.ID = NewID()
	}
	var n int64
	if err := s.write(ctx).Model(&AgendaItem{}).Where("session_id = ?", it.SessionID).Count(&n).Error; err != nil {
		return err
	}
	it.Position = int(n) + 1
	it.CreatedAt, it.UpdatedAt = s.now(), s.now()
	return s.write(ctx).Create(it).Error
}

// UpdateItem saves it.
func (s *Store) UpdateItem(ctx context.Context, it *AgendaItem) error {
	it.UpdatedAt = s.now()
	return s.write(ctx).Save(it).Error
}

// Item returns the agenda item with id, or ErrNotFound.
func (s *Store) Item(ctx context.Context, id string) (*AgendaItem, error) {
	var it AgendaItem
	if err := s.read(ctx).Where("id = ?", id).Take(&it).Error; err != nil {
		return nil, notFound(err)
	}
	return &it, nil
}

// LockItem reads the agenda item with id inside a transaction, locking its row on PostgreSQL so
// that changes to its list of speakers happen one at a time.
func (s *Store) LockItem(ctx context.Context, id string) (*AgendaItem, error) {
	q := s.write(ctx).Where("id = ?", id)
	if s.dialect == Postgres {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var it AgendaItem
	if err := q.Take(&it).Error; err != nil {
		return nil, notFound(err)
	}
	return &it, nil
}

// Items returns the agenda items of a session in order.
func (s *Store) Items(ctx context.Context, sessionID string) ([]AgendaItem, error) {
	var out []AgendaItem
	err := s.read(ctx).Where("session_id = ?", sessionID).Order("position, id").Find(&out).Error
	return out, err
}

// BumpLive counts a change to the conference's live view and, when itemID is not nil, puts that
// session and item on it; it returns the new version. The upsert queues concurrent changes of one
// conference on its row, so versions never repeat.
func (s *Store) BumpLive(ctx context.Context, conferenceID string, sessionID, itemID *string) (int64, error) {
	now := s.now()
	err := s.write(ctx).Exec(`INSERT INTO live_states (conference_id, session_id, item_id, version, updated_at) VALUES (?, ?, ?, 1, ?)
		ON CONFLICT (conference_id) DO UPDATE SET version = live_states.version + 1, updated_at = excluded.updated_at,
		session_id = CASE WHEN excluded.item_id IS NULL THEN live_states.session_id ELSE excluded.session_id END,
		item_id = COALESCE(excluded.item_id, live_states.item_id)`, conferenceID, sessionID, itemID, now).Error
	if err != nil {
		return 0, err
	}
	var v int64
	err = s.write(ctx).Model(&LiveState{}).Where("conference_id = ?", conferenceID).Select("version").Scan(&v).Error
	return v, err
}

// Live returns the live state of a conference (a zero state, version 0, when nothing was shown).
func (s *Store) Live(ctx context.Context, conferenceID string) (*LiveState, error) {
	var st LiveState
	err := s.read(ctx).Where("conference_id = ?", conferenceID).Take(&st).Error
	if err = notFound(err); err == ErrNotFound {
		return &LiveState{ConferenceID: conferenceID}, nil
	}
	return &st, err
}

// LiveVersions maps each conference with a live state to its version, for the processes that
// poll for each other's changes.
func (s *Store) LiveVersions(ctx context.Context) (map[string]int64, error) {
	var rows []LiveState
	if err := s.read(ctx).Select("conference_id", "version").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[string]int64, len(rows))
	for _, r := range rows {
		out[r.ConferenceID] = r.Version
	}
	return out, nil
}
