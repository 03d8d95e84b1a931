package api

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/internal/markdown"
	"github.com/zimmerwald/zimmerwald/mail"
	"github.com/zimmerwald/zimmerwald/models"
)

// amendmentRequest proposes replacement text for paragraph (1-based) or, without it, for the
// whole body.
type amendmentRequest struct {
	Paragraph *int   `json:"paragraph" binding:"omitempty,min=1,max=10000"`
	Text      string `json:"text" binding:"required,max=100000"`
	Rationale string `json:"rationale" binding:"max=10000"`
}

// amendmentDecisionRequest is staff's decision on an amendment.
type amendmentDecisionRequest struct {
	Decision models.StatementDecision `json:"decision" binding:"required,oneof=accept reject"`
	Comment  string                   `json:"comment" binding:"max=10000"`
}

// amendmentResponse is an amendment as the reader may see it.
type amendmentResponse struct {
	ID             string                 `json:"id"`
	StatementID    string                 `json:"statement_id"`
	OrganisationID string                 `json:"organisation_id,omitempty"`
	Organisation   *organisationRef       `json:"organisation,omitempty"`
	Author         *delegateRef           `json:"author,omitempty"`
	BaseVersion    int                    `json:"base_version"`
	Paragraph      *int                   `json:"paragraph"`
	Text           string                 `json:"text"`
	TextHTML       string                 `json:"text_html"`
	Rationale      string                 `json:"rationale"`
	Status         models.AmendmentStatus `json:"status"`
	DecidedAt      *time.Time             `json:"decided_at"`
	CreatedAt      time.Time              `json:"created_at"`
	// StatementVersion is the version an accepted amendment produced (decision answers only).
	StatementVersion int `json:"statement_version,omitempty"`
}

// amendmentViews builds the answers for as, naming authors and organisations only as r may see.
func (s *Server) amendmentViews(ctx context.Context, r reader, as []models.Amendment) ([]amendmentResponse, error) {
	var orgIDs, delIDs []*string
	for _, a := range as {
		orgIDs, delIDs = append(orgIDs, a.OrganisationID), append(delIDs, a.DelegateID)
	}
	orgs, dels, err := s.parties(ctx, orgIDs, delIDs)
	if err != nil {
		return nil, err
	}
	out := make([]amendmentResponse, 0, len(as))
	for _, a := range as {
		v := amendmentResponse{ID: a.ID, StatementID: a.StatementID, BaseVersion: a.BaseVersion, Paragraph: a.Paragraph, Text: a.Text,
			TextHTML: markdown.Render(a.Text), Rationale: a.Rationale, Status: a.Status, DecidedAt: a.DecidedAt, CreatedAt: a.CreatedAt}
		if a.OrganisationID != nil {
			if o, ok := orgs[*a.OrganisationID]; ok && r.showsOrganisation(&o) {
				v.OrganisationID, v.Organisation = o.ID, orgRef(&o)
			}
		}
		if a.DelegateID != nil {
			if d, ok := dels[*a.DelegateID]; ok && r.showsDelegate(&d) {
				v.Author = &delegateRef{ID: d.ID, DisplayName: d.DisplayName}
			}
		}
		out = append(out, v)
	}
	return out, nil
}

// proposeAmendment proposes an amendment to a submitted or accepted statement the delegate can
// read, until the vote opens.
func (s *Server) proposeAmendment(c *gin.Context) error {
	st, conf, r, err := s.statementFor(c)
	if err != nil {
		return err
	}
	if r.delegate == nil {
		return problem(http.StatusForbidden, "only approved delegates of this conference can propose amendments")
	}
	var req amendmentRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request.Context()
	a := &models.Amendment{StatementID: st.ID, DelegateID: &r.delegate.ID, OrganisationID: r.delegate.OrganisationID, Paragraph: req.Paragraph,
		Text: req.Text, Rationale: req.Rationale}
	err = s.store.Tx(ctx, func(tx *models.Store) error {
		st, err = tx.StatementForUpdate(ctx, st.ID)
		if err != nil {
			return err
		}
		if !st.Amendable() {
			return problem(http.StatusConflict, "only a submitted or accepted statement can be amended")
		}
		if err := noBallotYet(ctx, tx, st, "amending"); err != nil {
			return err
		}
		if _, err := st.Amend(a); errors.Is(err, models.ErrNoParagraph) {
			return invalid(models.FieldProblem("paragraph", models.FieldUnknownReference, "the statement has no such paragraph"))
		}
		a.BaseVersion = st.Version
		if err := tx.CreateAmendment(ctx, a); err != nil {
			return err
		}
		return s.audit(c, tx, conf.ID, "amendment.propose", "amendment", a.ID)
	})
	if err != nil {
		return err
	}
	vs, err := s.amendmentViews(ctx, r, []models.Amendment{*a})
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, vs[0])
	return nil
}

// listAmendments lists a statement's amendments to whoever may read the statement.
func (s *Server) listAmendments(c *gin.Context) error {
	st, _, r, err := s.statementFor(c)
	if err != nil {
		return err
	}
	as, err := s.store.Amendments(c.Request.Context(), st.ID)
	if err != nil {
		return err
	}
	vs, err := s.amendmentViews(c.Request.Context(), r, as)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, listResponse[amendmentResponse]{Items: vs})
	return nil
}

// decideAmendment accepts or rejects an amendment (staff). An accepted amendment becomes a new
// version of the statement; the amendment's author is mailed the decision.
func (s *Server) decideAmendment(c *gin.Context) error {
	var req amendmentDecisionRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request.Context()
	a, err := s.store.Amendment(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	st, err := s.store.Statement(ctx, a.StatementID)
	if err != nil {
		return err
	}
	conf, err := s.store.ConferenceByID(ctx, st.ConferenceID)
	if err != nil {
		return err
	}
	to := map[models.StatementDecision]models.AmendmentStatus{models.DecisionAccept: models.AmendmentAccepted, models.DecisionReject: models.AmendmentRejected}[req.Decision]
	err = s.store.Tx(ctx, func(tx *models.Store) error {
		if st, err = tx.StatementForUpdate(ctx, st.ID); err != nil {
			return err
		}
		if a, err = tx.AmendmentForUpdate(ctx, a.ID); err != nil {
			return err
		}
		if err := a.Decide(to, tx.Now()); err != nil {
			return err
		}
		if to == models.AmendmentAccepted {
			if !st.Amendable() {
				return problem(http.StatusConflict, "the statement can no longer be amended")
			}
			if err := noBallotYet(ctx, tx, st, "amending"); err != nil {
				return err
			}
			if err := tx.ApplyAmendment(ctx, st, a); errors.Is(err, models.ErrNoParagraph) {
				return problem(http.StatusConflict, "the paragraph this amendment replaces no longer exists")
			} else if err != nil {
				return err
			}
		}
		if err := tx.UpdateAmendment(ctx, a); err != nil {
			return err
		}
		if err := s.mailAmendmentDecision(ctx, tx, conf, st, a); err != nil {
			return err
		}
		return s.audit(c, tx, conf.ID, "amendment.decide", "amendment", a.ID)
	})
	if err != nil {
		return err
	}
	s.notify()
	vs, err := s.amendmentViews(ctx, readerOf(c, conf), []models.Amendment{*a})
	if err != nil {
		return err
	}
	if a.Status == models.AmendmentAccepted {
		vs[0].StatementVersion = st.Version
	}
	c.JSON(http.StatusOK, vs[0])
	return nil
}

// mailAmendmentDecision tells the amendment's author, while still registered, the decision.
func (s *Server) mailAmendmentDecision(ctx context.Context, tx *models.Store, conf *models.Conference, st *models.Statement, a *models.Amendment) error {
	if a.DelegateID == nil {
		return nil
	}
	d, err := tx.Delegate(ctx, *a.DelegateID)
	if errors.Is(err, models.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if d.ErasedAt != nil || d.Email == "" || d.Status == models.DelegateCancelled {
		return nil
	}
	data := mail.AmendmentDecisionData{Conference: conf.Title, Name: d.DisplayName, Statement: st.Title, Decision: string(a.Status)}
	m, err := domain.NewMail(domain.EnvelopeOf(d), "amendment_decision:"+a.ID, &data)
	if err != nil {
		return err
	}
	return tx.Enqueue(ctx, m)
}
