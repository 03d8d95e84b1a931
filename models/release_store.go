package models

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm/clause"
)

// ErrNoChanges is returned when a release would be identical to the previous one.
var ErrNoChanges = errors.New("the published agenda has not changed since the last release")

// PublishedRelease is the result of PublishRelease: the new release, both snapshots, the changes.
type PublishedRelease struct {
	Release  *AgendaRelease
	Previous AgendaSnapshot // empty for the first release
	Current  AgendaSnapshot
	Changes  []AgendaChange
}

// PublishRelease freezes the conference's published sessions into the next numbered release with
// its changelog against the previous release. Call it inside Tx; concurrent publishers of one
// conference wait for each other (the conference row is locked on PostgreSQL, and SQLite has one
// writer). A release identical to the previous one gives ErrNoChanges.
func (s *Store) PublishRelease(ctx context.Context, conferenceID string, publishedBy *string) (*PublishedRelease, error) {
	if !s.inTx() {
		return nil, fmt.Errorf("publish release: not in a transaction")
	}
	if s.dialect == Postgres {
		var id string
		if err := s.write(ctx).Model(&Conference{}).Clauses(clause.Locking{Strength: "UPDATE"}).
			Where("id = ?", conferenceID).Pluck("id", &id).Error; err != nil {
			return nil, err
		}
	}
	out := &PublishedRelease{Previous: AgendaSnapshot{Sessions: []SnapshotSession{}}}
	number := 1
	prev, err := s.LatestRelease(ctx, conferenceID)
	switch {
	case err == nil:
		if out.Previous, err = prev.ParseSnapshot(); err != nil {
			return nil, err
		}
		number = prev.Number + 1
	case !errors.Is(err, ErrNotFound):
		return nil, err
	}
	sessions, err := s.ListSessions(ctx, SessionFilter{ConferenceID: conferenceID, Statuses: []SessionStatus{SessionPublished}})
	if err != nil {
		return nil, err
	}
	out.Current = BuildSnapshot(sessions)
	if prev != nil && out.Current.Equal(out.Previous) {
		return nil, ErrNoChanges
	}
	out.Changes = DiffSnapshots(out.Previous, out.Current)
	snap, err := json.Marshal(out.Current)
	if err != nil {
		return nil, err
	}
	changes := out.Changes
	if changes == nil {
		changes = []AgendaChange{}
	}
	log, err := json.Marshal(changes)
	if err != nil {
		return nil, err
	}
	out.Release = &AgendaRelease{ID: NewID(), ConferenceID: conferenceID, Number: number, Snapshot: string(snap),
		Changelog: string(log), PublishedBy: publishedBy, CreatedAt: s.now()}
	if err := s.write(ctx).Create(out.Release).Error; err != nil {
		return nil, notFound(err)
	}
	return out, nil
}

// LatestRelease returns a conference's newest release, or ErrNotFound before the first.
func (s *Store) LatestRelease(ctx context.Context, conferenceID string) (*AgendaRelease, error) {
	var r AgendaRelease
	if err := s.read(ctx).Where("conference_id = ?", conferenceID).Order("number DESC").Take(&r).Error; err != nil {
		return nil, notFound(err)
	}
	return &r, nil
}

// ReleaseByNumber returns one release of a conference.
func (s *Store) ReleaseByNumber(ctx context.Context, conferenceID string, number int) (*AgendaRelease, error) {
	var r AgendaRelease
	if err := s.read(ctx).Where("conference_id = ? AND number = ?", conferenceID, number).Take(&r).Error; err != nil {
		return nil, notFound(err)
	}
	return &r, nil
}

// ReleaseHead is what a reader of a published agenda checks on every request: which conference,
// when it last changed, and its latest release number (0 before the first).
type ReleaseHead struct {
	ConferenceID        string
	ConferenceUpdatedAt time.Time
	Number              int
}

// LatestReleaseHead answers in one indexed query which release of the conference called slug is
// the latest, so that servers keeping rendered releases in memory notice a release made by
// another process at once. An unknown slug gives ErrNotFound.
func (s *Store) LatestReleaseHead(ctx context.Context, slug string) (ReleaseHead, error) {
	var rows []struct {
		ID        string
		UpdatedAt time.Time
		Number    *int
	}
	err := s.read(ctx).Raw(`SELECT c.id, c.updated_at,
			(SELECT MAX(r.number) FROM agenda_releases r WHERE r.conference_id = c.id) AS number
		FROM conferences c WHERE c.slug = ?`, slug).Scan(&rows).Error
	if err != nil {
		return ReleaseHead{}, err
	}
	if len(rows) == 0 {
		return ReleaseHead{}, ErrNotFound
	}
	h := ReleaseHead{ConferenceID: rows[0].ID, ConferenceUpdatedAt: rows[0].UpdatedAt}
	if rows[0].Number != nil {
		h.Number = *rows[0].Number
	}
	return h, nil
}

// ListReleases returns a conference's releases, newest first, without their snapshots. The page
// continues after the release whose ID is p.AfterID.
func (s *Store) ListReleases(ctx context.Context, conferenceID string, p Page) ([]AgendaRelease, error) {
	q := s.read(ctx).Where("conference_id = ?", conferenceID)
	if p.AfterID != "" {
		q = q.Where("number < (SELECT a.number FROM agenda_releases a WHERE a.id = ?)", p.AfterID)
	}
	if p.Limit <= 0 {
		p.Limit = DefaultLimit
	}
	var rs []AgendaRelease
	err := q.Select("id, conference_id, number, changelog, published_by, created_at").Order("number DESC").Limit(p.Limit).Find(&rs).Error
	return rs, err
}
