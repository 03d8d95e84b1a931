package api

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/mail"
	"github.com/zimmerwald/zimmerwald/models"
)

// statementDecisionRequest is a reviewer's decision; session_id links an accepted statement to
// the session that debates it.
type statementDecisionRequest struct {
	Decision  models.StatementDecision `json:"decision" binding:"required,oneof=accept reject request_changes"`
	Comment   string                   `json:"comment" binding:"max=10000"`
	SessionID *string                  `json:"session_id" binding:"omitempty,max=64"`
}

// decisionMail maps a decision to the word the statement_decision mail uses.
var decisionMail = map[models.StatementDecision]string{
	models.DecisionAccept: "accepted", models.DecisionReject: "rejected", models.DecisionRequestChanges: "changes_requested",
}

// decideStatement accepts, rejects or sends back a submitted statement (reviewers, organisers,
// admins) and mails the author the decision.
func (s *Server) decideStatement(c *gin.Context) error {
	st, conf, r, err := s.statementFor(c)
	if err != nil {
		return err
	}
	var req statementDecisionRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	if req.Decision == models.DecisionRequestChanges && req.Comment == "" {
		return invalid(models.FieldProblem("comment", models.FieldRequired, "is required when asking for changes"))
	}
	if req.SessionID != nil && *req.SessionID != "" && req.Decision != models.DecisionAccept {
		return invalid(models.FieldProblem("session_id", models.FieldInvalid, "only an accepted statement can be linked to a session"))
	}
	ctx := c.Request.Context()
	err = s.store.Tx(ctx, func(tx *models.Store) error {
		st, err = tx.StatementForUpdate(ctx, st.ID)
		if err != nil {
			return err
		}
		if _, err := st.Decide(req.Decision, tx.Now()); err != nil {
			return err
		}
		if req.SessionID != nil {
			if err := linkSession(ctx, tx, st, *req.SessionID); err != nil {
				return err
			}
		}
		if err := tx.UpdateStatement(ctx, st); err != nil {
			return err
		}
		if req.Comment != "" {
			if err := tx.AddComment(ctx, &models.StatementComment{StatementID: st.ID, AccountID: &who(c).Account.ID, Body: req.Comment}); err != nil {
				return err
			}
		}
		if err := s.mailStatementDecision(ctx, tx, conf, st, decisionMail[req.Decision], req.Comment); err != nil {
			return err
		}
		return s.audit(c, tx, conf.ID, "statement.decide", "statement", st.ID)
	})
	if err != nil {
		return err
	}
	s.notify()
	return s.answerStatement(c, r, st, http.StatusOK, "")
}

// mailStatementDecision enqueues one statement_decision mail per recipient.
func (s *Server) mailStatementDecision(ctx context.Context, tx *models.Store, conf *models.Conference, st *models.Statement, decision, comment string) error {
	ds, err := statementRecipients(ctx, tx, st)
	if err != nil {
		return err
	}
	event := models.NewID()
	for _, d := range ds {
		data := mail.StatementDecisionData{Conference: conf.Title, Name: d.DisplayName, Statement: st.Title, Decision: decision, Comment: comment}
		m, err := domain.NewMail(domain.EnvelopeOf(&d), "statement_decision:"+event, &data)
		if err != nil {
			return err
		}
		if err := tx.Enqueue(ctx, m); err != nil {
			return err
		}
	}
	return nil
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

// addComment records a reviewer's comment on a statement.
func (s *Server) addComment(c *gin.Context) error {
	st, conf, _, err := s.statementFor(c)
	if err != nil {
		return err
	}
	var req commentRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	cm := &models.StatementComment{StatementID: st.ID, AccountID: &who(c).Account.ID, Body: req.Body}
	err = s.store.Tx(c.Request.Context(), func(tx *models.Store) error {
		if err := tx.AddComment(c.Request.Context(), cm); err != nil {
			return err
		}
		return s.audit(c, tx, conf.ID, "statement.comment", "statement", st.ID)
	})
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, commentResponse{ID: cm.ID, Body: cm.Body, AccountID: cm.AccountID, CreatedAt: cm.CreatedAt})
	return nil
}

// listComments shows the reviewers' comments to staff and to the statement's organisation.
func (s *Server) listComments(c *gin.Context) error {
	st, _, r, err := s.statementFor(c)
	if err != nil {
		return err
	}
	if !r.staff && !r.member(st) {
		return errForbidden
	}
	cs, err := s.store.Comments(c.Request.Context(), st.ID)
	if err != nil {
		return err
	}
	out := listResponse[commentResponse]{Items: make([]commentResponse, 0, len(cs))}
	for _, cm := range cs {
		v := commentResponse{ID: cm.ID, Body: cm.Body, CreatedAt: cm.CreatedAt}
		if r.staff {
			v.AccountID = cm.AccountID
		}
		out.Items = append(out.Items, v)
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

// saveTranslation adds or replaces a translation (the statement's organisation, organisers,
// admins): 201 when new, 200 when replaced.
func (s *Server) saveTranslation(c *gin.Context) error {
	st, conf, r, err := s.statementFor(c)
	if err != nil {
		return err
	}
	if !r.canEdit(st) {
		return errForbidden
	}
	var req translationRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	if !langPattern.MatchString(req.Language) {
		return invalid(models.FieldProblem("language", models.FieldInvalidLanguage, "must be a language code such as en or uk"))
	}
	if req.Language == st.Language {
		return invalid(models.FieldProblem("language", models.FieldInvalid, "is the statement's original language"))
	}
	ctx := c.Request.Context()
	tr := &models.StatementTranslation{StatementID: st.ID, Language: req.Language, Title: req.Title, Summary: req.Summary, Body: req.Body}
	created := false
	err = s.store.Tx(ctx, func(tx *models.Store) error {
		if created, err = tx.SaveTranslation(ctx, tr); err != nil {
			return err
		}
		return s.audit(c, tx, conf.ID, "statement.translate", "statement", st.ID)
	})
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	return s.answerStatement(c, r, st, status, tr.Language)
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
// their bodies.
func (s *Server) listVersions(c *gin.Context) error {
	st, _, _, err := s.statementFor(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	if c.Query("from") != "" || c.Query("to") != "" {
		from, errFrom := strconv.Atoi(c.Query("from"))
		to, errTo := strconv.Atoi(c.Query("to"))
		if errFrom != nil || errTo != nil || from < 1 || to < 1 {
			return malformed("invalid versions", models.FieldProblem("from", models.FieldInvalid, "from and to must both be version numbers"))
		}
		a, err := s.store.StatementVersion(ctx, st.ID, from)
		if err != nil {
			return err
		}
		b, err := s.store.StatementVersion(ctx, st.ID, to)
		if err != nil {
			return err
		}
		diff := models.UnifiedDiff(fmt.Sprintf("version %d", from), fmt.Sprintf("version %d", to), a.Body, b.Body)
		c.JSON(http.StatusOK, diffResponse{From: from, To: to, Diff: diff})
		return nil
	}
	vs, err := s.store.StatementVersions(ctx, st.ID)
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
