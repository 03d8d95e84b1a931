package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/internal/domain"
)

// statementRequest is the body of POST …/statements (title required) and PATCH /statements/:id
// (every field optional). organisation_id chooses the owner on creation only; session_id links
// an accepted statement to the session that debates it ("" unlinks).
type statementRequest struct {
	Title          *string `json:"title" binding:"omitempty,max=300,nocrlf"`
	Summary        *string `json:"summary" binding:"omitempty,max=5000"`
	Body           *string `json:"body" binding:"omitempty,max=100000"`
	Language       *string `json:"language" binding:"omitempty,max=16"`
	OrganisationID *string `json:"organisation_id" binding:"omitempty,max=64"`
	SessionID      *string `json:"session_id" binding:"omitempty,max=64"`
}

// text is the request as the domain's input.
func (r *statementRequest) text() domain.StatementText {
	return domain.StatementText{Title: r.Title, Summary: r.Summary, Body: r.Body, Language: r.Language,
		OrganisationID: r.OrganisationID, SessionID: r.SessionID}
}

// listStatements lists a conference's statements as the caller may see them
// (domain.Service.ListStatements). ?status= and ?organisation_id= narrow the list; ?lang= picks
// translations.
func (s *Server) listStatements(c *gin.Context) error {
	_, pg, err := s.conferencePage(c)
	if err != nil {
		return err
	}
	q := domain.StatementQuery{Slug: c.Param("slug"), Status: c.Query("status"), OrganisationID: c.Query("organisation_id"), Lang: c.Query("lang"), Page: pg}
	items, next, err := s.dom.ListStatements(c.Request.Context(), s.actor(c), q)
	if err != nil {
		return err
	}
	out := listResponse[statementResponse]{Items: make([]statementResponse, 0, len(items)), NextCursor: next}
	for i := range items {
		out.Items = append(out.Items, *statementJSON(&items[i]))
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// getStatement shows one statement to whoever may read it; ?lang= picks a translation.
func (s *Server) getStatement(c *gin.Context) error {
	v, err := s.dom.GetStatement(c.Request.Context(), s.actor(c), c.Param("id"), c.Query("lang"))
	return answerStatement(c, v, err, http.StatusOK)
}

// createStatement drafts a statement (domain.Service.CreateStatement).
func (s *Server) createStatement(c *gin.Context) error {
	if _, err := s.conference(c); err != nil {
		return err
	}
	var req statementRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	v, err := s.dom.CreateStatement(c.Request.Context(), s.actor(c), c.Param("slug"), req.text())
	return answerStatement(c, v, err, http.StatusCreated)
}

// updateStatement edits a draft or links an accepted statement to a session
// (domain.Service.UpdateStatement).
func (s *Server) updateStatement(c *gin.Context) error {
	var req statementRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	v, err := s.dom.UpdateStatement(c.Request.Context(), s.actor(c), c.Param("id"), req.text())
	return answerStatement(c, v, err, http.StatusOK)
}

// submitStatement sends a draft to the reviewers (domain.Service.SubmitStatement).
func (s *Server) submitStatement(c *gin.Context) error {
	v, err := s.dom.SubmitStatement(c.Request.Context(), s.actor(c), c.Param("id"))
	return answerStatement(c, v, err, http.StatusOK)
}

// withdrawStatement withdraws a statement (domain.Service.WithdrawStatement).
func (s *Server) withdrawStatement(c *gin.Context) error {
	v, err := s.dom.WithdrawStatement(c.Request.Context(), s.actor(c), c.Param("id"))
	return answerStatement(c, v, err, http.StatusOK)
}

// answerStatement writes v with status, or returns err.
func answerStatement(c *gin.Context, v *domain.StatementView, err error, status int) error {
	if err != nil {
		return err
	}
	c.JSON(status, statementJSON(v))
	return nil
}
