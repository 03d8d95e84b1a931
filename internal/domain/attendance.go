package domain

import (
	"context"

	"github.com/google/uuid"

	"github.com/zimmerwald/zimmerwald/mail"
	"github.com/zimmerwald/zimmerwald/models"
)

// SignUp is a delegate's place in a session: confirmed, or waitlisted at Position (1 = next).
type SignUp struct {
	Attendance *models.Attendance
	Created    bool // a new sign-up (false: the delegate was signed up already)
	Position   int  // 0 when confirmed
}

var (
	errNotApproved      = models.Fail(models.KindForbidden, models.CodeNotApproved, "only approved delegates can sign up for sessions")
	errSessionCancelled = models.Fail(models.KindConflict, models.CodeConflict, "the session is cancelled")
)

// AttendSession signs the delegate up for a published session of their conference: a confirmed
// place while there is room, else the waitlist. Only approved delegates may sign up. Concurrent
// sign-ups are serialised on the session row inside one transaction, so a session never gets
// more confirmed places than its capacity. A new sign-up is mailed ("session_signup").
func (s *Service) AttendSession(ctx context.Context, a *Actor, sessionID string) (*SignUp, error) {
	if err := a.RequireDelegate(); err != nil {
		return nil, err
	}
	d := a.Delegate
	if d.Status != models.DelegateApproved {
		return nil, errNotApproved
	}
	if uuid.Validate(sessionID) != nil {
		return nil, models.ErrNotFound
	}
	out := &SignUp{}
	err := s.change(ctx, func(tx *models.Store) error {
		sess, err := tx.LockSession(ctx, sessionID)
		if err != nil {
			return err
		}
		switch {
		case sess.ConferenceID != d.ConferenceID || sess.Status == models.SessionDraft:
			return models.ErrNotFound
		case sess.Status != models.SessionPublished:
			return errSessionCancelled
		}
		conf, err := tx.ConferenceByID(ctx, sess.ConferenceID)
		if err != nil {
			return err
		}
		if out.Attendance, out.Created, err = tx.SignUp(ctx, sess, d.ID); err != nil || !out.Created {
			return err
		}
		data := &mail.SessionSignupData{Conference: conf.Title, Name: d.DisplayName, Session: sess.TitleIn(d.Lang()),
			When: formatWhen(d.Lang(), conf.Location(), sess.StartsAt, sess.EndsAt), Room: sess.RoomName, Status: string(out.Attendance.Status)}
		m, err := NewMail(EnvelopeOf(d), "session-signup:"+out.Attendance.ID, data)
		if err != nil {
			return err
		}
		return tx.Enqueue(ctx, m)
	})
	if err != nil {
		return nil, err
	}
	if out.Attendance.Status != models.AttendanceConfirmed {
		if out.Position, err = s.store.WaitlistPosition(ctx, out.Attendance); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// LeaveSession cancels the delegate's sign-up for a session of their conference (none is
// not_found); a confirmed place that frees up goes to the first on the waitlist, who is mailed
// ("session_promoted").
func (s *Service) LeaveSession(ctx context.Context, a *Actor, sessionID string) error {
	if err := a.RequireDelegate(); err != nil {
		return err
	}
	if uuid.Validate(sessionID) != nil {
		return models.ErrNotFound
	}
	d := a.Delegate
	return s.change(ctx, func(tx *models.Store) error {
		sess, err := tx.LockSession(ctx, sessionID)
		if err != nil {
			return err
		}
		if sess.ConferenceID != d.ConferenceID {
			return models.ErrNotFound
		}
		if _, err := tx.Leave(ctx, sess.ID, d.ID); err != nil {
			return err
		}
		if sess.Status != models.SessionPublished {
			return nil
		}
		conf, err := tx.ConferenceByID(ctx, sess.ConferenceID)
		if err != nil {
			return err
		}
		return s.promoteAndMail(ctx, tx, conf, sess)
	})
}

// promoteAndMail fills free places of a locked session from its waitlist and enqueues a
// "session_promoted" mail for each promoted delegate.
func (s *Service) promoteAndMail(ctx context.Context, tx *models.Store, conf *models.Conference, sess *models.Session) error {
	promoted, err := tx.PromoteWaitlist(ctx, sess)
	if err != nil || len(promoted) == 0 {
		return err
	}
	ids := make([]string, len(promoted))
	for i, a := range promoted {
		ids[i] = a.DelegateID
	}
	delegates, err := tx.DelegatesByIDs(ctx, conf.ID, ids)
	if err != nil {
		return err
	}
	var msgs []*models.OutboxMessage
	for _, a := range promoted {
		d := delegates[a.DelegateID]
		if d == nil || d.Email == "" || d.ErasedAt != nil {
			continue
		}
		data := &mail.SessionPromotedData{Conference: conf.Title, Name: d.DisplayName, Session: sess.TitleIn(d.Lang()),
			When: formatWhen(d.Lang(), conf.Location(), sess.StartsAt, sess.EndsAt), Room: sess.RoomName}
		m, err := NewMail(EnvelopeOf(d), "session-promoted:"+a.ID, data)
		if err != nil {
			return err
		}
		msgs = append(msgs, m)
	}
	return tx.Enqueue(ctx, msgs...)
}
