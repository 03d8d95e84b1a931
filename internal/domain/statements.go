package domain

import (
	"context"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/zimmerwald/zimmerwald/models"
)

// StatementText is the text of a statement as a form or a request gives it: nil fields are left
// as they are. OrganisationID chooses the owner on creation only; SessionID links an accepted
// statement to the session that debates it ("" unlinks; staff only).
type StatementText struct {
	Title, Summary, Body, Language *string
	OrganisationID                 *string
	SessionID                      *string
}

// texts reports whether in changes the statement's text.
func (in *StatementText) texts() bool {
	return in.Title != nil || in.Summary != nil || in.Body != nil || in.Language != nil
}

// apply copies the text fields onto st and checks the result.
func (in *StatementText) apply(st *models.Statement) error {
	fe := models.FieldErrors{}
	if in.Title != nil {
		st.Title = strings.TrimSpace(*in.Title)
	}
	if st.Title == "" {
		fe.Set("title", models.FieldRequired, "is required")
	}
	if in.Summary != nil {
		st.Summary = *in.Summary
	}
	if in.Body != nil {
		st.Body = *in.Body
	}
	if in.Language != nil {
		st.Language = *in.Language
	}
	if !ValidLanguage(st.Language) {
		fe.Set("language", models.FieldInvalidLanguage, errLanguageMessage)
	}
	checkText(fe, "title", st.Title, 300, true)
	checkText(fe, "summary", st.Summary, 5000, false)
	checkText(fe, "body", st.Body, 100000, false)
	return fe.Err()
}

// checkText records in fe a value of field longer than max characters or, for a one-line
// field, one with control characters: the rules the API's binding also checks, for the pages.
func checkText(fe models.FieldErrors, field, value string, max int, oneLine bool) {
	if n := utf8.RuneCountInString(value); n > max {
		fe.Set(field, models.FieldTooLong, "must be at most "+strconv.Itoa(max)+" characters")
	}
	if oneLine && strings.IndexFunc(value, func(r rune) bool { return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' }) >= 0 {
		fe.Set(field, models.FieldControlCharacters, "must be one line without control characters")
	}
}

// languagePattern is a language code such as en, uk or pt-BR.
var languagePattern = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$`)

const errLanguageMessage = "must be a language code such as en or uk"

// ValidLanguage reports whether lang is a language code such as en, uk or pt-BR.
func ValidLanguage(lang string) bool { return languagePattern.MatchString(lang) }

// Refusals of the statement operations, each with its code.
var (
	errNotDraft    = models.Conflictf(models.CodeStatementNotDraft, "only a draft can be edited; accepted statements change through amendments")
	errNotAccepted = models.Conflictf(models.CodeStatementNotAccepted, "only an accepted statement can be linked to a session")
	errBeingVoted  = models.Conflictf(models.CodeVoteOpened, "the statement is being voted on")
	errOwnOrgOnly  = models.Fail(models.KindForbidden, models.CodeForbidden, "a delegate drafts statements for their own organisation only")
)

// CreateStatement drafts a statement in the conference slug. A delegate drafts for their own
// organisation only; an organiser or admin enters one for any organisation of the conference.
func (s *Service) CreateStatement(ctx context.Context, a *Actor, slug string, in StatementText) (*StatementView, error) {
	if err := a.RequireSignedIn(); err != nil {
		return nil, err
	}
	conf, err := s.Conference(ctx, slug)
	if err != nil {
		return nil, err
	}
	r := readerOf(a, conf)
	if !r.editor && r.orgID() == "" {
		return nil, errForbidden
	}
	st := &models.Statement{ConferenceID: conf.ID, Status: models.StatementDraft}
	switch {
	case r.delegate != nil:
		if in.OrganisationID != nil && *in.OrganisationID != "" && *in.OrganisationID != r.orgID() {
			return nil, errOwnOrgOnly
		}
		st.OrganisationID, st.AuthorID = r.orgID(), &r.delegate.ID
	case in.OrganisationID == nil || *in.OrganisationID == "":
		return nil, models.Invalid(models.FieldProblem("organisation_id", models.FieldRequired, "is required"))
	default:
		if _, err := s.store.Organisation(ctx, conf.ID, *in.OrganisationID); errors.Is(err, models.ErrNotFound) {
			return nil, models.Invalid(models.FieldProblem("organisation_id", models.FieldUnknownOrg, "is not an organisation of this conference"))
		} else if err != nil {
			return nil, err
		}
		st.OrganisationID = *in.OrganisationID
	}
	if in.Language == nil || *in.Language == "" {
		st.Language = "en"
		if len(conf.Languages) > 0 {
			st.Language = conf.Languages[0]
		}
		in.Language = nil
	}
	if err := in.apply(st); err != nil {
		return nil, err
	}
	err = s.change(ctx, func(tx *models.Store) error {
		if err := tx.CreateStatement(ctx, st); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, conf.ID, "statement.create", "statement", st.ID)
	})
	if err != nil {
		return nil, err
	}
	return s.statementView(ctx, r, st, "")
}

// UpdateStatement edits a draft (its organisation's delegates, organisers, admins) or links an
// accepted statement to a session (staff). Only a draft's text is edited: accepted statements
// change through amendments (statement_not_draft).
func (s *Service) UpdateStatement(ctx context.Context, a *Actor, id string, in StatementText) (*StatementView, error) {
	if err := a.RequireSignedIn(); err != nil {
		return nil, err
	}
	st, conf, r, err := s.readableStatement(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if (!r.canEdit(st) && !r.staff) || (in.texts() && !r.canEdit(st)) || (in.SessionID != nil && !r.staff) {
		return nil, errForbidden
	}
	err = s.change(ctx, func(tx *models.Store) error {
		if st, err = tx.StatementForUpdate(ctx, st.ID); err != nil {
			return err
		}
		if in.texts() {
			if st.Status != models.StatementDraft {
				return errNotDraft
			}
			if err := in.apply(st); err != nil {
				return err
			}
		}
		if err := saveStatement(ctx, tx, st, in.SessionID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, conf.ID, "statement.update", "statement", st.ID)
	})
	if err != nil {
		return nil, err
	}
	return s.statementView(ctx, r, st, "")
}

// saveStatement writes st, first linking it to the session sessionID when one is given.
func saveStatement(ctx context.Context, tx *models.Store, st *models.Statement, sessionID *string) error {
	if sessionID != nil {
		if err := linkSession(ctx, tx, st, *sessionID); err != nil {
			return err
		}
	}
	return tx.UpdateStatement(ctx, st)
}

// linkSession links an accepted statement to a session of its conference, or unlinks it for "".
func linkSession(ctx context.Context, tx *models.Store, st *models.Statement, sessionID string) error {
	if sessionID == "" {
		return tx.UnlinkStatementSession(ctx, st)
	}
	if st.Status != models.StatementAccepted {
		return errNotAccepted
	}
	err := tx.LinkStatementSession(ctx, st, sessionID)
	if errors.Is(err, models.ErrNotFound) {
		return models.Invalid(models.FieldProblem("session_id", models.FieldUnknownReference, "is not a session of this conference"))
	}
	return err
}

// SubmitStatement sends a draft, which must have a body, to the reviewers (its organisation's
// delegates, organisers, admins).
func (s *Service) SubmitStatement(ctx context.Context, a *Actor, id string) (*StatementView, error) {
	return s.moveStatement(ctx, a, id, models.StatementSubmitted, "statement.submit")
}

// WithdrawStatement withdraws a statement at its organisation's request (or an organiser's),
// unless it is being voted on.
func (s *Service) WithdrawStatement(ctx context.Context, a *Actor, id string) (*StatementView, error) {
	return s.moveStatement(ctx, a, id, models.StatementWithdrawn, "statement.withdraw")
}

// moveStatement applies a move the statement's organisation (or an organiser) asks for.
func (s *Service) moveStatement(ctx context.Context, a *Actor, id string, to models.StatementStatus, action string) (*StatementView, error) {
	if err := a.RequireSignedIn(); err != nil {
		return nil, err
	}
	st, conf, r, err := s.readableStatement(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if !r.canEdit(st) {
		return nil, errForbidden
	}
	err = s.change(ctx, func(tx *models.Store) error {
		if st, err = tx.StatementForUpdate(ctx, st.ID); err != nil {
			return err
		}
		if to == models.StatementSubmitted && st.Status == models.StatementDraft && strings.TrimSpace(st.Body) == "" {
			return models.Invalid(models.FieldProblem("body", models.FieldRequiredToSubmit, "is required before submitting"))
		}
		if to == models.StatementWithdrawn {
			if _, err := tx.OpenBallotOf(ctx, st.ID); err == nil {
				return errBeingVoted
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
		return s.audit(ctx, tx, a, conf.ID, action, "statement", st.ID)
	})
	if err != nil {
		return nil, err
	}
	return s.statementView(ctx, r, st, "")
}

// loadStatement loads statement id, its conference and the actor as its reader, without
// deciding what the actor may do with it.
func (s *Service) loadStatement(ctx context.Context, a *Actor, id string) (*models.Statement, *models.Conference, reader, error) {
	st, err := s.store.Statement(ctx, id)
	if err != nil {
		return nil, nil, reader{}, err
	}
	conf, err := s.store.ConferenceByID(ctx, st.ConferenceID)
	if err != nil {
		return nil, nil, reader{}, err
	}
	return st, conf, readerOf(a, conf), nil
}

// readableStatement is loadStatement for a statement the actor may read: one they may not read
// does not exist for them.
func (s *Service) readableStatement(ctx context.Context, a *Actor, id string) (*models.Statement, *models.Conference, reader, error) {
	st, conf, r, err := s.loadStatement(ctx, a, id)
	if err == nil && !r.canRead(st) {
		err = models.ErrNotFound
	}
	if err != nil {
		return nil, nil, reader{}, err
	}
	return st, conf, r, nil
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
