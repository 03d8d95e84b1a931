package domain

import (
	"context"

	"github.com/zimmerwald/zimmerwald/models"
)

// MySession is one session a delegate signed up for, with their place (signed_up or waitlisted).
type MySession struct {
	Session models.Session
	Place   models.AttendanceStatus
}

// MySessions lists the published or cancelled sessions the signed-in delegate signed up for, by
// start time, read in two queries whatever their number.
func (s *Service) MySessions(ctx context.Context, a *Actor) ([]MySession, error) {
	if err := a.RequireDelegate(); err != nil {
		return nil, err
	}
	as, err := s.store.DelegateAttendances(ctx, a.Delegate.ID)
	if err != nil || len(as) == 0 {
		return nil, err
	}
	place := make(map[string]models.AttendanceStatus, len(as))
	ids := make([]string, 0, len(as))
	for _, at := range as {
		place[at.SessionID] = at.Status
		ids = append(ids, at.SessionID)
	}
	ss, err := s.store.ListSessions(ctx, models.SessionFilter{ConferenceID: a.Delegate.ConferenceID, IDs: ids,
		Statuses: []models.SessionStatus{models.SessionPublished, models.SessionCancelled}})
	if err != nil {
		return nil, err
	}
	out := make([]MySession, len(ss))
	for i := range ss {
		out[i] = MySession{Session: ss[i], Place: place[ss[i].ID]}
	}
	return out, nil
}
