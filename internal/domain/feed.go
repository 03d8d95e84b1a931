package domain

import (
	"context"
	"errors"

	"github.com/zimmerwald/zimmerwald/models"
)

// Feed is the secret address of a delegate's personal calendar, shown once.
type Feed struct {
	URL    string
	Secret string
}

// CreateFeed gives the delegate a new secret address for their personal agenda.ics (their own
// sessions: speaking, chairing, signed up), replacing any earlier one. Only the hash of the
// secret is stored, so the address is returned this once.
func (s *Service) CreateFeed(ctx context.Context, a *Actor) (*Feed, error) {
	if err := a.RequireDelegate(); err != nil {
		return nil, err
	}
	secret, hash := models.NewSecret()
	if err := s.store.SetFeedToken(ctx, a.Delegate.ID, hash); err != nil {
		return nil, err
	}
	return &Feed{URL: s.link("/api/v1/feeds/" + secret + "/agenda.ics"), Secret: secret}, nil
}

// DeleteFeed revokes the delegate's personal feed address.
func (s *Service) DeleteFeed(ctx context.Context, a *Actor) error {
	if err := a.RequireDelegate(); err != nil {
		return err
	}
	return s.store.SetFeedToken(ctx, a.Delegate.ID, nil)
}

// PersonalFeed is what a personal calendar shows: the delegate's conference, its latest
// release (nil before the first) and the delegate's sign-ups by session ID.
type PersonalFeed struct {
	Delegate *models.Delegate
	Agenda   *Agenda
	SignedUp map[string]string // session ID → attendance status
	Online   map[string]string // session ID → online link, for the sessions the delegate may join online
}

// FeedBySecret resolves a personal feed address: the secret is the access right, so an unknown
// or revoked one, or one of a withdrawn or erased registration, is not_found.
func (s *Service) FeedBySecret(ctx context.Context, secret string) (*PersonalFeed, error) {
	d, err := s.store.DelegateByFeedToken(ctx, secret)
	if err != nil {
		return nil, err
	}
	if d.ErasedAt != nil || d.Status == models.DelegateCancelled {
		return nil, models.ErrNotFound
	}
	conf, err := s.store.ConferenceByID(ctx, d.ConferenceID)
	if err != nil {
		return nil, err
	}
	out := &PersonalFeed{Delegate: d, SignedUp: map[string]string{}}
	out.Agenda, err = s.PublishedAgenda(ctx, conf.Slug)
	switch {
	case errors.Is(err, ErrNoRelease):
		out.Agenda = &Agenda{Conference: *conf, Release: models.AgendaRelease{CreatedAt: conf.CreatedAt}}
	case err != nil:
		return nil, err
	}
	atts, err := s.store.DelegateAttendances(ctx, d.ID)
	if err != nil {
		return nil, err
	}
	for _, a := range atts {
		out.SignedUp[a.SessionID] = string(a.Status)
	}
	if out.Online, err = s.onlineByID(ctx, d); err != nil {
		return nil, err
	}
	return out, nil
}
