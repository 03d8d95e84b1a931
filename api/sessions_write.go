package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/models"
)

// input is the request as the domain's SessionInput.
func (r *sessionRequest) input(strict bool) domain.SessionInput {
	return domain.SessionInput{Title: r.Title, Kind: r.Kind, Description: r.Description, Room: r.Room, Track: r.Track,
		StartsAt: r.StartsAt, EndsAt: r.EndsAt, Capacity: r.Capacity, Languages: r.Languages, Interpretation: r.Interpretation,
		SpeakerIDs: r.SpeakerIDs, ChairIDs: r.ChairIDs, StatementIDs: r.StatementIDs, Status: r.Status, OnlineURL: r.OnlineURL, Strict: strict,
		Translations: r.translations()}
}

// translations are the request's translations for the domain, nil when none were sent.
func (r *sessionRequest) translations() map[string]models.SessionText {
	if r.Translations == nil {
		return nil
	}
	out := make(map[string]models.SessionText, len(r.Translations))
	for lang, t := range r.Translations {
		out[lang] = models.SessionText(t)
	}
	return out
}

// createSession adds a draft session and answers with it and the conflicts it causes; with
// ?strict=true a conflict refuses the session (409 for overlaps, else 422).
func (s *Server) createSession(c *gin.Context) error {
	var req sessionRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	strict, err := strictParam(c)
	if err != nil {
		return err
	}
	out, err := s.dom.CreateSession(c.Request.Context(), s.actor(c), c.Param("slug"), req.input(strict))
	if err != nil {
		return err
	}
	return s.answerSession(c, http.StatusCreated, out)
}

// updateSession changes a session: any field, and its status through Session.SetStatus. A larger
// capacity gives waiting delegates their places (and mails them).
func (s *Server) updateSession(c *gin.Context) error {
	var req sessionRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	strict, err := strictParam(c)
	if err != nil {
		return err
	}
	out, err := s.dom.UpdateSession(c.Request.Context(), s.actor(c), c.Param("id"), req.input(strict))
	if err != nil {
		return err
	}
	return s.answerSession(c, http.StatusOK, out)
}

// deleteSession removes a session that is not in the latest release; one that is must be
// cancelled instead, so that the next release tells the people concerned.
func (s *Server) deleteSession(c *gin.Context) error {
	if err := s.dom.DeleteSession(c.Request.Context(), s.actor(c), c.Param("id")); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

// answerSession writes a created or changed session with its conflicts (staff view).
func (s *Server) answerSession(c *gin.Context, status int, out *domain.SessionChange) error {
	views, err := s.sessionViews(c.Request.Context(), []models.Session{*out.Session}, true)
	if err != nil {
		return err
	}
	rooms, err := s.dom.RoomNames(c.Request.Context(), out.Session.ConferenceID)
	if err != nil {
		return err
	}
	c.JSON(status, sessionWithConflicts{sessionResponse: views[0], Conflicts: conflictViews(out.Conflicts, rooms)})
	return nil
}

// strictParam reads ?strict=true|false.
func strictParam(c *gin.Context) (bool, error) {
	switch c.Query("strict") {
	case "", "false", "0":
		return false, nil
	case "true", "1":
		return true, nil
	}
	return false, malformed("invalid strict", models.FieldProblem("strict", models.FieldInvalidType, "must be true or false"))
}
