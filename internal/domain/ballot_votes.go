package domain

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/zimmerwald/zimmerwald/mail"
	"github.com/zimmerwald/zimmerwald/models"
)

// OpenBallot opens the vote on an accepted statement (organisers, admins) under the
// conference's vote rule: the shortcut of CreateBallot for kind statement.
func (s *Service) OpenBallot(ctx context.Context, a *Actor, statementID string, secret bool) (*BallotView, error) {
	if err := a.RequireStaff(Organisers...); err != nil {
		return nil, err
	}
	_, conf, _, err := s.readableStatement(ctx, a, statementID)
	if err != nil {
		return nil, err
	}
	if err := a.RequireStaffIn(conf.ID, Organisers...); err != nil {
		return nil, err
	}
	b, _ := ballotOf(conf, BallotInput{Kind: string(models.BallotStatement), Secret: &secret})
	return s.openStatementBallot(ctx, a, conf, statementID, b)
}

// openStatementBallot opens b on the accepted statement statementID.
func (s *Service) openStatementBallot(ctx context.Context, a *Actor, conf *models.Conference, statementID string, b *models.Ballot) (*BallotView, error) {
	st, sconf, r, err := s.readableStatement(ctx, a, statementID)
	if errors.Is(err, models.ErrNotFound) || err == nil && sconf.ID != conf.ID {
		return nil, models.Invalid(models.FieldProblem("subject_id", models.FieldUnknownReference, "no such statement in this conference"))
	} else if err != nil {
		return nil, err
	}
	b.StatementID = &st.ID
	err = s.openBallot(ctx, a, conf, b, func(tx *models.Store) error {
		if st, err = tx.StatementForUpdate(ctx, st.ID); err != nil {
			return err
		}
		if st.Status != models.StatementAccepted {
			return errBallotNotAccept
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.ballotView(ctx, r, b, false)
}

// CastVote counts one vote (yes, no or abstain) on the open ballot of a statement: the shortcut
// of Vote. It returns the ballot's ID.
func (s *Service) CastVote(ctx context.Context, a *Actor, statementID, choice string) (string, error) {
	if err := a.RequireDelegate(); err != nil {
		return "", err
	}
	st, _, r, err := s.readableStatement(ctx, a, statementID)
	if err != nil {
		return "", err
	}
	if r.delegate == nil {
		return "", errVoterNotActive
	}
	b, err := s.store.OpenBallotOf(ctx, st.ID)
	if errors.Is(err, models.ErrNotFound) {
		return "", errNoBallot
	} else if err != nil {
		return "", err
	}
	if err := s.Vote(ctx, a, b.ID, []string{choice}); errors.Is(err, errBallotNotOpen) {
		return "", errNoBallot
	} else if err != nil {
		return "", err
	}
	return b.ID, nil
}

// Vote casts the actor's vote on an open ballot: one choice among its options, or up to Seats
// distinct candidates in an election. Who votes depends on the weighting: under organisation,
// one vote per verified organisation, cast by its head or a voting delegate (an alternate only
// when none of them is present; any of its approved delegates while it has no delegation set);
// under delegate, each approved delegate once. A second vote is already_voted, a delegate of an
// organisation that is not verified organisation_not_verified.
//
// Votes cast at the same moment are written together (group commit), and what they have in
// common is read once: the ballot from a cache while it is open, the organisation's status once
// per batch, inside the transaction that writes the votes. That transaction also checks, under
// the ballot's row lock, that the ballot is still open and that the voter has not voted.
func (s *Service) Vote(ctx context.Context, a *Actor, ballotID string, choices []string) error {
	if err := a.RequireDelegate(); err != nil {
		return err
	}
	b, err := s.ballotToVote(ctx, a, ballotID)
	if err != nil {
		return err
	}
	d := a.Delegate
	if b.Status != models.BallotOpen {
		return errBallotNotOpen
	}
	if err := checkChoices(b, choices); err != nil {
		return err
	}
	if !activeDelegate(d) || d.ConferenceID != b.ConferenceID {
		return errVoterNotActive
	}
	if b.Weighting == models.VotePerOrganisation {
		// Before the delegation's rules, as everywhere; checked again when the vote is written.
		if err := s.RequireCredentialed(ctx, d); err != nil {
			return err
		}
	}
	key, err := s.votingRight(ctx, d, b)
	if err != nil {
		return err
	}
	vote := &models.BallotVote{VoterKey: key, DelegateID: &d.ID, OrganisationID: d.OrganisationID}
	err = s.store.SubmitVote(ctx, &models.VoteCast{Ballot: b, Vote: vote, Choices: choices, Verified: d.OrganisationID,
		Audit: auditEvent(a, b.ConferenceID, "ballot.vote", "ballot", b.ID)})
	switch {
	case errors.Is(err, models.ErrNotVerified):
		return errOrgNotVerified
	case errors.Is(err, models.ErrConflict) && b.Weighting == models.VotePerOrganisation:
		return errOrgVoted
	case errors.Is(err, models.ErrConflict):
		return errVoted
	case errors.Is(err, models.ErrBallotClosed):
		return errBallotNotOpen
	}
	return err
}

// voterKey returns the key d votes under on b, or why d may not vote on it.
func (s *Service) voterKey(ctx context.Context, d *models.Delegate, b *models.Ballot) (string, error) {
	if !activeDelegate(d) || d.ConferenceID != b.ConferenceID {
		return "", errVoterNotActive
	}
	if err := s.RequireCredentialed(ctx, d); err != nil {
		return "", err
	}
	return s.votingRight(ctx, d, b)
}

// votingRight returns the key an active delegate d of a verified organisation (or of none) votes
// under on b, or errNoVotingRight.
func (s *Service) votingRight(ctx context.Context, d *models.Delegate, b *models.Ballot) (string, error) {
	key, err := models.VoterKey(b.Weighting, d)
	if errors.Is(err, models.ErrNoVote) {
		return "", errNoVotingRight
	} else if err != nil {
		return "", err
	}
	if b.Weighting == models.VotePerOrganisation {
		if err := s.holdsOrganisationVote(ctx, d); err != nil {
			return "", err
		}
	}
	return key, nil
}

// checkChoices validates the choices of a vote on b.
func checkChoices(b *models.Ballot, choices []string) error {
	if b.Kind != models.BallotElection {
		if len(choices) != 1 || !slices.Contains(b.Options, choices[0]) {
			return models.Invalid(models.FieldProblem("choice", models.FieldOneOf, "must be one of: "+strings.Join(b.Options, ", ")))
		}
		return nil
	}
	if len(choices) > b.Seats {
		return models.Invalid(models.FieldProblem("choices", models.FieldTooManyChoices, "more choices than seats"))
	}
	seen := map[string]bool{}
	for _, c := range choices {
		if !b.Candidates.Has(c) || seen[c] {
			return errNotCandidate
		}
		seen[c] = true
	}
	return nil
}

// holdsOrganisationVote refuses a delegate who may not cast their organisation's vote.
func (s *Service) holdsOrganisationVote(ctx context.Context, d *models.Delegate) error {
	ms, err := s.store.Delegation(ctx, *d.OrganisationID)
	if err != nil {
		return err
	}
	var mine models.DelegationRole
	var voters []string
	for _, m := range ms {
		if m.DelegateID == d.ID {
			mine = m.Role
		}
		if m.Role.Votes() {
			voters = append(voters, m.DelegateID)
		}
	}
	switch {
	case len(voters) == 0 && !slices.ContainsFunc(ms, func(m models.DelegationMember) bool { return m.Role == models.DelegationAlternate }):
		return nil // no delegation set: any approved delegate casts it
	case mine.Votes():
		return nil
	case mine != models.DelegationAlternate:
		return errNoVotingRight
	}
	present, err := s.store.PresentDelegates(ctx, d.ConferenceID)
	if err != nil {
		return err
	}
	for _, p := range present {
		if slices.Contains(voters, p.ID) {
			return errNoVotingRight
		}
	}
	return nil
}

// CloseBallot closes the open vote on a statement: the shortcut of CloseBallotByID.
func (s *Service) CloseBallot(ctx context.Context, a *Actor, statementID string) (*ClosedBallot, error) {
	if err := a.RequireStaff(Organisers...); err != nil {
		return nil, err
	}
	st, conf, _, err := s.readableStatement(ctx, a, statementID)
	if err != nil {
		return nil, err
	}
	if err := a.RequireStaffIn(conf.ID, Organisers...); err != nil {
		return nil, err
	}
	b, err := s.store.OpenBallotOf(ctx, st.ID)
	if errors.Is(err, models.ErrNotFound) {
		return nil, errNoBallot
	} else if err != nil {
		return nil, err
	}
	out, err := s.CloseBallotByID(ctx, a, b.ID)
	if errors.Is(err, errBallotNotOpen) {
		return nil, errNoBallot
	}
	return out, err
}

// CloseBallotByID closes an open ballot (organisers) and stores its outcome. A statement moves
// to adopted or not_adopted and its organisation's delegates are mailed the result; an adopted
// amendment is accepted and becomes a new version of its statement, a rejected one is rejected.
// After a secret ballot it forgets the order in which the votes were written.
func (s *Service) CloseBallotByID(ctx context.Context, a *Actor, id string) (*ClosedBallot, error) {
	if err := a.RequireStaff(Organisers...); err != nil {
		return nil, err
	}
	b, conf, err := s.ballotFor(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if err := a.RequireStaffIn(conf.ID, Organisers...); err != nil {
		return nil, err
	}
	err = s.change(ctx, func(tx *models.Store) error {
		var st *models.Statement
		if b.StatementID != nil {
			if st, err = tx.StatementForUpdate(ctx, *b.StatementID); err != nil {
				return err
			}
		}
		if b, err = tx.LockBallot(ctx, b.ID); errors.Is(err, models.ErrBallotClosed) {
			return errBallotNotOpen
		} else if err != nil {
			return err
		}
		b.Tally()
		if err := tx.CloseBallot(ctx, b); err != nil {
			return err
		}
		if err := s.applyOutcome(ctx, tx, conf, st, b); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, conf.ID, "ballot.close", "ballot", b.ID)
	})
	if errors.Is(err, models.ErrBallotClosed) {
		return nil, errBallotNotOpen
	} else if err != nil {
		return nil, err
	}
	s.ballots.forget(b.ID)
	s.touchLive(ctx, conf.ID) // the live view shows the result
	out := &ClosedBallot{}
	if b.Secret {
		// The vote rows and counter changes were written together: drop the record of their order.
		out.HistoryErr = s.store.ForgetHistory(ctx, "ballots", "ballot_tallies", "ballot_votes")
	}
	if out.Ballot, err = s.ballotView(ctx, readerOf(a, conf), b, true); err != nil {
		return nil, err
	}
	return out, nil
}

// applyOutcome carries the outcome of a closed ballot over to its statement or amendment.
func (s *Service) applyOutcome(ctx context.Context, tx *models.Store, conf *models.Conference, st *models.Statement, b *models.Ballot) error {
	switch {
	case b.Kind == models.BallotStatement && st != nil:
		if err := st.Move(b.Result(), tx.Now()); err != nil {
			return err
		}
		if err := tx.UpdateStatement(ctx, st); err != nil {
			return err
		}
		return mailVoteResult(ctx, tx, conf, st, b)
	case b.Kind == models.BallotAmendment && b.AmendmentID != nil && st != nil:
		am, err := tx.AmendmentForUpdate(ctx, *b.AmendmentID)
		if err != nil {
			return err
		}
		to := models.AmendmentRejected
		if b.Outcome == models.OutcomeAdopted {
			to = models.AmendmentAccepted
		}
		if am.Status != models.AmendmentProposed {
			return nil // decided meanwhile by staff
		}
		if err := decideAmendment(ctx, tx, conf, st, am, to); err != nil {
			return err
		}
		return mailBallotResult(ctx, tx, conf, b, st.Title)
	case b.Kind == models.BallotMotion || b.Kind == models.BallotElection:
		return mailBallotResult(ctx, tx, conf, b, b.Question)
	}
	return nil
}

// mailBallotResult sends ballot_result to the delegations: in each verified organisation, its
// head, voting delegates and alternates, or all its approved delegates while it has no delegation.
func mailBallotResult(ctx context.Context, tx *models.Store, conf *models.Conference, b *models.Ballot, question string) error {
	orgs, err := tx.ListOrganisations(ctx, models.OrganisationFilter{ConferenceID: conf.ID, Status: models.OrgVerified})
	if err != nil {
		return err
	}
	members, err := tx.DelegationsOf(ctx, conf.ID)
	if err != nil {
		return err
	}
	credentialled, hasDelegation := map[string]bool{}, map[string]bool{}
	for _, m := range members {
		if m.Role.Votes() || m.Role == models.DelegationAlternate {
			credentialled[m.DelegateID], hasDelegation[m.OrganisationID] = true, true
		}
	}
	var elected []string
	for _, id := range b.Elected {
		for _, c := range b.Candidates {
			if c.ID == id {
				elected = append(elected, c.Name)
			}
		}
	}
	for _, o := range orgs {
		ds, err := tx.ActiveDelegatesOf(ctx, o.ID)
		if err != nil {
			return err
		}
		for _, d := range ds {
			if hasDelegation[o.ID] && !credentialled[d.ID] || !hasDelegation[o.ID] && d.Role != models.RoleDelegate {
				continue
			}
			data := &mail.BallotResultData{Conference: conf.Title, Name: d.DisplayName, Kind: string(b.Kind), Question: question,
				Outcome: string(b.Outcome), Yes: b.Counts["yes"], No: b.Counts["no"], Abstain: b.Counts["abstain"], Elected: elected}
			m, err := NewMail(EnvelopeOf(&d), "ballot_result:"+b.ID, data)
			if err != nil {
				return err
			}
			if err := tx.Enqueue(ctx, m); err != nil {
				return err
			}
		}
	}
	return nil
}
