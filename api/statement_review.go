package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/models"
)

// statementDecisionRequest is a reviewer's decision; session_id links an accepted statement to
// the session that debates it.
type statementDecisionRequest struct {
	Decision  string  `json:"decision" binding:"required,oneof=accept reject request_changes"`
	Comment   string  `json:"comment" binding:"max=10000"`
	SessionID *string `json:"session_id" binding:"omitempty,max=64"`
}

// decideStatement accepts, rejects or sends back a submitted statement
// (domain.Service.DecideStatement).
func (s *Server) decideStatement(c *gin.Context) error {
	var req statementDecisionRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	in := domain.StatementDecision{StatementID: c.Param("id"), Decision: models.StatementDecision(req.Decision), Comment: req.Comment, SessionID: req.SessionID}
	v, err := s.dom.DecideStatement(c.Request.Context(), s.actor(c), in)
	return answerStatement(c, v, err, http.StatusOK)
}

// commentRequest is a reviewer's comment.
type commentRequest struct {
	Body string `json:"body" binding:"required,max=10000"`
}

// commentResponse is a comment; the reviewer is named to staff only.
type commentResponse struct {
	ID        string    `json:"id"`
	Body      string    `json:"body"`
	AccountID *string   `json:"account_id,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// addComment records a reviewer's comment on a statement (domain.Service.AddComment).
func (s *Server) addComment(c *gin.Context) error {
	var req commentRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	cm, err := s.dom.AddComment(c.Request.Context(), s.actor(c), c.Param("id"), req.Body)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, commentResponse{ID: cm.ID, Body: cm.Body, AccountID: cm.AccountID, CreatedAt: cm.CreatedAt})
	return nil
}

// listComments shows the reviewers' comments to staff and to the statement's organisation
// (domain.Service.ListComments).
func (s *Server) listComments(c *gin.Context) error {
	cs, err := s.dom.ListComments(c.Request.Context(), s.actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	out := listResponse[commentResponse]{Items: make([]commentResponse, 0, len(cs))}
	for _, cm := range cs {
		out.Items = append(out.Items, commentResponse{ID: cm.ID, Body: cm.Body, AccountID: cm.AccountID, CreatedAt: cm.CreatedAt})
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// translationRequest is the statement in another language.
type translationRequest struct {
	Language string `json:"language" binding:"required,max=16"`
	Title    string `json:"title" binding:"required,max=300,nocrlf"`
	Summary  string `json:"summary" binding:"max=5000"`
	Body     string `json:"body" binding:"required,max=100000"`
}

// saveTranslation adds or replaces a translation (domain.Service.SaveTranslation): 201 when new,
// 200 when replaced.
func (s *Server) saveTranslation(c *gin.Context) error {
	var req translationRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	in := domain.Translation{StatementID: c.Param("id"), Language: req.Language, Title: req.Title, Summary: req.Summary, Body: req.Body}
	v, created, err := s.dom.SaveTranslation(c.Request.Context(), s.actor(c), in)
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	return answerStatement(c, v, err, status)
}

// versionResponse is one version of a statement's text.
type versionResponse struct {
	Version     int       `json:"version"`
	Title       string    `json:"title"`
	Summary     string    `json:"summary"`
	Body        string    `json:"body"`
	AmendmentID *string   `json:"amendment_id"`
	CreatedAt   time.Time `json:"created_at"`
}

// diffResponse is the unified line diff between two versions.
type diffResponse struct {
	From int    `json:"from"`
	To   int    `json:"to"`
	Diff string `json:"diff"`
}

// listVersions lists every version of a statement, or with ?from=&to= answers the unified diff of
// their bodies (domain.Service.ListVersions, VersionDiff).
func (s *Server) listVersions(c *gin.Context) error {
	ctx, a := c.Request.Context(), s.actor(c)
	if c.Query("from") != "" || c.Query("to") != "" {
		from, _ := strconv.Atoi(c.Query("from")) // not a number: 0, which the domain refuses
		to, _ := strconv.Atoi(c.Query("to"))
		diff, err := s.dom.VersionDiff(ctx, a, c.Param("id"), from, to)
		if err != nil {
			return err
		}
		c.JSON(http.StatusOK, diffResponse{From: from, To: to, Diff: diff})
		return nil
	}
	vs, err := s.dom.ListVersions(ctx, a, c.Param("id"))
	if err != nil {
		return err
	}
	out := listResponse[versionResponse]{Items: make([]versionResponse, 0, len(vs))}
	for _, v := range vs {
		out.Items = append(out.Items, versionResponse{Version: v.Version, Title: v.Title, Summary: v.Summary, Body: v.Body, AmendmentID: v.AmendmentID, CreatedAt: v.CreatedAt})
	}
	c.JSON(http.StatusOK, out)
	return nil
}
