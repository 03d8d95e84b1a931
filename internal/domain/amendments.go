package domain

import (
	"context"
	"errors"
	"time"

	"github.com/zimmerwald/zimmerwald/mail"
	"github.com/zimmerwald/zimmerwald/models"
)

// AmendmentProposal proposes replacement text for Paragraph (from 1) or, when nil, for the whole
// body of a statement.
type AmendmentProposal struct {
	StatementID string
	Paragraph   *int
	Text        string
	Rationale   string
}

// AmendmentDecision is staff's decision on an amendment: accept or reject.
type AmendmentDecision struct {
	AmendmentID string
	Decision    string
}

// AmendmentView is an amendment as one reader may see it: Organisation and Author are nil when
// the reader may not see them. StatementVersion is the version an accepted amendment produced
// (in the answer to the decision only).
type AmendmentView struct {
	ID, StatementID  string
	Organisation     *OrganisationRef
	Author           *DelegateRef
	BaseVersion      int
	Paragraph        *int
	Text, TextHTML   string
	Rationale        string
	Status           models.AmendmentStatus
	DecidedAt        *time.Time
	CreatedAt        time.Time
	StatementVersion int
}

// Refusals of amendments.
var (
	errNotAmendable   = models.Conflictf(models.CodeStatementNotOpen, "only a submitted or accepted statement can be amended")
	errNoLongerOpen   = models.Conflictf(models.CodeStatementNotOpen, "the statement can no longer be amended")
	errParagraphGone  = models.Conflictf(models.FieldNoSuchParagraph, "the paragraph this amendment replaces no longer exists")
	errNotApprovedDel = models.Fail(models.KindForbidden, models.CodeNotApproved, "only approved delegates of this conference can propose amendments")
)

// amendmentViews builds the views of as, naming authors and organisations only as r may see.
func (s *Service) amendmentViews(ctx context.Context, r reader, as []models.Amendment) ([]AmendmentView, error) {
	var orgIDs, delIDs []*string
	for _, a := range as {
		orgIDs, delIDs = append(orgIDs, a.OrganisationID), append(delIDs, a.DelegateID)
	}
	orgs, dels, err := s.parties(ctx, orgIDs, delIDs)
	if err != nil {
		return nil, err
	}
	out := make([]AmendmentView, 0, len(as))
	for _, a := range as {
		v := AmendmentView{ID: a.ID, StatementID: a.StatementID, BaseVersion: a.BaseVersion, Paragraph: a.Paragraph, Text: a.Text,
			TextHTML: a.TextHTML, Rationale: a.Rationale, Status: a.Status, DecidedAt: a.DecidedAt, CreatedAt: a.CreatedAt}
		if a.OrganisationID != nil {
			if o, ok := orgs[*a.OrganisationID]; ok && r.showsOrganisation(&o) {
				v.Organisation = orgRef(&o)
			}
		}
		if a.DelegateID != nil {
			if d, ok := dels[*a.DelegateID]; ok && r.showsDelegate(&d) {
				v.Author = delegateRef(&d)
			}
		}
		out = append(out, v)
	}
	return out, nil
}

// ProposeAmendment proposes an amendment to a submitted or accepted statement the delegate can
// read, until the vote opens.
func (s *Service) ProposeAmendment(ctx context.Context, a *Actor, in AmendmentProposal) (*AmendmentView, error) {
	if err := a.RequireDelegate(); err != nil {
		return nil, err
	}
	st, conf, r, err := s.readableStatement(ctx, a, in.StatementID)
	if err != nil {
		return nil, err
	}
	if r.delegate == nil {
		return nil, errNotApprovedDel
	}
	fe := models.FieldErrors{}
	if in.Paragraph != nil && *in.Paragraph < 1 {
		fe.Set("paragraph", models.FieldNoSuchParagraph, "the statement has no such paragraph")
	}
	if in.Text == "" {
		fe.Set("text", models.FieldRequired, "is required")
	}
	checkText(fe, "text", in.Text, 100000, false)
	checkText(fe, "rationale", in.Rationale, 10000, false)
	if err := fe.Err(); err != nil {
		return nil, err
	}
	am := &models.Amendment{StatementID: st.ID, DelegateID: &r.delegate.ID, OrganisationID: r.delegate.OrganisationID, Paragraph: in.Paragraph,
		Text: in.Text, Rationale: in.Rationale}
	err = s.change(ctx, func(tx *models.Store) error {
		if st, err = tx.StatementForUpdate(ctx, st.ID); err != nil {
			return err
		}
		if !st.Amendable() {
			return errNotAmendable
		}
		if err := noBallotYet(ctx, tx, st, "amending"); err != nil {
			return err
		}
		if _, err := st.Amend(am); errors.Is(err, models.ErrNoParagraph) {
			return models.Invalid(models.FieldProblem("paragraph", models.FieldNoSuchParagraph, "the statement has no such paragraph"))
		}
		am.BaseVersion = st.Version
		if err := tx.CreateAmendment(ctx, am); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, conf.ID, "amendment.propose", "amendment", am.ID)
	})
	if err != nil {
		return nil, err
	}
	vs, err := s.amendmentViews(ctx, r, []models.Amendment{*am})
	if err != nil {
		return nil, err
	}
	return &vs[0], nil
}

// ListAmendments lists a statement's amendments to whoever may read the statement.
func (s *Service) ListAmendments(ctx context.Context, a *Actor, statementID string) ([]AmendmentView, error) {
	st, _, r, err := s.readableStatement(ctx, a, statementID)
	if err != nil {
		return nil, err
	}
	as, err := s.store.Amendments(ctx, st.ID)
	if err != nil {
		return nil, err
	}
	return s.amendmentViews(ctx, r, as)
}

// DecideAmendment accepts or rejects a proposed amendment (reviewers, organisers, admins). An
// accepted amendment becomes a new version of the statement, until the vote opens; the
// amendment's author is mailed the decision.
func (s *Service) DecideAmendment(ctx context.Context, a *Actor, in AmendmentDecision) (*AmendmentView, error) {
	if err := a.RequireStaff(Reviewers...); err != nil {
		return nil, err
	}
	to, ok := map[models.StatementDecision]models.AmendmentStatus{models.DecisionAccept: models.AmendmentAccepted, models.DecisionReject: models.AmendmentRejected}[models.StatementDecision(in.Decision)]
	if !ok {
		return nil, models.Invalid(models.FieldProblem("decision", models.FieldOneOf, "must be one of: accept, reject"))
	}
	am, err := s.store.Amendment(ctx, in.AmendmentID)
	if err != nil {
		return nil, err
	}
	st, conf, r, err := s.loadStatement(ctx, a, am.StatementID)
	if err != nil {
		return nil, err
	}
	if err := a.RequireStaffIn(conf.ID, Reviewers...); err != nil {
		return nil, err
	}
	err = s.change(ctx, func(tx *models.Store) error {
		if st, err = tx.StatementForUpdate(ctx, st.ID); err != nil {
			return err
		}
		if am, err = tx.AmendmentForUpdate(ctx, am.ID); err != nil {
			return err
		}
		if to == models.AmendmentAccepted {
			if !st.Amendable() {
				return errNoLongerOpen
			}
			if err := noBallotYet(ctx, tx, st, "amending"); err != nil {
				return err
			}
		}
		if err := decideAmendment(ctx, tx, conf, st, am, to); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, conf.ID, "amendment.decide", "amendment", am.ID)
	})
	if err != nil {
		return nil, err
	}
	vs, err := s.amendmentViews(ctx, r, []models.Amendment{*am})
	if err != nil {
		return nil, err
	}
	if am.Status == models.AmendmentAccepted {
		vs[0].StatementVersion = st.Version
	}
	return &vs[0], nil
}

// decideAmendment moves am to accepted (a new version of st) or rejected inside tx, and mails its
// author the decision.
func decideAmendment(ctx context.Context, tx *models.Store, conf *models.Conference, st *models.Statement, am *models.Amendment, to models.AmendmentStatus) error {
	if err := am.Decide(to, tx.Now()); err != nil {
		return err
	}
	if to == models.AmendmentAccepted {
		if err := tx.ApplyAmendment(ctx, st, am); errors.Is(err, models.ErrNoParagraph) {
			return errParagraphGone
		} else if err != nil {
			return err
		}
	}
	if err := tx.UpdateAmendment(ctx, am); err != nil {
		return err
	}
	return mailAmendmentDecision(ctx, tx, conf, st, am)
}

// mailAmendmentDecision tells the amendment's author, while still registered, the decision.
func mailAmendmentDecision(ctx context.Context, tx *models.Store, conf *models.Conference, st *models.Statement, am *models.Amendment) error {
	if am.DelegateID == nil {
		return nil
	}
	d, err := tx.Delegate(ctx, *am.DelegateID)
	if errors.Is(err, models.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if d.ErasedAt != nil || d.Email == "" || d.Status == models.DelegateCancelled {
		return nil
	}
	data := mail.AmendmentDecisionData{Conference: conf.Title, Name: d.DisplayName, Statement: st.Title, Decision: string(am.Status)}
	m, err := NewMail(EnvelopeOf(d), "amendment_decision:"+am.ID, &data)
	if err != nil {
		return err
	}
	return tx.Enqueue(ctx, m)
}
