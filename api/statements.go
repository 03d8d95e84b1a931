package api

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/models"
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

// texts reports whether the request changes the statement's text.
func (r *statementRequest) texts() bool {
	return r.Title != nil || r.Summary != nil || r.Body != nil || r.Language != nil
}

// apply copies the text fields onto st.
func (r *statementRequest) apply(st *models.Statement) models.FieldErrors {
	fe := models.FieldErrors{}
	if r.Title != nil {
		st.Title = strings.TrimSpace(*r.Title)
	}
	if st.Title == "" {
		fe.Set("title", models.FieldRequired, "is required")
	}
	setStr(&st.Summary, r.Summary)
	setStr(&st.Body, r.Body)
	if r.Language != nil {
		st.Language = *r.Language
	}
	if !langPattern.MatchString(st.Language) {
		fe.Set("language", models.FieldInvalidLanguage, "must be a language code such as en or uk")
	}
	if len(fe) == 0 {
		return nil
	}
	return fe
}

// publicStatuses are the statuses anyone may read.
var publicStatuses = []models.StatementStatus{models.StatementAccepted, models.StatementAdopted}

// statementStatuses lists every status, for ?status=.
var statementStatuses = []models.StatementStatus{models.StatementDraft, models.StatementSubmitted, models.StatementAccepted, models.StatementRejected,
	models.StatementWithdrawn, models.StatementAdopted, models.StatementNotAdopted}

// readLang reads ?lang=, the language the reader wants the texts in.
func readLang(c *gin.Context) (string, error) {
	lang := c.Query("lang")
	if lang != "" && !langPattern.MatchString(lang) {
		return "", malformed("invalid language", models.FieldProblem("lang", models.FieldInvalidLanguage, "must be a language code such as en or uk"))
	}
	return lang, nil
}

// listStatements lists a conference's statements: accepted and adopted ones for everybody, plus
// every statement of their own organisation for a delegate and every statement for staff.
// ?status= and ?organisation_id= narrow the list; ?lang= picks translations.
func (s *Server) listStatements(c *gin.Context) error {
	conf, pg, err := s.conferencePage(c)
	if err != nil {
		return err
	}
	lang, err := readLang(c)
	if err != nil {
		return err
	}
	r := readerOf(c, conf)
	f := models.StatementFilter{ConferenceID: conf.ID, Page: pg}
	if !r.staff {
		f.Statuses, f.AlsoOrganisationID = publicStatuses, r.orgID()
	}
	if st := models.StatementStatus(c.Query("status")); st != "" {
		if !slices.Contains(statementStatuses, st) {
			return malformed("invalid status", models.FieldProblem("status", models.FieldOneOf, "must be one of: "+strings.Join(models.Strings(statementStatuses), ", ")))
		}
		f.Status = st
	}
	if org := c.Query("organisation_id"); org != "" && !r.blind && (r.staff || org == r.orgID()) {
		f.OrganisationID = org
	}
	sts, err := s.store.ListStatements(c.Request.Context(), f)
	if err != nil {
		return err
	}
	items, err := s.statementViews(c.Request.Context(), r, sts, lang, false)
	if err != nil {
		return err
	}
	out := listResponse[statementResponse]{Items: items}
	if len(sts) == pg.Limit {
		last := sts[len(sts)-1]
		out.NextCursor = models.EncodeCursor(last.CreatedAt, last.ID)
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// getStatement shows one statement to whoever may read it; ?lang= picks a translation.
func (s *Server) getStatement(c *gin.Context) error {
	lang, err := readLang(c)
	if err != nil {
		return err
	}
	st, _, r, err := s.statementFor(c)
	if err != nil {
		return err
	}
	v, err := s.statementView(c.Request.Context(), r, st, lang)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, v)
	return nil
}

// createStatement drafts a statement. A delegate drafts for their own organisation only; an
// organiser or admin enters one for any organisation of the conference.
func (s *Server) createStatement(c *gin.Context) error {
	conf, err := s.conference(c)
	if err != nil {
		return err
	}
	r := readerOf(c, conf)
	if !r.editor && r.orgID() == "" {
		return errForbidden
	}
	var req statementRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request.Context()
	st := &models.Statement{ConferenceID: conf.ID, Status: models.StatementDraft}
	switch {
	case r.delegate != nil:
		if req.OrganisationID != nil && *req.OrganisationID != "" && *req.OrganisationID != r.orgID() {
			return problem(http.StatusForbidden, "a delegate drafts statements for their own organisation only")
		}
		st.OrganisationID, st.AuthorID = r.orgID(), &r.delegate.ID
	case req.OrganisationID == nil || *req.OrganisationID == "":
		return invalid(models.FieldProblem("organisation_id", models.FieldRequired, "is required"))
	default:
		if _, err := s.store.Organisation(ctx, conf.ID, *req.OrganisationID); errors.Is(err, models.ErrNotFound) {
			return invalid(models.FieldProblem("organisation_id", models.FieldUnknownReference, "is not an organisation of this conference"))
		} else if err != nil {
			return err
		}
		st.OrganisationID = *req.OrganisationID
	}
	if req.Language == nil || *req.Language == "" {
		st.Language = "en"
		if len(conf.Languages) > 0 {
			st.Language = conf.Languages[0]
		}
		req.Language = nil
	}
	if fe := req.apply(st); fe != nil {
		return fe
	}
	err = s.store.Tx(ctx, func(tx *models.Store) error {
		if err := tx.CreateStatement(ctx, st); err != nil {
			return err
		}
		return s.audit(c, tx, conf.ID, "statement.create", "statement", st.ID)
	})
	if err != nil {
		return err
	}
	v, err := s.statementView(ctx, r, st, "")
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, v)
	return nil
}

// updateStatement edits a draft (its organisation's delegates, organisers, admins) or links an
// accepted statement to a session (staff).
func (s *Server) updateStatement(c *gin.Context) error {
	st, conf, r, err := s.statementFor(c)
	if err != nil {
		return err
	}
	if !r.canEdit(st) && !r.staff {
		return errForbidden
	}
	var req statementRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	if (req.texts() && !r.canEdit(st)) || (req.SessionID != nil && !r.staff) {
		return errForbidden
	}
	ctx := c.Request.Context()
	err = s.store.Tx(ctx, func(tx *models.Store) error {
		st, err = tx.StatementForUpdate(ctx, st.ID)
		if err != nil {
			return err
		}
		if req.texts() {
			if st.Status != models.StatementDraft {
				return problem(http.StatusConflict, "only a draft can be edited; accepted statements change through amendments")
			}
			if fe := req.apply(st); fe != nil {
				return fe
			}
		}
		if req.SessionID != nil {
			if err := linkSession(ctx, tx, st, *req.SessionID); err != nil {
				return err
			}
		}
		if err := tx.UpdateStatement(ctx, st); err != nil {
			return err
		}
		return s.audit(c, tx, conf.ID, "statement.update", "statement", st.ID)
	})
	if err != nil {
		return err
	}
	return s.answerStatement(c, r, st, http.StatusOK, "")
}

// linkSession links an accepted statement to a session of its conference, or unlinks it for "".
func linkSession(ctx context.Context, tx *models.Store, st *models.Statement, sessionID string) error {
	if sessionID == "" {
		return tx.UnlinkStatementSession(ctx, st)
	}
	if st.Status != models.StatementAccepted {
		return problem(http.StatusConflict, "only an accepted statement can be linked to a session")
	}
	err := tx.LinkStatementSession(ctx, st, sessionID)
	if errors.Is(err, models.ErrNotFound) {
		return invalid(models.FieldProblem("session_id", models.FieldUnknownReference, "is not a session of this conference"))
	}
	return err
}

// submitStatement sends a draft to the reviewers.
func (s *Server) submitStatement(c *gin.Context) error {
	return s.moveStatement(c, models.StatementSubmitted, "statement.submit")
}

// withdrawStatement withdraws a statement at its organisation's request (or an organiser's),
// unless it is being voted on.
func (s *Server) withdrawStatement(c *gin.Context) error {
	return s.moveStatement(c, models.StatementWithdrawn, "statement.withdraw")
}

// moveStatement applies a move its organisation (or an organiser) asks for.
func (s *Server) moveStatement(c *gin.Context, to models.StatementStatus, action string) error {
	st, conf, r, err := s.statementFor(c)
	if err != nil {
		return err
	}
	if !r.canEdit(st) {
		return errForbidden
	}
	ctx := c.Request.Context()
	err = s.store.Tx(ctx, func(tx *models.Store) error {
		st, err = tx.StatementForUpdate(ctx, st.ID)
		if err != nil {
			return err
		}
		if to == models.StatementSubmitted && st.Status == models.StatementDraft && strings.TrimSpace(st.Body) == "" {
			return invalid(models.FieldProblem("body", models.FieldRequired, "is required before submitting"))
		}
		if to == models.StatementWithdrawn {
			if _, err := tx.OpenBallotOf(ctx, st.ID); err == nil {
				return problem(http.StatusConflict, "the statement is being voted on")
			} else if !errors.Is(err, models.ErrNotFound) {
				return err
			}
		}
		if err := st.Move(to, tx.Now()); err != nil {
			return err
		}
		if err := tx.UpdateStatement(ctx, st); err != nil {
			return err
		}
		return s.audit(c, tx, conf.ID, action, "statement", st.ID)
	})
	if err != nil {
		return err
	}
	return s.answerStatement(c, r, st, http.StatusOK, "")
}

// answerStatement writes the statement as r may see it, in lang when translated.
func (s *Server) answerStatement(c *gin.Context, r reader, st *models.Statement, status int, lang string) error {
	v, err := s.statementView(c.Request.Context(), r, st, lang)
	if err != nil {
		return err
	}
	c.JSON(status, v)
	return nil
}

// statementRecipients are the people told about a decision on a statement: its author while
// they are still registered, else the organisation's active delegates.
func statementRecipients(ctx context.Context, tx *models.Store, st *models.Statement) ([]models.Delegate, error) {
	if st.AuthorID != nil {
		d, err := tx.Delegate(ctx, *st.AuthorID)
		if err != nil && !errors.Is(err, models.ErrNotFound) {
			return nil, err
		}
		if err == nil && d.ErasedAt == nil && d.Status != models.DelegateCancelled && d.Status != models.DelegateRejected && d.Email != "" {
			return []models.Delegate{*d}, nil
		}
	}
	return tx.ActiveDelegatesOf(ctx, st.OrganisationID)
}
