package domain

import (
	"context"
	"sync"

	"github.com/google/uuid"
	"golang.org/x/sync/singleflight"

	"github.com/zimmerwald/zimmerwald/models"
)

// ballotCache keeps the open ballots as read, so that a burst of votes does not read the same
// ballot (and its tallies) once per vote. A vote needs only what never changes once a ballot is
// open: its conference, kind, options, candidates, seats, secrecy and weighting. Whether the
// ballot is still open is checked again when each vote is written, under the ballot's row lock,
// so a ballot closed by another process meanwhile refuses the vote all the same.
type ballotCache struct {
	mu     sync.Mutex
	m      map[string]models.Ballot
	flight singleflight.Group // the voters who arrive together wait for one read
}

func newBallotCache() *ballotCache { return &ballotCache{m: map[string]models.Ballot{}} }

// get returns a copy of open ballot id, if it is held.
func (bc *ballotCache) get(id string) (*models.Ballot, bool) {
	bc.mu.Lock()
	defer bc.mu.Unlock()
	b, ok := bc.m[id]
	return &b, ok
}

// put remembers b if it is open; the counts, which change with each vote, are not kept.
func (bc *ballotCache) put(b *models.Ballot) {
	if b.Status != models.BallotOpen {
		return
	}
	bc.mu.Lock()
	defer bc.mu.Unlock()
	if len(bc.m) >= 1000 {
		clear(bc.m)
	}
	c := *b
	c.Counts = nil
	bc.m[b.ID] = c
}

// forget drops ballot id, once closed through this process.
func (bc *ballotCache) forget(id string) {
	bc.mu.Lock()
	defer bc.mu.Unlock()
	delete(bc.m, id)
}

// ballotToVote returns ballot id as a vote needs it (from the cache while it is open), for a
// delegate of its conference (else not_found).
func (s *Service) ballotToVote(ctx context.Context, a *Actor, id string) (*models.Ballot, error) {
	if uuid.Validate(id) != nil {
		return nil, models.ErrNotFound
	}
	b, ok := s.ballots.get(id)
	if !ok {
		got, err, _ := s.ballots.flight.Do(id, func() (any, error) {
			b, err := s.store.Ballot(context.WithoutCancel(ctx), id)
			if err == nil {
				s.ballots.put(b)
			}
			return b, err
		})
		if err != nil {
			return nil, err
		}
		c := *got.(*models.Ballot)
		b = &c
	}
	if a.Delegate.ConferenceID != b.ConferenceID {
		return nil, models.ErrNotFound
	}
	return b, nil
}
