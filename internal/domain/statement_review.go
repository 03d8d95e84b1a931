package domain

import (
	"context"
	"fmt"

	"github.com/zimmerwald/zimmerwald/mail"
	"github.com/zimmerwald/zimmerwald/models"
)

// StatementDecision is a reviewer's decision on a submitted statement: accept, reject or
// request_changes (which needs a comment). SessionID links an accepted statement to the session
// that debates it.
type StatementDecision struct {
	StatementID string
	Decision    models.StatementDecision
	Comment     string
	SessionID   *string
}

// decisionMail maps a decision to the word the statement_decision mail uses.
var decisionMail = map[models.StatementDecision]string{
	models.DecisionAccept: "accepted", models.DecisionReject: "rejected", models.DecisionRequestChanges: "changes_requested",
}

// DecideStatement accepts, rejects or sends back a submitted statement (reviewers, organisers,
// admins; a blind reviewer decides without seeing author or organisation), records the comment
// and mails the author the decision.
func (s *Service) DecideStatement(ctx context.Context, a *Actor, in StatementDecision) (*StatementView, error) {
	if err := a.RequireStaff(Reviewers...); err != nil {
		return nil, err
	}
	st, conf, r, err := s.readableStatement(ctx, a, in.StatementID)
	if err != nil {
		return nil, err
	}
	if err := a.RequireStaffIn(conf.ID, Reviewers...); err != nil {
		return nil, err
	}
	if _, ok := decisionMail[in.Decision]; !ok {
		return nil, models.Invalid(models.FieldProblem("decision", models.FieldOneOf, "must be one of: accept, reject, request_changes"))
	}
	fe := models.FieldErrors{}
	if checkText(fe, "comment", in.Comment, 10000, false); len(fe) > 0 {
		return nil, models.Invalid(fe)
	}
	if in.Decision == models.DecisionRequestChanges && in.Comment == "" {
		return nil, models.Invalid(models.FieldProblem("comment", models.FieldRequired, "is required when asking for changes"))
	}
	if in.SessionID != nil && *in.SessionID != "" && in.Decision != models.DecisionAccept {
		return nil, models.Invalid(models.FieldProblem("session_id", models.FieldInvalid, "only an accepted statement can be linked to a session"))
	}
	err = s.change(ctx, func(tx *models.Store) error {
		if st, err = tx.StatementForUpdate(ctx, st.ID); err != nil {
			return err
		}
		if _, err := st.Decide(in.Decision, tx.Now()); err != nil {
			return err
		}
		if err := saveStatement(ctx, tx, st, in.SessionID); err != nil {
			return err
		}
		if in.Comment != "" {
			if err := tx.AddComment(ctx, &models.StatementComment{StatementID: st.ID, AccountID: &a.Account.ID, Body: in.Comment}); err != nil {
				return err
			}
		}
		if err := mailStatementDecision(ctx, tx, conf, st, decisionMail[in.Decision], in.Comment); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, conf.ID, "statement.decide", "statement", st.ID)
	})
	if err != nil {
		return nil, err
	}
	return s.statementView(ctx, r, st, "")
}

// mailStatementDecision enqueues one statement_decision mail per recipient.
func mailStatementDecision(ctx context.Context, tx *models.Store, conf *models.Conference, st *models.Statement, decision, comment string) error {
	ds, err := statementRecipients(ctx, tx, st)
	if err != nil {
		return err
	}
	event := models.NewID()
	for _, d := range ds {
		data := mail.StatementDecisionData{Conference: conf.Title, Name: d.DisplayName, Statement: st.Title, Decision: decision, Comment: comment}
		m, err := NewMail(EnvelopeOf(&d), "statement_decision:"+event, &data)
		if err != nil {
			return err
		}
		if err := tx.Enqueue(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// AddComment records a reviewer's comment on a statement (reviewers, organisers, admins).
func (s *Service) AddComment(ctx context.Context, a *Actor, statementID, body string) (*models.StatementComment, error) {
	if err := a.RequireStaff(Reviewers...); err != nil {
		return nil, err
	}
	if body == "" {
		return nil, models.Invalid(models.FieldProblem("body", models.FieldRequired, "is required"))
	}
	st, conf, _, err := s.readableStatement(ctx, a, statementID)
	if err != nil {
		return nil, err
	}
	if err := a.RequireStaffIn(conf.ID, Reviewers...); err != nil {
		return nil, err
	}
	cm := &models.StatementComment{StatementID: st.ID, AccountID: &a.Account.ID, Body: body}
	err = s.change(ctx, func(tx *models.Store) error {
		if err := tx.AddComment(ctx, cm); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, conf.ID, "statement.comment", "statement", st.ID)
	})
	if err != nil {
		return nil, err
	}
	return cm, nil
}

// ListComments shows the reviewers' comments to staff and to the statement's organisation; the
// reviewer (AccountID) is named to staff only.
func (s *Service) ListComments(ctx context.Context, a *Actor, statementID string) ([]models.StatementComment, error) {
	if err := a.RequireSignedIn(); err != nil {
		return nil, err
	}
	st, _, r, err := s.readableStatement(ctx, a, statementID)
	if err != nil {
		return nil, err
	}
	if !r.staff && !r.member(st) {
		return nil, errForbidden
	}
	cs, err := s.store.Comments(ctx, st.ID)
	if err != nil {
		return nil, err
	}
	if !r.staff {
		for i := range cs {
			cs[i].AccountID = nil
		}
	}
	return cs, nil
}

// Translation is a statement's text in another language than its original one.
type Translation struct {
	StatementID, Language, Title, Summary, Body string
}

// SaveTranslation adds or replaces a translation (the statement's organisation, organisers,
// admins). It returns the statement in that language and whether the translation is new.
func (s *Service) SaveTranslation(ctx context.Context, a *Actor, in Translation) (*StatementView, bool, error) {
	if err := a.RequireSignedIn(); err != nil {
		return nil, false, err
	}
	st, conf, r, err := s.readableStatement(ctx, a, in.StatementID)
	if err != nil {
		return nil, false, err
	}
	if !r.canEdit(st) {
		return nil, false, errForbidden
	}
	switch {
	case !ValidLanguage(in.Language):
		return nil, false, models.Invalid(models.FieldProblem("language", models.FieldInvalidLanguage, errLanguageMessage))
	case in.Language == st.Language:
		return nil, false, models.Invalid(models.FieldProblem("language", models.FieldInvalid, "is the statement's original language"))
	}
	tr := &models.StatementTranslation{StatementID: st.ID, Language: in.Language, Title: in.Title, Summary: in.Summary, Body: in.Body}
	created := false
	err = s.change(ctx, func(tx *models.Store) error {
		if created, err = tx.SaveTranslation(ctx, tr); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, conf.ID, "statement.translate", "statement", st.ID)
	})
	if err != nil {
		return nil, false, err
	}
	v, err := s.statementView(ctx, r, st, tr.Language)
	return v, created, err
}

// ListVersions lists every version of a statement's text to whoever may read it.
func (s *Service) ListVersions(ctx context.Context, a *Actor, statementID string) ([]models.StatementVersion, error) {
	st, _, _, err := s.readableStatement(ctx, a, statementID)
	if err != nil {
		return nil, err
	}
	return s.store.StatementVersions(ctx, st.ID)
}

// VersionDiff is the unified line diff of a statement's body between versions From and To
// (numbers from 1), for whoever may read the statement.
func (s *Service) VersionDiff(ctx context.Context, a *Actor, statementID string, from, to int) (string, error) {
	st, _, _, err := s.readableStatement(ctx, a, statementID)
	if err != nil {
		return "", err
	}
	if from < 1 || to < 1 {
		return "", models.Malformed("invalid versions", models.FieldProblem("from", models.FieldInvalid, "from and to must both be version numbers"))
	}
	va, err := s.store.StatementVersion(ctx, st.ID, from)
	if err != nil {
		return "", err
	}
	vb, err := s.store.StatementVersion(ctx, st.ID, to)
	if err != nil {
		return "", err
	}
	return models.UnifiedDiff(fmt.Sprintf("version %d", from), fmt.Sprintf("version %d", to), va.Body, vb.Body), nil
}
