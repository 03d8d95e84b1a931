package domain

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/zimmerwald/zimmerwald/models"
)

// BallotInput opens a ballot: a motion (Question), a statement or an amendment (SubjectID), or an
// election (Candidates, Seats). Zero values take the defaults: options yes/no/abstain, secret,
// rule simple, no quorum, the conference's vote rule as weighting.
type BallotInput struct {
	Kind       string
	Question   string
	SubjectID  string
	Options    []string
	Candidates []string
	Seats      int
	Secret     *bool
	Rule       string
	Quorum     float64
	Weighting  string
}

// Refusals of ballots.
var (
	errBallotNotOpen = models.Conflictf(models.CodeBallotClosed, "the ballot is closed")
	errNotCandidate  = models.Invalid(models.FieldProblem("choices", models.FieldOneOf, "must be candidates of this ballot"))
)

// CreateBallot opens a ballot of a conference (organisers). The number of eligible voters is
// counted now, for the quorum and the turnout.
func (s *Service) CreateBallot(ctx context.Context, a *Actor, slug string, in BallotInput) (*BallotView, error) {
	if err := a.RequireStaff(Organisers...); err != nil {
		return nil, err
	}
	conf, err := s.Conference(ctx, slug)
	if err != nil {
		return nil, err
	}
	if err := a.RequireStaffIn(conf.ID, Organisers...); err != nil {
		return nil, err
	}
	b, fe := ballotOf(conf, in)
	if b.Kind == models.BallotStatement || b.Kind == models.BallotAmendment {
		if uuid.Validate(in.SubjectID) != nil {
			fe.Set("subject_id", models.FieldInvalidID, "must be the ID of a "+string(b.Kind))
		}
	}
	if len(fe) > 0 {
		return nil, models.Invalid(fe)
	}
	if b.Kind == models.BallotStatement {
		return s.openStatementBallot(ctx, a, conf, in.SubjectID, b)
	}
	if b.Kind == models.BallotAmendment {
		am, err := s.store.Amendment(ctx, in.SubjectID)
		if errors.Is(err, models.ErrNotFound) {
			return nil, models.Invalid(models.FieldProblem("subject_id", models.FieldUnknownReference, "no such amendment"))
		} else if err != nil {
			return nil, err
		}
		st, err := s.store.Statement(ctx, am.StatementID)
		if err != nil || st.ConferenceID != conf.ID || am.Status != models.AmendmentProposed {
			return nil, models.Invalid(models.FieldProblem("subject_id", models.FieldUnknownReference, "no proposed amendment of this conference"))
		}
		b.AmendmentID, b.StatementID = &am.ID, &st.ID
	}
	if err := s.openBallot(ctx, a, conf, b, nil); err != nil {
		return nil, err
	}
	return s.ballotView(ctx, readerOf(a, conf), b, false)
}

// ballotOf builds the ballot in describes, with its field errors.
func ballotOf(conf *models.Conference, in BallotInput) (*models.Ballot, models.FieldErrors) {
	fe := models.FieldErrors{}
	b := &models.Ballot{ConferenceID: conf.ID, Kind: models.BallotKind(in.Kind), Question: strings.TrimSpace(in.Question), Secret: true,
		Majority: models.Majority(in.Rule), Weighting: models.VoteRule(in.Weighting), Seats: in.Seats}
	if in.Secret != nil {
		b.Secret = *in.Secret
	}
	if b.Majority == "" {
		b.Majority = models.MajoritySimple
	}
	if b.Weighting == "" {
		b.Weighting = conf.VoteRule
	}
	if !slices.Contains(models.BallotKinds, b.Kind) {
		fe.Set("kind", models.FieldOneOf, "must be one of: motion, statement, amendment, election")
	}
	if !slices.Contains(models.Majorities, b.Majority) {
		fe.Set("rule", models.FieldOneOf, "must be one of: simple, absolute, two_thirds")
	}
	if b.Weighting != models.VotePerOrganisation && b.Weighting != models.VotePerDelegate {
		fe.Set("weighting", models.FieldOneOf, "must be one of: organisation, delegate")
	}
	if in.Quorum < 0 || in.Quorum > 1 || math.IsNaN(in.Quorum) {
		fe.Set("quorum", models.FieldBadRange, "must be a fraction between 0 and 1")
	}
	b.QuorumBP = int(math.Round(in.Quorum * 10000))
	if len(b.Question) > 2000 {
		fe.Set("question", models.FieldTooLong, "must be at most 2000 characters")
	}
	if b.Kind == models.BallotMotion && b.Question == "" {
		fe.Set("question", models.FieldRequired, "is required")
	}
	if b.Kind == models.BallotElection {
		seen := map[string]bool{}
		for _, c := range in.Candidates {
			c = strings.TrimSpace(c)
			if c == "" || len(c) > 200 || seen[c] {
				fe.Set("candidates", models.FieldInvalid, "must be distinct names of 1 to 200 characters")
				continue
			}
			seen[c] = true
			b.Candidates = append(b.Candidates, models.Candidate{ID: models.NewID(), Name: c})
		}
		if len(b.Candidates) == 0 {
			fe.Set("candidates", models.FieldRequired, "an election needs candidates")
		}
		if b.Seats == 0 {
			b.Seats = 1
		}
		if b.Seats < 1 || b.Seats > len(in.Candidates) && len(in.Candidates) > 0 {
			fe.Set("seats", models.FieldBadRange, "must be between 1 and the number of candidates")
		}
		return b, fe
	}
	b.Seats, b.Options = 0, models.StringList(models.Strings(models.Choices))
	if len(in.Options) > 0 {
		b.Options = nil
		for _, o := range in.Options {
			if !slices.Contains(models.Choices, models.VoteChoice(o)) || slices.Contains(b.Options, o) {
				fe.Set("options", models.FieldOneOf, "must be distinct values of: yes, no, abstain")
			}
			b.Options = append(b.Options, o)
		}
		if !slices.Contains(b.Options, "yes") || !slices.Contains(b.Options, "no") {
			fe.Set("options", models.FieldRequired, "must include yes and no")
		}
	}
	return b, fe
}

// openBallot counts the eligible voters and opens b, running also (when not nil) inside the
// transaction.
func (s *Service) openBallot(ctx context.Context, a *Actor, conf *models.Conference, b *models.Ballot, also func(tx *models.Store) error) (err error) {
	n, err := s.store.EligibleVoters(ctx, conf.ID, b.Weighting)
	if err != nil {
		return err
	}
	b.Eligible = n
	defer func() {
		if err == nil {
			s.touchLive(ctx, conf.ID) // the live view shows the open ballot
		}
	}()
	return s.change(ctx, func(tx *models.Store) error {
		if also != nil {
			if err := also(tx); err != nil {
				return err
			}
		}
		if err := tx.OpenBallot(ctx, b); errors.Is(err, models.ErrConflict) {
			return errBallotOpenTwice
		} else if err != nil {
			return err
		}
		return s.audit(ctx, tx, a, conf.ID, "ballot.open", "ballot", b.ID)
	})
}

// GetBallot returns a ballot of a conference to its staff and delegates; counts only once closed.
func (s *Service) GetBallot(ctx context.Context, a *Actor, id string) (*BallotView, error) {
	b, conf, err := s.ballotFor(ctx, a, id)
	if err != nil {
		return nil, err
	}
	return s.ballotView(ctx, readerOf(a, conf), b, true)
}

// ListBallots returns the ballots of a conference, newest first, to its staff and delegates; for a
// delegate, open ballots say whether they may vote (MayVote) and whether their vote, or their
// organisation's, is in (Voted).
func (s *Service) ListBallots(ctx context.Context, a *Actor, slug string) ([]BallotView, error) {
	conf, err := s.Conference(ctx, slug)
	if err != nil {
		return nil, err
	}
	if !a.IsStaffIn(conf.ID, StaffAll...) && !(a.IsDelegate() && a.Delegate.ConferenceID == conf.ID) {
		return nil, a.RequireSignedIn()
	}
	bs, err := s.store.BallotsOf(ctx, conf.ID)
	if err != nil {
		return nil, err
	}
	out := make([]BallotView, 0, len(bs))
	for i := range bs {
		v, err := s.ballotView(ctx, readerOf(a, conf), &bs[i], false)
		if err != nil {
			return nil, err
		}
		if a.IsDelegate() && bs[i].Status == models.BallotOpen {
			if key, err := s.voterKey(ctx, a.Delegate, &bs[i]); err == nil {
				v.MayVote = true
				if v.Voted, err = s.store.HasVoted(ctx, bs[i].ID, key); err != nil {
					return nil, err
				}
			}
		}
		out = append(out, *v)
	}
	return out, nil
}

// ballotFor loads ballot id for a staff member or a delegate of its conference (else not_found).
func (s *Service) ballotFor(ctx context.Context, a *Actor, id string) (*models.Ballot, *models.Conference, error) {
	if err := a.RequireSignedIn(); err != nil {
		return nil, nil, err
	}
	if uuid.Validate(id) != nil {
		return nil, nil, models.ErrNotFound
	}
	b, err := s.store.Ballot(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if a.IsDelegate() && a.Delegate.ConferenceID != b.ConferenceID || a.Account != nil && a.RoleIn(b.ConferenceID) == "" {
		return nil, nil, models.ErrNotFound
	}
	conf, err := s.store.ConferenceByID(ctx, b.ConferenceID)
	return b, conf, err
}
