package domain

import (
	"context"
	"errors"
	"time"

	"github.com/zimmerwald/zimmerwald/mail"
	"github.com/zimmerwald/zimmerwald/models"
)

// withheldName stands for a co-signing organisation that may not be named, in each mail language.
var withheldName = map[string]string{
	"en": "name withheld", "ru": "название не раскрывается", "uk": "назву не розголошено",
	"de": "Name nicht veröffentlicht", "fr": "nom non divulgué",
}

// Refusals of co-signing.
var (
	errOwnStatement    = models.Fail(models.KindForbidden, models.CodeOwnStatement, "an organisation cannot co-sign its own statement")
	errAlreadyCosigned = models.Conflictf(models.CodeAlreadyCosigned, "your organisation has already co-signed this statement")
	errNotCosignable   = models.Conflictf(models.CodeStatementNotOpen, "only a submitted or accepted statement can be co-signed")
	errNotApprovedOrg  = models.Fail(models.KindForbidden, models.CodeNotApproved, "only approved delegates of an organisation can co-sign")
)

// cosigner loads statement id for a co-signature by the actor's organisation: the actor is an
// active delegate of the conference, of another organisation than the author's.
func (s *Service) cosigner(ctx context.Context, a *Actor, id string) (*models.Statement, *models.Conference, reader, error) {
	if err := a.RequireDelegate(); err != nil {
		return nil, nil, reader{}, err
	}
	st, conf, r, err := s.loadStatement(ctx, a, id)
	switch {
	case err != nil:
		return nil, nil, reader{}, err
	case st.Status == models.StatementDraft && !r.member(st):
		return nil, nil, reader{}, models.ErrNotFound
	case r.orgID() == "":
		return nil, nil, reader{}, errNotApprovedOrg
	case r.member(st):
		return nil, nil, reader{}, errOwnStatement
	}
	if err := s.RequireCredentialed(ctx, r.delegate); err != nil {
		return nil, nil, reader{}, err
	}
	return st, conf, r, nil
}

// Cosign signs a submitted or accepted statement on behalf of the actor's organisation, named
// publicly or only counted, until the vote opens, and tells the author. One signature per
// organisation (already_cosigned).
func (s *Service) Cosign(ctx context.Context, a *Actor, statementID string, named bool) (*models.Cosignature, error) {
	st, conf, r, err := s.cosigner(ctx, a, statementID)
	if err != nil {
		return nil, err
	}
	cs := &models.Cosignature{StatementID: st.ID, OrganisationID: r.orgID(), DelegateID: &r.delegate.ID, Named: named}
	err = s.change(ctx, func(tx *models.Store) error {
		if st, err = tx.StatementForUpdate(ctx, st.ID); err != nil {
			return err
		}
		if st.Status != models.StatementSubmitted && st.Status != models.StatementAccepted {
			return errNotCosignable
		}
		if err := noBallotYet(ctx, tx, st, "co-signing"); err != nil {
			return err
		}
		if err := tx.Cosign(ctx, cs); errors.Is(err, models.ErrConflict) {
			return errAlreadyCosigned
		} else if err != nil {
			return err
		}
		org, err := tx.Organisation(ctx, conf.ID, r.orgID())
		if err != nil {
			return err
		}
		if err := mailCosigned(ctx, tx, conf, st, cs, org); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, conf.ID, "statement.cosign", "statement", st.ID)
	})
	if err != nil {
		return nil, err
	}
	return cs, nil
}

// mailCosigned tells the statement's recipients that org signed it, naming org only when the
// signature is named and org may be named publicly.
func mailCosigned(ctx context.Context, tx *models.Store, conf *models.Conference, st *models.Statement, cs *models.Cosignature, org *models.Organisation) error {
	ds, err := statementRecipients(ctx, tx, st)
	if err != nil {
		return err
	}
	for _, d := range ds {
		name := org.Name
		if !cs.Named || !publicOrganisation(org) {
			if name = withheldName[d.Lang()]; name == "" {
				name = withheldName["en"]
			}
		}
		data := mail.CosignedData{Conference: conf.Title, Name: d.DisplayName, Statement: st.Title, Organisation: name}
		m, err := NewMail(EnvelopeOf(&d), "cosigned:"+cs.ID+":"+cs.CreatedAt.Format(time.RFC3339Nano), &data)
		if err != nil {
			return err
		}
		if err := tx.Enqueue(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// WithdrawCosignature withdraws the actor's organisation's signature, until the vote opens; a
// signature it does not hold is not_found.
func (s *Service) WithdrawCosignature(ctx context.Context, a *Actor, statementID string) error {
	st, conf, r, err := s.cosigner(ctx, a, statementID)
	if err != nil {
		return err
	}
	return s.change(ctx, func(tx *models.Store) error {
		if _, err := tx.StatementForUpdate(ctx, st.ID); err != nil {
			return err
		}
		if err := noBallotYet(ctx, tx, st, "withdrawing a signature"); err != nil {
			return err
		}
		if err := tx.WithdrawCosignature(ctx, st.ID, r.orgID()); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, conf.ID, "statement.cosign_withdraw", "statement", st.ID)
	})
}

// noBallotYet refuses (vote_opened) once a ballot was ever opened on the statement: its text and
// its signatures are then frozen. what names the refused change, for the detail.
func noBallotYet(ctx context.Context, tx *models.Store, st *models.Statement, what string) error {
	has, err := tx.HasBallot(ctx, st.ID)
	if err != nil {
		return err
	}
	if has {
		return models.Conflictf(models.CodeVoteOpened, "%s is no longer possible: the vote has opened", what)
	}
	return nil
}
