package domain

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/zimmerwald/zimmerwald/mail"
	"github.com/zimmerwald/zimmerwald/models"
)

// BallotView is a ballot as a reader may see it. Counts and Result are published when staff
// close it; RollCall (single-statement views of a closed open ballot) names only listed
// organisations and delegates the reader may see.
type BallotView struct {
	ID        string
	Rule      models.VoteRule
	Status    models.BallotStatus
	Secret    bool
	VotesCast int
	Counts    *BallotCounts          // nil while the ballot is open
	Result    models.StatementStatus // adopted or not_adopted, once closed
	RollCall  []RollCallEntry
	OpenedAt  time.Time
	ClosedAt  *time.Time
}

// BallotCounts are the published counts of a closed ballot.
type BallotCounts struct {
	Yes, No, Abstain int
}

// RollCallEntry is one named vote of a closed open ballot: by an organisation or a delegate.
type RollCallEntry struct {
	Organisation *OrganisationRef
	Delegate     *DelegateRef
	Choice       models.VoteChoice
}

// ClosedBallot is the answer to CloseBallot. HistoryErr is the failure, if any, to forget the
// order of a secret ballot's votes after the commit: the ballot is closed all the same, and the
// skin logs it.
type ClosedBallot struct {
	Ballot     *BallotView
	HistoryErr error
}

// Refusals of votes.
var (
	errNoBallot        = models.Conflictf(models.CodeNoOpenBallot, "no vote is open on this statement")
	errBallotNotAccept = models.Conflictf(models.CodeStatementNotAccepted, "only an accepted statement can be put to the vote")
	errBallotOpenTwice = models.Conflictf(models.CodeVoteOpened, "a vote is already open on this statement")
	errVoterNotActive  = models.Fail(models.KindForbidden, models.CodeNotApproved, "only approved delegates of this conference can vote")
	errNoVotingRight   = models.Fail(models.KindForbidden, models.CodeNoVotingRight, "votes are cast by organisations and you have none")
	errOrgVoted        = models.Conflictf(models.CodeAlreadyVoted, "your organisation has already voted")
	errVoted           = models.Conflictf(models.CodeAlreadyVoted, "you have already voted")
)

// ballotView builds the view of b; detail adds the roll call of a closed open ballot.
func (s *Service) ballotView(ctx context.Context, r reader, b *models.Ballot, detail bool) (*BallotView, error) {
	v := &BallotView{ID: b.ID, Secret: b.Secret, Rule: b.Rule, Status: b.Status, VotesCast: b.VotesCast(), OpenedAt: b.OpenedAt, ClosedAt: b.ClosedAt}
	if b.Status != models.BallotClosed {
		return v, nil
	}
	v.Counts, v.Result = &BallotCounts{Yes: b.YesCount, No: b.NoCount, Abstain: b.AbstainCount}, b.Result()
	if !detail || b.Secret {
		return v, nil
	}
	votes, err := s.store.BallotVotes(ctx, b.ID)
	if err != nil {
		return nil, err
	}
	var orgIDs, delIDs []*string
	for _, bv := range votes {
		orgIDs, delIDs = append(orgIDs, bv.OrganisationID), append(delIDs, bv.DelegateID)
	}
	orgs, dels, err := s.parties(ctx, orgIDs, delIDs)
	if err != nil {
		return nil, err
	}
	for _, bv := range votes {
		if bv.Choice == nil {
			continue
		}
		e := RollCallEntry{Choice: *bv.Choice}
		switch {
		case strings.HasPrefix(bv.VoterKey, "org:") && bv.OrganisationID != nil:
			if o, ok := orgs[*bv.OrganisationID]; ok && publicOrganisation(&o) {
				e.Organisation = orgRef(&o)
			}
		case strings.HasPrefix(bv.VoterKey, "del:") && bv.DelegateID != nil:
			if d, ok := dels[*bv.DelegateID]; ok && r.showsDelegate(&d) {
				e.Delegate = delegateRef(&d)
			}
		}
		if e.Organisation != nil || e.Delegate != nil {
			v.RollCall = append(v.RollCall, e)
		}
	}
	return v, nil
}

// OpenBallot opens the vote on an accepted statement (organisers, admins) under the
// conference's vote rule: a secret ballot records only who voted, and the counts.
func (s *Service) OpenBallot(ctx context.Context, a *Actor, statementID string, secret bool) (*BallotView, error) {
	if err := a.RequireStaff(Organisers...); err != nil {
		return nil, err
	}
	st, conf, r, err := s.readableStatement(ctx, a, statementID)
	if err != nil {
		return nil, err
	}
	b := &models.Ballot{StatementID: st.ID, Secret: secret, Rule: conf.VoteRule}
	err = s.change(ctx, func(tx *models.Store) error {
		if st, err = tx.StatementForUpdate(ctx, st.ID); err != nil {
			return err
		}
		if st.Status != models.StatementAccepted {
			return errBallotNotAccept
		}
		if err := tx.OpenBallot(ctx, b); errors.Is(err, models.ErrConflict) {
			return errBallotOpenTwice
		} else if err != nil {
			return err
		}
		return s.audit(ctx, tx, a, conf.ID, "ballot.open", "ballot", b.ID)
	})
	if err != nil {
		return nil, err
	}
	s.touchLive(ctx, conf.ID)
	return s.ballotView(ctx, r, b, false)
}

// CastVote counts one vote (yes, no or abstain) of an active delegate: one per organisation (the
// first of its delegates to vote casts it) or one per delegate, as the ballot's rule says. A
// second vote is already_voted. It returns the ballot's ID.
func (s *Service) CastVote(ctx context.Context, a *Actor, statementID, choice string) (string, error) {
	if err := a.RequireDelegate(); err != nil {
		return "", err
	}
	st, conf, r, err := s.readableStatement(ctx, a, statementID)
	if err != nil {
		return "", err
	}
	if r.delegate == nil {
		return "", errVoterNotActive
	}
	if !slices.Contains(models.Choices, models.VoteChoice(choice)) {
		return "", models.Invalid(models.FieldProblem("choice", models.FieldOneOf, "must be one of: "+strings.Join(models.Strings(models.Choices), ", ")))
	}
	b, err := s.store.OpenBallotOf(ctx, st.ID)
	if errors.Is(err, models.ErrNotFound) {
		return "", errNoBallot
	} else if err != nil {
		return "", err
	}
	key, err := models.VoterKey(b.Rule, r.delegate)
	if errors.Is(err, models.ErrNoVote) {
		return "", errNoVotingRight
	} else if err != nil {
		return "", err
	}
	vote := &models.BallotVote{VoterKey: key, DelegateID: &r.delegate.ID, OrganisationID: r.delegate.OrganisationID}
	err = s.change(ctx, func(tx *models.Store) error {
		if err := tx.CastVote(ctx, b, vote, models.VoteChoice(choice)); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, conf.ID, "ballot.vote", "ballot", b.ID)
	})
	switch {
	case errors.Is(err, models.ErrConflict) && b.Rule == models.VotePerOrganisation:
		return "", errOrgVoted
	case errors.Is(err, models.ErrConflict):
		return "", errVoted
	case errors.Is(err, models.ErrBallotClosed):
		return "", errNoBallot
	case err != nil:
		return "", err
	}
	return b.ID, nil
}

// CloseBallot closes the open vote on a statement (organisers, admins), publishes the result,
// moves the statement to adopted or not_adopted and mails the result to its organisation's
// delegates. After a secret ballot it forgets the order in which the votes were written.
func (s *Service) CloseBallot(ctx context.Context, a *Actor, statementID string) (*ClosedBallot, error) {
	if err := a.RequireStaff(Organisers...); err != nil {
		return nil, err
	}
	st, conf, r, err := s.readableStatement(ctx, a, statementID)
	if err != nil {
		return nil, err
	}
	var b *models.Ballot
	err = s.change(ctx, func(tx *models.Store) error {
		if st, err = tx.StatementForUpdate(ctx, st.ID); err != nil {
			return err
		}
		open, err := tx.OpenBallotOf(ctx, st.ID)
		if errors.Is(err, models.ErrNotFound) {
			return errNoBallot
		} else if err != nil {
			return err
		}
		if b, err = tx.CloseBallot(ctx, open.ID); errors.Is(err, models.ErrBallotClosed) {
			return errNoBallot
		} else if err != nil {
			return err
		}
		if err := st.Move(b.Result(), tx.Now()); err != nil {
			return err
		}
		if err := tx.UpdateStatement(ctx, st); err != nil {
			return err
		}
		if err := mailVoteResult(ctx, tx, conf, st, b); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, conf.ID, "ballot.close", "ballot", b.ID)
	})
	if err != nil {
		return nil, err
	}
	s.touchLive(ctx, conf.ID)
	out := &ClosedBallot{}
	if b.Secret {
		// The vote rows and counter changes were written together: drop the record of their order.
		out.HistoryErr = s.store.ForgetHistory(ctx, "ballots", "ballot_votes")
	}
	if out.Ballot, err = s.ballotView(ctx, r, b, true); err != nil {
		return nil, err
	}
	return out, nil
}

// mailVoteResult sends vote_result to each active delegate of the statement's organisation.
func mailVoteResult(ctx context.Context, tx *models.Store, conf *models.Conference, st *models.Statement, b *models.Ballot) error {
	ds, err := tx.ActiveDelegatesOf(ctx, st.OrganisationID)
	if err != nil {
		return err
	}
	for _, d := range ds {
		data := mail.VoteResultData{Conference: conf.Title, Name: d.DisplayName, Statement: st.Title, Result: string(b.Result()),
			Yes: b.YesCount, No: b.NoCount, Abstain: b.AbstainCount}
		m, err := NewMail(EnvelopeOf(&d), "vote_result:"+b.ID, &data)
		if err != nil {
			return err
		}
		if err := tx.Enqueue(ctx, m); err != nil {
			return err
		}
	}
	return nil
}
