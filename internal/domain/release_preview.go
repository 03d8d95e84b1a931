package domain

import (
	"context"
	"errors"

	"github.com/zimmerwald/zimmerwald/models"
)

// PendingChanges is the changelog the next release would publish (organisers): the published
// sessions against the latest release, computed without writing anything, so that organisers see
// what 600 people are about to be told before they publish. Empty when nothing changed.
func (s *Service) PendingChanges(ctx context.Context, a *Actor, slug string) ([]models.AgendaChange, error) {
	if err := a.RequireStaff(Organisers...); err != nil {
		return nil, err
	}
	conf, err := s.Conference(ctx, slug)
	if err != nil {
		return nil, err
	}
	if err := a.RequireStaffIn(conf.ID, Organisers...); err != nil {
		return nil, err
	}
	prev := models.AgendaSnapshot{Sessions: []models.SnapshotSession{}}
	latest, err := s.store.LatestRelease(ctx, conf.ID)
	switch {
	case err == nil:
		if prev, err = latest.ParseSnapshot(); err != nil {
			return nil, err
		}
	case !errors.Is(err, models.ErrNotFound):
		return nil, err
	}
	sessions, err := s.store.ListSessions(ctx, models.SessionFilter{ConferenceID: conf.ID, Statuses: []models.SessionStatus{models.SessionPublished}})
	if err != nil {
		return nil, err
	}
	return models.DiffSnapshots(prev, models.BuildSnapshot(sessions)), nil
}
