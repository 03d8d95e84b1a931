package models

import (
	"context"
	"sort"
	"time"
)

// SpeakerStatus is where a request to speak stands.
type SpeakerStatus string

// Speaker statuses: waiting on the list, holding the floor, done, or withdrawn by the delegate.
const (
	SpeakerQueued    SpeakerStatus = "queued"
	SpeakerSpeaking  SpeakerStatus = "speaking"
	SpeakerSpoken    SpeakerStatus = "spoken"
	SpeakerWithdrawn SpeakerStatus = "withdrawn"
)

// SpeakerRequest is one request of a delegate to speak on an agenda item. Rows are never deleted
// while the item exists: they are the item's history of speakers.
type SpeakerRequest struct {
	ID           string
	ItemID       string
	DelegateID   string
	PointOfOrder bool
	Status       SpeakerStatus
	RequestedAt  time.Time
	StartedAt    *time.Time
	EndsAt       *time.Time
	FinishedAt   *time.Time
}

// OrderSpeakers sorts the waiting requests in the order the floor is given: points of order
// first, then those who have not yet spoken on the item (hasSpoken says who has), then by request
// time (and ID, so that the order is total).
func OrderSpeakers(queue []SpeakerRequest, hasSpoken map[string]bool) {
	rank := func(r SpeakerRequest) int {
		switch {
		case r.PointOfOrder:
			return 0
		case !hasSpoken[r.DelegateID]:
			return 1
		}
		return 2
	}
	sort.SliceStable(queue, func(i, j int) bool {
		a, b := queue[i], queue[j]
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra < rb
		}
		if !a.RequestedAt.Equal(b.RequestedAt) {
			return a.RequestedAt.Before(b.RequestedAt)
		}
		return a.ID < b.ID
	})
}

// SpeakerList is an item's list of speakers: who holds the floor, who waits (in order) and who
// has spoken (oldest first).
type SpeakerList struct {
	Current *SpeakerRequest
	Queue   []SpeakerRequest
	Spoken  []SpeakerRequest
}

// Speakers returns the list of speakers of an item, the queue in the order the floor is given.
func (s *Store) Speakers(ctx context.Context, itemID string) (*SpeakerList, error) {
	var rows []SpeakerRequest
	if err := s.read(ctx).Where("item_id = ? AND status <> ?", itemID, SpeakerWithdrawn).Order("requested_at, id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := &SpeakerList{}
	spoken := map[string]bool{}
	for i := range rows {
		switch r := rows[i]; r.Status {
		case SpeakerSpeaking:
			out.Current = &rows[i]
			spoken[r.DelegateID] = true
		case SpeakerSpoken:
			out.Spoken = append(out.Spoken, r)
			spoken[r.DelegateID] = true
		case SpeakerQueued:
			out.Queue = append(out.Queue, r)
		}
	}
	sort.SliceStable(out.Spoken, func(i, j int) bool { return timeOf(out.Spoken[i].StartedAt).Before(timeOf(out.Spoken[j].StartedAt)) })
	OrderSpeakers(out.Queue, spoken)
	return out, nil
}

func timeOf(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

// AddSpeaker puts r on its item's list; ErrConflict when the delegate is already waiting there.
func (s *Store) AddSpeaker(ctx context.Context, r *SpeakerRequest) error {
	r.ID, r.Status, r.RequestedAt = NewID(), SpeakerQueued, s.now()
	return notFound(s.write(ctx).Create(r).Error)
}

// SaveSpeaker writes a changed request.
func (s *Store) SaveSpeaker(ctx context.Context, r *SpeakerRequest) error {
	return s.write(ctx).Save(r).Error
}

// WaitingRequest returns the delegate's queued request on the item, or ErrNotFound.
func (s *Store) WaitingRequest(ctx context.Context, itemID, delegateID string) (*SpeakerRequest, error) {
	var r SpeakerRequest
	if err := s.write(ctx).Where("item_id = ? AND delegate_id = ? AND status = ?", itemID, delegateID, SpeakerQueued).Take(&r).Error; err != nil {
		return nil, notFound(err)
	}
	return &r, nil
}

// SpeakerDelegates loads, by ID, the fields of delegates that a list of speakers shows or checks:
// never their sealed personal fields.
func (s *Store) SpeakerDelegates(ctx context.Context, ids []string) (map[string]Delegate, error) {
	out := map[string]Delegate{}
	if len(ids) == 0 {
		return out, nil
	}
	var ds []Delegate
	err := s.read(ctx).Select("id", "conference_id", "organisation_id", "role", "status", "display_name", "visibility", "attendance", "erased_at").
		Where("id IN ?", ids).Find(&ds).Error
	for _, d := range ds {
		out[d.ID] = d
	}
	return out, err
}
