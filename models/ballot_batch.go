package models

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/zimmerwald/zimmerwald/internal/batch"
)

// maxVoteBatch bounds the votes committed in one transaction.
const maxVoteBatch = 500

// VoteCast is one vote to record: Vote's VoterKey voted Choices in Ballot; Audit, when set, is
// written with it.
type VoteCast struct {
	Ballot  *Ballot
	Vote    *BallotVote
	Choices []string
	Audit   *AuditEvent
}

// newVoteGroup returns the group-commit queue of votes: while a batch commits, new votes queue,
// and the next batch takes them all, so a burst of votes costs a few commits, not one each.
func newVoteGroup(s *Store) *batch.Group[*VoteCast] {
	return batch.New(maxVoteBatch, s.commitVotes)
}

// SubmitVote records one vote as CastVote does (ErrConflict for a second vote under the same
// key, ErrBallotClosed when the ballot is not open), grouped with the votes cast at the same
// moment into one transaction.
func (s *Store) SubmitVote(ctx context.Context, v *VoteCast) error {
	if s.inTx() {
		return s.castBatch(ctx, []*VoteCast{v}, map[string]bool{})[0]
	}
	return s.voters.Submit(context.WithoutCancel(ctx), v)
}

// commitVotes runs a batch in one transaction, each vote's refusal (a second vote, a closed
// ballot) its own; on any other failure, it falls back to one transaction per vote.
func (s *Store) commitVotes(votes []*VoteCast) []error {
	ctx := context.Background() // a batch serves many requests: no single one may cancel it
	var errs []error
	err := s.Tx(ctx, func(tx *Store) error {
		errs = tx.castBatch(ctx, votes, map[string]bool{})
		for _, e := range errs {
			if e != nil && !errors.Is(e, ErrConflict) && !errors.Is(e, ErrBallotClosed) {
				return e
			}
		}
		return nil
	})
	if err == nil {
		return errs
	}
	errs = make([]error, len(votes))
	for i, v := range votes {
		errs[i] = s.Tx(ctx, func(tx *Store) error { return tx.castBatch(ctx, []*VoteCast{v}, map[string]bool{})[0] })
	}
	return errs
}

// castBatch records votes inside the current transaction and returns each one's error. A refused
// vote changes nothing: it is refused before its first write.
func (s *Store) castBatch(ctx context.Context, votes []*VoteCast, seen map[string]bool) []error {
	errs := make([]error, len(votes))
	for i, v := range votes {
		key := v.Ballot.ID + "\x00" + v.Vote.VoterKey
		if seen[key] {
			errs[i] = fmt.Errorf("%w: voted twice in one batch", ErrConflict)
			continue
		}
		var n int64
		if err := s.write(ctx).Model(&BallotVote{}).Where("ballot_id = ? AND voter_key = ?", v.Ballot.ID, v.Vote.VoterKey).Count(&n).Error; err != nil {
			errs[i] = err
			return errs
		}
		if n > 0 {
			errs[i] = fmt.Errorf("%w: already voted", ErrConflict)
			continue
		}
		errs[i] = s.castOne(ctx, v)
		if errs[i] != nil && !errors.Is(errs[i], ErrBallotClosed) {
			return errs
		}
		seen[key] = errs[i] == nil
	}
	return errs
}

// castOne writes one vote: the ballot's votes_cast (refusing a closed ballot), the tallies, the
// vote row (without the choice on a secret ballot) and the audit event.
func (s *Store) castOne(ctx context.Context, v *VoteCast) error {
	b := v.Ballot
	res := s.write(ctx).Model(&Ballot{}).Where("id = ? AND status = ?", b.ID, BallotOpen).Update("votes_cast", gormExpr("votes_cast + 1"))
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrBallotClosed
	}
	for _, c := range v.Choices {
		res := s.write(ctx).Model(&BallotTally{}).Where("ballot_id = ? AND choice = ?", b.ID, c).Update("votes", gormExpr("votes + 1"))
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("ballot %s has no choice %q", b.ID, c)
		}
	}
	v.Vote.ID, v.Vote.BallotID, v.Vote.Choice = NewID(), b.ID, nil
	if !b.Secret {
		c := VoteChoice(strings.Join(v.Choices, ","))
		v.Vote.Choice = &c
	}
	if err := notFound(s.write(ctx).Create(v.Vote).Error); err != nil {
		return err
	}
	if v.Audit != nil {
		return s.Audit(ctx, v.Audit)
	}
	return nil
}
