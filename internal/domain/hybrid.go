package domain

import (
	"context"
	"errors"
	"slices"

	"github.com/zimmerwald/zimmerwald/models"
)

// OnlineSession is a session a delegate may join online, with its link.
type OnlineSession struct {
	Session   *models.Session
	OnlineURL string
}

// onlineURL is the session's own online link, else its room's ("" when it has none).
func (s *Service) onlineURL(ctx context.Context, sess *models.Session) (string, error) {
	if sess.OnlineURL != "" || sess.RoomID == nil {
		return sess.OnlineURL, nil
	}
	room, err := s.store.Room(ctx, *sess.RoomID)
	if errors.Is(err, models.ErrNotFound) {
		return "", nil
	} else if err != nil {
		return "", err
	}
	return room.OnlineURL, nil
}

// joinsOnline reports whether the delegate d may have the online link of sess: an approved
// delegate of its conference who speaks, chairs or signed up (signedUp), or who attends remotely
// and the session is a plenary. The session must be published.
func joinsOnline(d *models.Delegate, sess *models.Session, signedUp bool) bool {
	if d == nil || d.ConferenceID != sess.ConferenceID || d.Status != models.DelegateApproved || d.ErasedAt != nil || sess.Status != models.SessionPublished {
		return false
	}
	switch {
	case slices.Contains(sess.SpeakerIDs, d.ID), slices.Contains(sess.ChairIDs, d.ID), signedUp:
		return true
	}
	return d.Attendance == models.AttendRemote && sess.Kind == models.KindPlenary
}

// OnlineLink returns the online link of sess for the actor: staff always, a delegate only when
// joinsOnline says so, anyone else never ("").
func (s *Service) OnlineLink(ctx context.Context, a *Actor, sess *models.Session) (string, error) {
	switch {
	case a.IsStaffIn(sess.ConferenceID, StaffAll...):
		return s.onlineURL(ctx, sess)
	case !a.IsDelegate():
		return "", nil
	}
	signedUp := false
	if att, err := s.store.Attendance(ctx, sess.ID, a.Delegate.ID); err == nil {
		signedUp = att.Status == models.AttendanceConfirmed
	} else if !errors.Is(err, models.ErrNotFound) {
		return "", err
	}
	if !joinsOnline(a.Delegate, sess, signedUp) {
		return "", nil
	}
	return s.onlineURL(ctx, sess)
}

// MyOnlineSessions lists the published sessions of the delegate's conference they may join
// online, with their links, in start order.
func (s *Service) MyOnlineSessions(ctx context.Context, a *Actor) ([]OnlineSession, error) {
	if err := a.RequireDelegate(); err != nil {
		return nil, err
	}
	return s.onlineSessionsOf(ctx, a.Delegate)
}

// onlineSessionsOf lists the sessions d may join online (for /me and the personal feed).
func (s *Service) onlineSessionsOf(ctx context.Context, d *models.Delegate) ([]OnlineSession, error) {
	if d.Status != models.DelegateApproved {
		return nil, nil
	}
	atts, err := s.store.DelegateAttendances(ctx, d.ID)
	if err != nil {
		return nil, err
	}
	confirmed := map[string]bool{}
	var signedUp []string
	for _, at := range atts {
		confirmed[at.SessionID] = at.Status == models.AttendanceConfirmed
		if confirmed[at.SessionID] {
			signedUp = append(signedUp, at.SessionID)
		}
	}
	sessions, err := s.store.ListSessions(ctx, models.SessionFilter{ConferenceID: d.ConferenceID, Statuses: []models.SessionStatus{models.SessionPublished},
		Involving: d.ID, AlsoIDs: signedUp, AndPlenaries: d.Attendance == models.AttendRemote})
	if err != nil {
		return nil, err
	}
	var out []OnlineSession
	for i := range sessions {
		sess := &sessions[i]
		if !joinsOnline(d, sess, confirmed[sess.ID]) {
			continue
		}
		link, err := s.onlineURL(ctx, sess)
		if err != nil {
			return nil, err
		}
		if link != "" {
			out = append(out, OnlineSession{Session: sess, OnlineURL: link})
		}
	}
	return out, nil
}

// onlineByID maps the sessions d may join online to their links, for the personal feed.
func (s *Service) onlineByID(ctx context.Context, d *models.Delegate) (map[string]string, error) {
	list, err := s.onlineSessionsOf(ctx, d)
	out := make(map[string]string, len(list))
	for _, o := range list {
		out[o.Session.ID] = o.OnlineURL
	}
	return out, err
}
