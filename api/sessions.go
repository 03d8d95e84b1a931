package api

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/models"
)

// sessionRequest is the body of POST …/sessions (title, kind, starts_at, ends_at required) and of
// PATCH /sessions/{id} (all optional; a list given replaces the old one, [] empties it).
type sessionRequest struct {
	Title          *string  `json:"title" binding:"omitempty,max=300,nocrlf"`
	Kind           *string  `json:"kind" binding:"omitempty,oneof=plenary commission workshop meeting break"`
	Description    *string  `json:"description" binding:"omitempty,max=20000"`
	Room           *string  `json:"room" binding:"omitempty,max=100,nocrlf"`
	StartsAt       *string  `json:"starts_at" binding:"omitempty,max=40"`
	EndsAt         *string  `json:"ends_at" binding:"omitempty,max=40"`
	Capacity       *int     `json:"capacity" binding:"omitempty,min=0,max=100000"`
	Languages      []string `json:"languages" binding:"omitempty,max=20"`
	Interpretation []string `json:"interpretation" binding:"omitempty,max=20"`
	Track          *string  `json:"track" binding:"omitempty,max=100,nocrlf"`
	SpeakerIDs     []string `json:"speaker_ids" binding:"omitempty,max=50"`
	ChairIDs       []string `json:"chair_ids" binding:"omitempty,max=20"`
	StatementIDs   []string `json:"statement_ids" binding:"omitempty,max=20"`
	Status         *string  `json:"status" binding:"omitempty,oneof=draft published cancelled"`
	OnlineURL      *string  `json:"online_url" binding:"omitempty,max=500,nocrlf"`
	// Translations are the title and description in the conference's other languages (issue
	// 13); given, they replace the old ones ({} removes them all).
	Translations map[string]sessionTranslation `json:"translations" binding:"omitempty,max=20,dive"`
}

// sessionTranslation is a session's title and description in one more language; an empty field
// falls back to the session's own.
type sessionTranslation struct {
	Title       string `json:"title" binding:"max=300,nocrlf"`
	Description string `json:"description" binding:"max=20000"`
}

// translationsView answers a session's translations, {} when none.
func translationsView(t models.SessionTranslations) map[string]sessionTranslation {
	out := make(map[string]sessionTranslation, len(t))
	for lang, tr := range t {
		out[lang] = sessionTranslation(tr)
	}
	return out
}

// personResponse names a speaker or chair: staff see everyone with their ID; the public sees a
// public delegate's name and listed organisation, a non-public one's listed organisation only.
type personResponse struct {
	ID           string `json:"id,omitempty"`
	Name         string `json:"name,omitempty"`
	Organisation string `json:"organisation,omitempty"`
}

// attendanceSummary counts a session's sign-ups.
type attendanceSummary struct {
	Capacity   int `json:"capacity"`
	Confirmed  int `json:"confirmed"`
	Waitlisted int `json:"waitlisted"`
}

// sessionStaffFields are shown to staff only.
type sessionStaffFields struct {
	SpeakerIDs []string `json:"speaker_ids"`
	ChairIDs   []string `json:"chair_ids"`
}

// sessionResponse is a session as shown to the public or to staff.
type sessionResponse struct {
	ID             string               `json:"id"`
	Title          string               `json:"title"`
	Kind           models.SessionKind   `json:"kind"`
	Description    string               `json:"description"`
	Room           *string              `json:"room"`
	RoomID         *string              `json:"room_id"`
	StartsAt       time.Time            `json:"starts_at"`
	EndsAt         time.Time            `json:"ends_at"`
	Capacity       int                  `json:"capacity"`
	Languages      []string             `json:"languages"`
	Interpretation []string             `json:"interpretation"`
	Track          string               `json:"track"`
	Status         models.SessionStatus `json:"status"`
	StatementIDs   []string             `json:"statement_ids"`
	Speakers       []personResponse     `json:"speakers"`
	Chairs         []personResponse     `json:"chairs"`
	Attendance     attendanceSummary    `json:"attendance"`
	// Translations are the title and description in other languages, by language code.
	Translations map[string]sessionTranslation `json:"translations"`
	// OnlineURL is the online link, only for those who may join online (domain.Service.OnlineLink).
	OnlineURL string `json:"online_url,omitempty"`
	*sessionStaffFields
}

// sessionWithConflicts answers create and update: the session and the conflicts it causes.
type sessionWithConflicts struct {
	sessionResponse
	Conflicts []conflictResponse `json:"conflicts"`
}

// sessionViews renders sessions for the caller, loading the people and sign-up counts they need.
func (s *Server) sessionViews(ctx context.Context, sessions []models.Session, staff bool) ([]sessionResponse, error) {
	ids, people := make([]string, len(sessions)), []string{}
	for i := range sessions {
		ids[i] = sessions[i].ID
		people = append(people, sessions[i].People()...)
	}
	views, err := s.store.PeopleViews(ctx, people)
	if err != nil {
		return nil, err
	}
	counts, err := s.store.AttendanceCounts(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]sessionResponse, len(sessions))
	for i := range sessions {
		out[i] = sessionView(&sessions[i], views, counts[sessions[i].ID], staff)
	}
	return out, nil
}

func sessionView(sess *models.Session, views map[string]models.AgendaPerson, n models.AttendanceCount, staff bool) sessionResponse {
	r := sessionResponse{ID: sess.ID, Title: sess.Title, Kind: sess.Kind, Description: sess.Description, RoomID: sess.RoomID,
		StartsAt: sess.StartsAt.UTC(), EndsAt: sess.EndsAt.UTC(), Capacity: sess.Capacity, Languages: listOrEmpty(sess.Languages),
		Interpretation: listOrEmpty(sess.Interpretation), Track: sess.Track, Status: sess.Status, StatementIDs: listOrEmpty(sess.StatementIDs),
		Speakers: peopleView(sess.SpeakerIDs, views, staff), Chairs: peopleView(sess.ChairIDs, views, staff),
		Attendance:   attendanceSummary{Capacity: sess.EffectiveCapacity(), Confirmed: n.Confirmed, Waitlisted: n.Waitlisted},
		Translations: translationsView(sess.Translations)}
	if sess.RoomID != nil {
		name := sess.RoomName
		r.Room = &name
	}
	if staff {
		r.sessionStaffFields = &sessionStaffFields{SpeakerIDs: listOrEmpty(sess.SpeakerIDs), ChairIDs: listOrEmpty(sess.ChairIDs)}
	}
	return r
}

// peopleView names people for staff (everyone, with their IDs) or the public (by
// domain.PublicPeople's rules).
func peopleView(ids []string, views map[string]models.AgendaPerson, staff bool) []personResponse {
	out := []personResponse{}
	if !staff {
		for _, p := range domain.PublicPeople(ids, views) {
			out = append(out, personResponse{Name: p.Name, Organisation: p.Organisation})
		}
		return out
	}
	for _, id := range ids {
		if v, ok := views[id]; ok {
			out = append(out, personResponse{ID: id, Name: v.DisplayName, Organisation: v.OrganisationName})
		}
	}
	return out
}

// listSessions lists published sessions to everyone and all sessions (?status= filters) to staff.
func (s *Server) listSessions(c *gin.Context) error {
	conf, pg, err := s.conferencePage(c)
	if err != nil {
		return err
	}
	staff := isStaffIn(c, conf.ID, staffAll...)
	f := models.SessionFilter{ConferenceID: conf.ID, Statuses: []models.SessionStatus{models.SessionPublished}, Page: pg}
	if staff {
		f.Statuses = nil
		if st := models.SessionStatus(c.Query("status")); st != "" {
			if !slices.Contains([]models.SessionStatus{models.SessionDraft, models.SessionPublished, models.SessionCancelled}, st) {
				return malformed("invalid status", models.FieldProblem("status", models.FieldOneOf, "must be one of: draft, published, cancelled"))
			}
			f.Statuses = []models.SessionStatus{st}
		}
	}
	sessions, err := s.store.ListSessions(c.Request.Context(), f)
	if err != nil {
		return err
	}
	items, err := s.sessionViews(c.Request.Context(), sessions, staff)
	if err != nil {
		return err
	}
	out := listResponse[sessionResponse]{Items: items}
	if len(sessions) == pg.Limit {
		last := sessions[len(sessions)-1]
		out.NextCursor = models.EncodeCursor(last.StartsAt, last.ID)
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// getSession shows one session: published ones to everyone, any to staff.
func (s *Server) getSession(c *gin.Context) error {
	sess, err := s.dom.VisibleSession(c.Request.Context(), s.actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	views, err := s.sessionViews(c.Request.Context(), []models.Session{*sess}, isStaffIn(c, sess.ConferenceID, staffAll...))
	if err != nil {
		return err
	}
	if views[0].OnlineURL, err = s.dom.OnlineLink(c.Request.Context(), s.actor(c), sess); err != nil {
		return err
	}
	if views[0].OnlineURL != "" {
		c.Header("Cache-Control", "private, no-store")
	}
	c.JSON(http.StatusOK, views[0])
	return nil
}

func listOrEmpty[S ~[]string](l S) []string {
	if l == nil {
		return []string{}
	}
	return l
}
