package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/mail"
	"github.com/zimmerwald/zimmerwald/models"
)

// attendanceResponse is the caller's sign-up for a session.
type attendanceResponse struct {
	SessionID string                  `json:"session_id"`
	Status    models.AttendanceStatus `json:"status"`
	// Position is the place on the waitlist (1 = next), 0 when confirmed.
	Position int `json:"position"`
}

// attendSession signs the calling delegate up for a published session of their conference: a
// confirmed place while there is room, else the waitlist. Only approved delegates may sign up.
// Concurrent sign-ups are serialised on the session row inside one transaction, so a session
// never gets more confirmed places than its capacity. The delegate gets a "session_signup" mail.
func (s *Server) attendSession(c *gin.Context) error {
	d := who(c).Delegate
	if d.Status != models.DelegateApproved {
		return problem(http.StatusForbidden, "only approved delegates can sign up for sessions")
	}
	if uuid.Validate(c.Param("id")) != nil {
		return errNotFound
	}
	ctx := c.Request.Context()
	var (
		a       *models.Attendance
		created bool
	)
	err := s.store.Tx(ctx, func(tx *models.Store) error {
		sess, conf, err := s.lockDelegateSession(ctx, tx, c.Param("id"), d)
		if err != nil {
			return err
		}
		if a, created, err = tx.SignUp(ctx, sess, d.ID); err != nil || !created {
			return err
		}
		data := &mail.SessionSignupData{Conference: conf.Title, Name: d.DisplayName, Session: sess.Title,
			When: formatWhen(d.Lang(), conf.Location(), sess.StartsAt, sess.EndsAt), Room: sess.RoomName, Status: string(a.Status)}
		m, err := domain.NewMail(domain.EnvelopeOf(d), "session-signup:"+a.ID, data)
		if err != nil {
			return err
		}
		return tx.Enqueue(ctx, m)
	})
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
		s.notify()
	}
	pos, err := s.waitlistPosition(ctx, a)
	if err != nil {
		return err
	}
	c.JSON(status, attendanceResponse{SessionID: a.SessionID, Status: a.Status, Position: pos})
	return nil
}

// leaveSession cancels the calling delegate's sign-up; a confirmed place that frees up goes to
// the first on the waitlist, who gets a "session_promoted" mail.
func (s *Server) leaveSession(c *gin.Context) error {
	d := who(c).Delegate
	if uuid.Validate(c.Param("id")) != nil {
		return errNotFound
	}
	ctx := c.Request.Context()
	mails := 0
	err := s.store.Tx(ctx, func(tx *models.Store) error {
		sess, err := tx.LockSession(ctx, c.Param("id"))
		if err != nil {
			return err
		}
		if sess.ConferenceID != d.ConferenceID {
			return errNotFound
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
		mails, err = s.promoteAndMail(ctx, tx, conf, sess)
		return err
	})
	if err != nil {
		return err
	}
	if mails > 0 {
		s.notify()
	}
	c.Status(http.StatusNoContent)
	return nil
}

// lockDelegateSession locks the session a delegate wants to join and checks that it is a
// published session of their conference (drafts and other conferences' sessions are not found;
// a cancelled session is a 409).
func (s *Server) lockDelegateSession(ctx context.Context, tx *models.Store, id string, d *models.Delegate) (*models.Session, *models.Conference, error) {
	sess, err := tx.LockSession(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	switch {
	case sess.ConferenceID != d.ConferenceID || sess.Status == models.SessionDraft:
		return nil, nil, errNotFound
	case sess.Status != models.SessionPublished:
		return nil, nil, problem(http.StatusConflict, "the session is cancelled")
	}
	conf, err := tx.ConferenceByID(ctx, sess.ConferenceID)
	return sess, conf, err
}

// promoteAndMail fills free places of a locked session from its waitlist and enqueues a
// "session_promoted" mail for each promoted delegate. It returns how many mails it enqueued.
func (s *Server) promoteAndMail(ctx context.Context, tx *models.Store, conf *models.Conference, sess *models.Session) (int, error) {
	promoted, err := tx.PromoteWaitlist(ctx, sess)
	if err != nil || len(promoted) == 0 {
		return 0, err
	}
	ids := make([]string, len(promoted))
	for i, a := range promoted {
		ids[i] = a.DelegateID
	}
	delegates, err := tx.DelegatesByIDs(ctx, conf.ID, ids)
	if err != nil {
		return 0, err
	}
	var msgs []*models.OutboxMessage
	for _, a := range promoted {
		d := delegates[a.DelegateID]
		if d == nil || d.Email == "" || d.ErasedAt != nil {
			continue
		}
		data := &mail.SessionPromotedData{Conference: conf.Title, Name: d.DisplayName, Session: sess.Title,
			When: formatWhen(d.Lang(), conf.Location(), sess.StartsAt, sess.EndsAt), Room: sess.RoomName}
		m, err := domain.NewMail(domain.EnvelopeOf(d), "session-promoted:"+a.ID, data)
		if err != nil {
			return 0, err
		}
		msgs = append(msgs, m)
	}
	return len(msgs), tx.Enqueue(ctx, msgs...)
}

// waitlistPosition is 0 for a confirmed place, else how many wait before a, plus one.
func (s *Server) waitlistPosition(ctx context.Context, a *models.Attendance) (int, error) {
	if a.Status == models.AttendanceConfirmed {
		return 0, nil
	}
	return s.store.WaitlistPosition(ctx, a)
}

// feedResponse is the secret address of a delegate's personal calendar feed.
type feedResponse struct {
	URL   string `json:"url"`
	Token string `json:"token"`
}

// createFeed gives the calling delegate a new secret address for their personal agenda.ics
// (their own sessions: speaking, chairing, signed up), replacing any earlier one. Only the hash
// of the secret is stored, so the address is shown this once.
func (s *Server) createFeed(c *gin.Context) error {
	d := who(c).Delegate
	secret, hash := models.NewSecret()
	if err := s.store.SetFeedToken(c.Request.Context(), d.ID, hash); err != nil {
		return err
	}
	c.JSON(http.StatusCreated, feedResponse{URL: s.link("/api/v1/feeds/" + secret + "/agenda.ics"), Token: secret})
	return nil
}

// deleteFeed revokes the calling delegate's personal feed address.
func (s *Server) deleteFeed(c *gin.Context) error {
	if err := s.store.SetFeedToken(c.Request.Context(), who(c).Delegate.ID, nil); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}
