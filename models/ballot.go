package models

import (
	"context"
	"errors"
	"fmt"
)

// ErrBallotClosed is returned for a vote in, or the closing of, a ballot that is not open.
var ErrBallotClosed = errors.New("the ballot is not open")

// ErrNoVote is returned when a delegate has no vote under the ballot's rule (no organisation
// under the one-vote-per-organisation rule).
var ErrNoVote = errors.New("no vote under this rule")

// Choices lists the valid votes.
var Choices = []VoteChoice{VoteYes, VoteNo, VoteAbstain}

// VoterKey returns the key a delegate votes under: "org:<organisation ID>" when the rule gives one
// vote per organisation (the first of its delegates to vote casts it), "del:<delegate ID>" when it
// gives one per delegate.
func VoterKey(rule VoteRule, d *Delegate) (string, error) {
	switch rule {
	case VotePerOrganisation:
		if d.OrganisationID == nil {
			return "", ErrNoVote
		}
		return "org:" + *d.OrganisationID, nil
	case VotePerDelegate:
		return "del:" + d.ID, nil
	}
	return "", fmt.Errorf("unknown vote rule %q", rule)
}

// VotesCast is the number of votes counted so far.
func (b *Ballot) VotesCast() int { return b.YesCount + b.NoCount + b.AbstainCount }

// Result is the outcome of a ballot: adopted with more yes than no votes (abstentions are not
// counted either way), otherwise not adopted.
func (b *Ballot) Result() StatementStatus {
	if b.YesCount > b.NoCount {
		return StatementAdopted
	}
	return StatementNotAdopted
}

// OpenBallot inserts b as the statement's open ballot; ErrConflict when one is already open.
func (s *Store) OpenBallot(ctx context.Context, b *Ballot) error {
	if b.ID == "" {
		b.ID = NewID()
	}
	b.Status, b.OpenedAt, b.ClosedAt = BallotOpen, s.now(), nil
	b.YesCount, b.NoCount, b.AbstainCount = 0, 0, 0
	return notFound(s.write(ctx).Create(b).Error)
}

// OpenBallotOf returns the statement's open ballot, or ErrNotFound.
func (s *Store) OpenBallotOf(ctx context.Context, statementID string) (*Ballot, error) {
	var b Ballot
	if err := s.read(ctx).Where("statement_id = ? AND status = ?", statementID, BallotOpen).Take(&b).Error; err != nil {
		return nil, notFound(err)
	}
	return &b, nil
}

// HasBallot reports whether a ballot was ever opened on the statement.
func (s *Store) HasBallot(ctx context.Context, statementID string) (bool, error) {
	var n int64
	err := s.read(ctx).Model(&Ballot{}).Where("statement_id = ?", statementID).Count(&n).Error
	return n > 0, err
}

// LatestBallots returns the most recently opened ballot of each of the given statements, by
// statement ID.
func (s *Store) LatestBallots(ctx context.Context, statementIDs []string) (map[string]Ballot, error) {
	out := map[string]Ballot{}
	if len(statementIDs) == 0 {
		return out, nil
	}
	var bs []Ballot
	if err := s.read(ctx).Where("statement_id IN ?", statementIDs).Order("opened_at, id").Find(&bs).Error; err != nil {
		return nil, err
	}
	for _, b := range bs {
		out[b.StatementID] = b
	}
	return out, nil
}

// CastVote records that v.VoterKey voted in the open ballot b and counts choice, in one
// transaction: the counter first (which, on PostgreSQL, also queues concurrent voters on the
// ballot row), then the vote row, whose unique index (ballot_id, voter_key) turns a second vote
// into ErrConflict and rolls the count back. On a secret ballot the row records who voted, never
// how: Choice stays nil and only the ballot's counters know the choice.
func (s *Store) CastVote(ctx context.Context, b *Ballot, v *BallotVote, choice VoteChoice) error {
	col, ok := map[VoteChoice]string{VoteYes: "yes_count", VoteNo: "no_count", VoteAbstain: "abstain_count"}[choice]
	if !ok {
		return fmt.Errorf("unknown choice %q", choice)
	}
	return s.Tx(ctx, func(tx *Store) error {
		res := tx.write(ctx).Model(&Ballot{}).Where("id = ? AND status = ?", b.ID, BallotOpen).Update(col, gormExpr(col+" + 1"))
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrBallotClosed
		}
		v.ID, v.BallotID, v.Choice = NewID(), b.ID, nil
		if !b.Secret {
			c := choice
			v.Choice = &c
		}
		return notFound(tx.write(ctx).Create(v).Error)
	})
}

// CloseBallot closes an open ballot and returns it with its final counts; ErrBallotClosed when it
// is not open.
func (s *Store) CloseBallot(ctx context.Context, id string) (*Ballot, error) {
	var b Ballot
	err := s.Tx(ctx, func(tx *Store) error {
		res := tx.write(ctx).Model(&Ballot{}).Where("id = ? AND status = ?", id, BallotOpen).
			Updates(map[string]any{"status": BallotClosed, "closed_at": tx.now()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrBallotClosed
		}
		return tx.write(ctx).Where("id = ?", id).Take(&b).Error
	})
	if err != nil {
		return nil, err
	}
	return &b, nil
}

// BallotVotes returns the vote rows of a ballot, oldest first. On a secret ballot none holds a
// choice.
func (s *Store) BallotVotes(ctx context.Context, ballotID string) ([]BallotVote, error) {
	var vs []BallotVote
	err := s.read(ctx).Where("ballot_id = ?", ballotID).Order("created_at, id").Find(&vs).Error
	return vs, err
}
