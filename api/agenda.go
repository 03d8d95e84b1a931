package api

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/mail"
	"github.com/zimmerwald/zimmerwald/models"
)

// conflictResponse is one agenda conflict, for organisers.
type conflictResponse struct {
	Kind       models.ConflictKind `json:"kind"`
	SessionIDs []string            `json:"session_ids"`
	RoomID     string              `json:"room_id,omitempty"`
	Room       string              `json:"room,omitempty"`
	DelegateID string              `json:"delegate_id,omitempty"`
	Role       models.PersonRole   `json:"role,omitempty"`
	Detail     string              `json:"detail"`
}

var conflictDetails = map[models.ConflictKind]string{
	models.ConflictRoom:         "two sessions are booked in the same room at the same time",
	models.ConflictSpeaker:      "a delegate speaks in two sessions at the same time",
	models.ConflictChair:        "a delegate chairs two sessions at the same time",
	models.ConflictOutsideDates: "the session is not within the conference dates",
	models.ConflictCapacity:     "the session's capacity is above the room's",
	models.ConflictNotApproved:  "a speaker or chair is not an approved delegate",
}

func conflictViews(cs []models.Conflict, rooms map[string]string) []conflictResponse {
	out := make([]conflictResponse, 0, len(cs))
	for _, cf := range cs {
		out = append(out, conflictResponse{Kind: cf.Kind, SessionIDs: cf.SessionIDs, RoomID: cf.RoomID, Room: rooms[cf.RoomID],
			DelegateID: cf.DelegateID, Role: cf.Role, Detail: conflictDetails[cf.Kind]})
	}
	return out
}

// agendaConflicts lists every conflict among the conference's draft and published sessions
// (?status=published looks at the published ones only).
func (s *Server) agendaConflicts(c *gin.Context) error {
	conf, err := s.conference(c)
	if err != nil {
		return err
	}
	statuses := []models.SessionStatus{models.SessionDraft, models.SessionPublished}
	switch status := models.SessionStatus(c.Query("status")); status {
	case "":
	case models.SessionPublished, models.SessionDraft:
		statuses = []models.SessionStatus{status}
	default:
		return malformed("invalid status", models.FieldProblem("status", models.FieldOneOf, "must be draft or published"))
	}
	ctx := c.Request.Context()
	sessions, err := s.store.ListSessions(ctx, models.SessionFilter{ConferenceID: conf.ID, Statuses: statuses})
	if err != nil {
		return err
	}
	cs, err := agendaConflictsOf(ctx, s.store, conf, sessions)
	if err != nil {
		return err
	}
	rooms, err := s.roomNames(ctx, conf.ID)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, listResponse[conflictResponse]{Items: conflictViews(cs, rooms)})
	return nil
}

// changeResponse is one entry of a release changelog.
type changeResponse struct {
	Kind             models.ChangeKind `json:"kind"`
	SessionID        string            `json:"session_id"`
	Title            string            `json:"title"`
	StartsAt         time.Time         `json:"starts_at"`
	EndsAt           time.Time         `json:"ends_at"`
	Room             string            `json:"room,omitempty"`
	PreviousStartsAt *time.Time        `json:"previous_starts_at,omitempty"`
	PreviousEndsAt   *time.Time        `json:"previous_ends_at,omitempty"`
	PreviousRoom     string            `json:"previous_room,omitempty"`
}

// releaseResponse is an agenda release with its changelog.
type releaseResponse struct {
	ID           string           `json:"id"`
	Number       int              `json:"number"`
	CreatedAt    time.Time        `json:"created_at"`
	Changes      []changeResponse `json:"changes"`
	SessionCount *int             `json:"session_count,omitempty"`
	Notified     *int             `json:"notified,omitempty"`
}

func releaseView(r *models.AgendaRelease, changes []models.AgendaChange) releaseResponse {
	out := releaseResponse{ID: r.ID, Number: r.Number, CreatedAt: r.CreatedAt.UTC(), Changes: make([]changeResponse, 0, len(changes))}
	for _, ch := range changes {
		out.Changes = append(out.Changes, changeResponse(ch))
	}
	return out
}

// createRelease freezes the published sessions into the next numbered release with a changelog
// against the previous one, and in the same transaction enqueues one "agenda_changes" mail per
// person concerned (speakers and chairs of changed sessions, delegates signed up for them),
// listing only their changes in their language. An unchanged agenda is a 409.
func (s *Server) createRelease(c *gin.Context) error {
	conf, err := s.conference(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	by := who(c).ID()
	var (
		pub   *models.PublishedRelease
		mails int
	)
	err = s.store.Tx(ctx, func(tx *models.Store) error {
		var err error
		if pub, err = tx.PublishRelease(ctx, conf.ID, &by); err != nil {
			return err
		}
		msgs, err := s.releaseMails(ctx, tx, conf, pub)
		if err != nil {
			return err
		}
		if err := tx.Enqueue(ctx, msgs...); err != nil {
			return err
		}
		mails = len(msgs)
		return s.audit(c, tx, conf.ID, "agenda.release", "agenda_release", pub.Release.ID)
	})
	if errors.Is(err, models.ErrNoChanges) {
		return problem(http.StatusConflict, err.Error())
	}
	if err != nil {
		return err
	}
	if mails > 0 {
		s.notify()
	}
	out := releaseView(pub.Release, pub.Changes)
	n := len(pub.Current.Sessions)
	out.SessionCount, out.Notified = &n, &mails
	c.JSON(http.StatusCreated, out)
	return nil
}

// releaseMails builds one "agenda_changes" mail per delegate concerned by the release. Speakers
// and chairs are always told; delegates only signed up are told unless they opted out of agenda
// mail. Withdrawn, rejected and erased registrations get nothing.
func (s *Server) releaseMails(ctx context.Context, tx *models.Store, conf *models.Conference, pub *models.PublishedRelease) ([]*models.OutboxMessage, error) {
	if len(pub.Changes) == 0 {
		return nil, nil
	}
	changed := make([]string, 0, len(pub.Changes))
	for _, ch := range pub.Changes {
		changed = append(changed, ch.SessionID)
	}
	attendees, err := tx.Attendees(ctx, uniqueInOrder(changed))
	if err != nil {
		return nil, err
	}
	recipients := models.ReleaseRecipients(pub.Previous, pub.Current, pub.Changes, attendees)
	ids := make([]string, len(recipients))
	for i, r := range recipients {
		ids[i] = r.DelegateID
	}
	delegates, err := tx.DelegatesByIDs(ctx, conf.ID, ids)
	if err != nil {
		return nil, err
	}
	loc := conf.Location()
	var msgs []*models.OutboxMessage
	for _, r := range recipients {
		d := delegates[r.DelegateID]
		if d == nil || d.Email == "" || d.ErasedAt != nil || d.Status == models.DelegateCancelled || d.Status == models.DelegateRejected ||
			(!r.Presenter && !d.NotifyAgenda) {
			continue
		}
		data := &mail.AgendaChangesData{Conference: conf.Title, Name: d.DisplayName, Release: pub.Release.Number,
			Changes: mailChanges(r.Changes, d.Lang(), loc), AgendaURL: s.link("/c/" + conf.Slug)}
		m, err := domain.NewMail(domain.EnvelopeOf(d), "release:"+pub.Release.ID, data)
		if err != nil {
			return nil, err
		}
		msgs = append(msgs, m)
	}
	return msgs, nil
}

// mailChanges writes changes for a mail in lang, times in the conference's time zone.
func mailChanges(changes []models.AgendaChange, lang string, loc *time.Location) []mail.AgendaChange {
	out := make([]mail.AgendaChange, 0, len(changes))
	for _, ch := range changes {
		mc := mail.AgendaChange{Kind: string(ch.Kind), Session: ch.Title, When: formatWhen(lang, loc, ch.StartsAt, ch.EndsAt), Room: ch.Room}
		if ch.PreviousStartsAt != nil && ch.PreviousEndsAt != nil {
			mc.PreviousWhen, mc.PreviousRoom = formatWhen(lang, loc, *ch.PreviousStartsAt, *ch.PreviousEndsAt), ch.PreviousRoom
		}
		out = append(out, mc)
	}
	return out
}

// listReleases lists a conference's releases with their changelogs, newest first (public: the
// changelog holds only what the published agenda showed).
func (s *Server) listReleases(c *gin.Context) error {
	conf, pg, err := s.conferencePage(c)
	if err != nil {
		return err
	}
	rs, err := s.store.ListReleases(c.Request.Context(), conf.ID, pg)
	if err != nil {
		return err
	}
	out := listResponse[releaseResponse]{Items: make([]releaseResponse, 0, len(rs))}
	for i := range rs {
		changes, err := rs[i].ParseChangelog()
		if err != nil {
			return err
		}
		out.Items = append(out.Items, releaseView(&rs[i], changes))
	}
	if len(rs) == pg.Limit {
		last := rs[len(rs)-1]
		out.NextCursor = models.EncodeCursor(last.CreatedAt, last.ID)
	}
	c.JSON(http.StatusOK, out)
	return nil
}
