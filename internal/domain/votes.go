package domain

import (
	"context"
	"strings"
	"time"

	"github.com/zimmerwald/zimmerwald/mail"
	"github.com/zimmerwald/zimmerwald/models"
)

// BallotView is a ballot as a reader may see it. Counts and Result are published when staff
// close it; RollCall (single-statement views of a closed open ballot) names only listed
// organisations and delegates the reader may see.
type BallotView struct {
	ID         string
	Kind       models.BallotKind
	Question   string
	SubjectID  string // the statement or amendment decided, if any
	Options    []string
	Candidates []models.Candidate
	Seats      int
	Majority   models.Majority
	Quorum     float64
	Rule       models.VoteRule // the weighting: organisation or delegate
	Status     models.BallotStatus
	Secret     bool
	Eligible   int
	VotesCast  int
	Counts     *BallotCounts          // nil while the ballot is open, and for elections
	Tally      map[string]int         // votes per option or candidate ID, once closed
	Outcome    models.BallotOutcome   // adopted, rejected or no_quorum, once closed
	Elected    []string               // candidate IDs, once an election is closed
	Result     models.StatementStatus // adopted or not_adopted, once a statement ballot is closed
	RollCall   []RollCallEntry
	MayVote    bool // the reading delegate may vote on this open ballot (ListBallots)
	Voted      bool // and their vote, or their organisation's, is in
	OpenedAt   time.Time
	ClosedAt   *time.Time
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
	v := &BallotView{ID: b.ID, Kind: b.Kind, Question: b.Question, Options: b.Options, Candidates: b.Candidates, Seats: b.Seats,
		Majority: b.Majority, Quorum: float64(b.QuorumBP) / 10000, Secret: b.Secret, Rule: b.Weighting, Status: b.Status,
		Eligible: b.Eligible, VotesCast: b.VotesCast, OpenedAt: b.OpenedAt, ClosedAt: b.ClosedAt}
	switch {
	case b.AmendmentID != nil:
		v.SubjectID = *b.AmendmentID
	case b.StatementID != nil:
		v.SubjectID = *b.StatementID
	}
	if b.Status != models.BallotClosed {
		return v, nil
	}
	v.Tally, v.Outcome, v.Elected = b.Counts, b.Outcome, b.Elected
	if b.Kind != models.BallotElection {
		v.Counts = &BallotCounts{Yes: b.Counts["yes"], No: b.Counts["no"], Abstain: b.Counts["abstain"]}
	}
	if b.Kind == models.BallotStatement {
		v.Result = b.Result()
	}
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

// mailVoteResult sends vote_result to each active delegate of the statement's organisation.
func mailVoteResult(ctx context.Context, tx *models.Store, conf *models.Conference, st *models.Statement, b *models.Ballot) error {
	ds, err := tx.ActiveDelegatesOf(ctx, st.OrganisationID)
	if err != nil {
		return err
	}
	for _, d := range ds {
		data := mail.VoteResultData{Conference: conf.Title, Name: d.DisplayName, Statement: st.Title, Result: string(b.Result()),
			Yes: b.Counts["yes"], No: b.Counts["no"], Abstain: b.Counts["abstain"]}
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
