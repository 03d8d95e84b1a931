package domain

import (
	"context"

	"github.com/zimmerwald/zimmerwald/models"
)

// AgendaHistory returns, for every session released in the conference up to release number, how often it
// changed, when it last changed and whether it was cancelled (public, like the agenda itself).
// Calendars use it for SEQUENCE, LAST-MODIFIED and STATUS:CANCELLED.
func (s *Service) AgendaHistory(ctx context.Context, conferenceID string, number int) (map[string]models.SessionHistory, error) {
	if number == 0 {
		return map[string]models.SessionHistory{}, nil
	}
	rs, err := s.store.ReleasesUpTo(ctx, conferenceID, number)
	if err != nil {
		return nil, err
	}
	return models.ReleaseHistory(rs)
}
