package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

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
	var statuses []models.SessionStatus
	switch status := models.SessionStatus(c.Query("status")); status {
	case "":
	case models.SessionPublished, models.SessionDraft:
		statuses = []models.SessionStatus{status}
	default:
		return malformed("invalid status", models.FieldProblem("status", models.FieldOneOf, "must be draft or published"))
	}
	ag, err := s.dom.AgendaConflicts(c.Request.Context(), s.actor(c), c.Param("slug"), statuses...)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, listResponse[conflictResponse]{Items: conflictViews(ag.Conflicts, ag.Rooms)})
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
	PreviousTitle    string            `json:"previous_title,omitempty"`
	// Titles and PreviousTitles are the translated titles by language (issue 13).
	Titles         map[string]string `json:"titles,omitempty"`
	PreviousTitles map[string]string `json:"previous_titles,omitempty"`
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

// createRelease freezes the published sessions into the next numbered release and mails the
// people concerned (see domain.PublishRelease). An unchanged agenda is a 409.
func (s *Server) createRelease(c *gin.Context) error {
	pub, err := s.dom.PublishRelease(c.Request.Context(), s.actor(c), c.Param("slug"))
	if err != nil {
		return err
	}
	out := releaseView(pub.Release, pub.Changes)
	n := len(pub.Current.Sessions)
	out.SessionCount, out.Notified = &n, &pub.Notified
	c.JSON(http.StatusCreated, out)
	return nil
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
