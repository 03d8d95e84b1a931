package api

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/zimmerwald/zimmerwald/models"
)

// sessionRequest is the body of POST …/sessions (title, kind, starts_at, ends_at required) and of
// PATCH /sessions/{id} (all optional; a list given replaces the old one, [] empties it).
type sessionRequest struct {
	Title          *string               `json:"title" binding:"omitempty,max=300,nocrlf"`
	Kind           *string               `json:"kind" binding:"omitempty,oneof=plenary commission workshop meeting break"`
	Description    *string               `json:"description" binding:"omitempty,max=20000"`
	Room           *string               `json:"room" binding:"omitempty,max=100,nocrlf"`
	StartsAt       *string               `json:"starts_at" binding:"omitempty,max=40"`
	EndsAt         *string               `json:"ends_at" binding:"omitempty,max=40"`
	Capacity       *int                  `json:"capacity" binding:"omitempty,min=0,max=100000"`
	Languages      []string              `json:"languages" binding:"omitempty,max=20"`
	Interpretation []string              `json:"interpretation" binding:"omitempty,max=20"`
	Track          *string               `json:"track" binding:"omitempty,max=100,nocrlf"`
	SpeakerIDs     []string              `json:"speaker_ids" binding:"omitempty,max=50"`
	ChairIDs       []string              `json:"chair_ids" binding:"omitempty,max=20"`
	StatementIDs   []string              `json:"statement_ids" binding:"omitempty,max=20"`
	Status         *models.SessionStatus `json:"status" binding:"omitempty,oneof=draft published cancelled"`
}

// maxSessionLength bounds a session so that exports can write its duration as hh:mm.
const maxSessionLength = 24 * time.Hour

// apply copies the shape-checked fields of r onto sess and returns per-field errors. Rooms,
// people and statements are resolved against the database by resolve.
func (r *sessionRequest) apply(sess *models.Session, creating bool) models.FieldErrors {
	fe := models.FieldErrors{}
	if creating {
		for name, v := range map[string]*string{"title": r.Title, "kind": r.Kind, "starts_at": r.StartsAt, "ends_at": r.EndsAt} {
			if v == nil || strings.TrimSpace(*v) == "" {
				fe.Set(name, models.FieldRequired, "is required")
			}
		}
	}
	for name, v := range map[string]*string{"title": r.Title, "room": r.Room, "track": r.Track} {
		if v != nil && hasControlChars(*v, false) {
			fe.Set(name, models.FieldControlCharacters, "must not contain control characters")
		}
	}
	if r.Title != nil {
		if strings.TrimSpace(*r.Title) == "" {
			fe.Set("title", models.FieldRequired, "is required")
		}
		sess.Title = strings.TrimSpace(*r.Title)
	}
	setStr(&sess.Kind, r.Kind)
	if r.Description != nil {
		if hasControlChars(*r.Description, true) {
			fe.Set("description", models.FieldControlCharacters, "must not contain control characters")
		}
		sess.Description = *r.Description
	}
	if r.Track != nil {
		sess.Track = strings.TrimSpace(*r.Track)
	}
	if r.Capacity != nil {
		sess.Capacity = *r.Capacity
	}
	for name, pair := range map[string]struct {
		src *string
		dst *time.Time
	}{"starts_at": {r.StartsAt, &sess.StartsAt}, "ends_at": {r.EndsAt, &sess.EndsAt}} {
		if pair.src == nil || *pair.src == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339, *pair.src)
		if err != nil || t.Year() < 2000 || t.Year() > 2200 {
			fe.Set(name, models.FieldInvalidInstant, "must be an RFC 3339 instant such as 2027-09-06T10:00:00+02:00")
			continue
		}
		*pair.dst = t.UTC()
	}
	if _, bad := fe["ends_at"]; !bad && !fe.Has("starts_at") && !sess.StartsAt.IsZero() && !sess.EndsAt.IsZero() {
		switch {
		case !sess.EndsAt.After(sess.StartsAt):
			fe.Set("ends_at", models.FieldBadRange, "must be after starts_at")
		case sess.EndsAt.Sub(sess.StartsAt) > maxSessionLength:
			fe.Set("ends_at", models.FieldBadRange, "must be at most 24 hours after starts_at")
		}
	}
	for name, pair := range map[string]struct {
		src []string
		dst *models.StringList
	}{"languages": {r.Languages, &sess.Languages}, "interpretation": {r.Interpretation, &sess.Interpretation}} {
		if pair.src == nil {
			continue
		}
		for _, l := range pair.src {
			if !langPattern.MatchString(l) {
				fe.Set(name, models.FieldInvalidLanguage, "must be language codes such as en, ru, uk")
			}
		}
		*pair.dst = models.StringList(uniqueInOrder(pair.src))
	}
	for name, ids := range map[string][]string{"speaker_ids": r.SpeakerIDs, "chair_ids": r.ChairIDs, "statement_ids": r.StatementIDs} {
		for _, id := range ids {
			if uuid.Validate(id) != nil {
				fe.Set(name, models.FieldInvalidID, "must be a list of IDs")
			}
		}
	}
	if len(fe) == 0 {
		return nil
	}
	return fe
}

// resolve checks the people, statements and room of the request against the conference inside
// tx and links them to sess; a room name not yet known creates the room.
func (r *sessionRequest) resolve(ctx context.Context, tx *models.Store, conf *models.Conference, sess *models.Session) error {
	fe := models.FieldErrors{}
	if r.SpeakerIDs != nil || r.ChairIDs != nil {
		found, err := tx.DelegateStatuses(ctx, conf.ID, append(slices.Clone(r.SpeakerIDs), r.ChairIDs...))
		if err != nil {
			return err
		}
		for name, pair := range map[string]struct {
			src []string
			dst *[]string
		}{"speaker_ids": {r.SpeakerIDs, &sess.SpeakerIDs}, "chair_ids": {r.ChairIDs, &sess.ChairIDs}} {
			if pair.src == nil {
				continue
			}
			for _, id := range pair.src {
				if _, ok := found[id]; !ok {
					fe.Set(name, models.FieldUnknownReference, "names a delegate who is not registered for this conference")
				}
			}
			*pair.dst = uniqueInOrder(pair.src)
		}
	}
	if r.StatementIDs != nil {
		found, err := tx.StatementsOfConference(ctx, conf.ID, r.StatementIDs)
		if err != nil {
			return err
		}
		for _, id := range r.StatementIDs {
			if !found[id] {
				fe.Set("statement_ids", models.FieldUnknownReference, "names a statement that is not part of this conference")
			}
		}
		sess.StatementIDs = uniqueInOrder(r.StatementIDs)
	}
	if len(fe) > 0 {
		return fe
	}
	if r.Room != nil {
		name := strings.TrimSpace(*r.Room)
		if name == "" {
			sess.RoomID, sess.RoomName, sess.RoomCapacity = nil, "", 0
			return nil
		}
		room, err := tx.EnsureRoom(ctx, conf.ID, name)
		if err != nil {
			return err
		}
		sess.RoomID, sess.RoomName, sess.RoomCapacity = &room.ID, room.Name, room.Capacity
	}
	return nil
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
		Attendance: attendanceSummary{Capacity: sess.EffectiveCapacity(), Confirmed: n.Confirmed, Waitlisted: n.Waitlisted}}
	if sess.RoomID != nil {
		name := sess.RoomName
		r.Room = &name
	}
	if staff {
		r.sessionStaffFields = &sessionStaffFields{SpeakerIDs: listOrEmpty(sess.SpeakerIDs), ChairIDs: listOrEmpty(sess.ChairIDs)}
	}
	return r
}

// peopleView names people for staff (everyone) or the public (public people by name, others by
// their listed organisation only, each organisation once, or not at all).
func peopleView(ids []string, views map[string]models.AgendaPerson, staff bool) []personResponse {
	out := []personResponse{}
	orgs := map[string]bool{}
	for _, id := range ids {
		v, ok := views[id]
		switch {
		case !ok:
		case staff:
			out = append(out, personResponse{ID: id, Name: v.DisplayName, Organisation: v.OrganisationName})
		case v.IsPublic():
			out = append(out, personResponse{Name: v.DisplayName, Organisation: v.PublicOrganisation()})
		case v.PublicOrganisation() != "" && !orgs[v.PublicOrganisation()]:
			orgs[v.PublicOrganisation()] = true
			out = append(out, personResponse{Organisation: v.PublicOrganisation()})
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
	staff := isStaff(c, staffAll...)
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
	sess, err := s.visibleSession(c)
	if err != nil {
		return err
	}
	views, err := s.sessionViews(c.Request.Context(), []models.Session{*sess}, isStaff(c, staffAll...))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, views[0])
	return nil
}

// visibleSession loads the :id session if the caller may see it (staff: any; others: published).
func (s *Server) visibleSession(c *gin.Context) (*models.Session, error) {
	if uuid.Validate(c.Param("id")) != nil {
		return nil, errNotFound
	}
	sess, err := s.store.Session(c.Request.Context(), c.Param("id"))
	if err != nil {
		return nil, err
	}
	if sess.Status != models.SessionPublished && !isStaff(c, staffAll...) {
		return nil, errNotFound
	}
	return sess, nil
}

// hasControlChars reports control characters; multiline allows line breaks and tabs.
func hasControlChars(s string, multiline bool) bool {
	return strings.IndexFunc(s, func(r rune) bool {
		if multiline && (r == '\n' || r == '\r' || r == '\t') {
			return false
		}
		return r < 0x20 || r == 0x7f
	}) >= 0
}

// uniqueInOrder returns the list without repeats, in first-seen order.
func uniqueInOrder(l []string) []string {
	out := make([]string, 0, len(l))
	for _, x := range l {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

func listOrEmpty[S ~[]string](l S) []string {
	if l == nil {
		return []string{}
	}
	return l
}
