package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm/clause"

	"github.com/zimmerwald/zimmerwald/internal/batch"
)

// maxVoteBatch bounds the votes committed in one transaction.
const maxVoteBatch = 500

// ErrNotVerified refuses a vote whose organisation is not verified when the vote is written.
var ErrNotVerified = errors.New("the organisation is not verified")

// VoteCast is one vote to record: Vote's VoterKey voted Choices in Ballot; Audit, when set, is
// written with it. When Verified is set, the vote is written only if that organisation is
// verified at that moment (else ErrNotVerified).
type VoteCast struct {
	Ballot   *Ballot
	Vote     *BallotVote
	Choices  []string
	Audit    *AuditEvent
	Verified *string
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
		return s.castBatch(ctx, []*VoteCast{v})[0]
	}
	return s.voters.Submit(context.WithoutCancel(ctx), v)
}

// commitVotes runs a batch in one transaction, each vote's refusal (a second vote, a closed
// ballot) its own; on any other failure, it falls back to one transaction per vote.
func (s *Store) commitVotes(votes []*VoteCast) []error {
	ctx := context.Background() // a batch serves many requests: no single one may cancel it
	var errs []error
	err := s.Tx(ctx, func(tx *Store) error {
		errs = tx.castBatch(ctx, votes)
		for _, e := range errs {
			if e != nil && !refusal(e) {
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
		errs[i] = s.Tx(ctx, func(tx *Store) error { return tx.castBatch(ctx, []*VoteCast{v})[0] })
	}
	return errs
}

// refusal reports whether err refuses one vote (a second vote, a closed ballot, an organisation
// not verified) rather than failing the batch.
func refusal(err error) bool {
	return errors.Is(err, ErrConflict) || errors.Is(err, ErrBallotClosed) || errors.Is(err, ErrNotVerified)
}

// castBatch records votes inside the current transaction and returns each one's error: a refused
// vote changes nothing. It costs a few statements per ballot, whatever the number of votes: lock
// the ballot row (which queues concurrent writers, in this process or another, behind it), read
// which of the organisations to check are verified and which voters already voted, then one UPDATE of the tallies, one of votes_cast, one multi-row
// INSERT of the votes and one of the audit events. On the first failure that is not a refusal,
// every vote not refused gets that error (the caller rolls back and retries them one by one).
func (s *Store) castBatch(ctx context.Context, votes []*VoteCast) []error {
	errs := make([]error, len(votes))
	byBallot := map[string][]int{}
	seen := map[string]bool{}
	for i, v := range votes {
		key := v.Ballot.ID + "\x00" + v.Vote.VoterKey
		if seen[key] {
			errs[i] = fmt.Errorf("%w: voted twice in one batch", ErrConflict)
			continue
		}
		seen[key] = true
		byBallot[v.Ballot.ID] = append(byBallot[v.Ballot.ID], i)
	}
	ids := make([]string, 0, len(byBallot))
	for id := range byBallot {
		ids = append(ids, id)
	}
	slices.Sort(ids) // the same lock order in every transaction: no deadlock between batches
	for _, id := range ids {
		if err := s.castInBallot(ctx, votes, byBallot[id], errs); err != nil {
			for i, e := range errs {
				if e == nil {
					errs[i] = err
				}
			}
			return errs
		}
	}
	return errs
}

// castInBallot records votes[at...], all in one ballot, setting the errs of the refused ones; it
// returns the error that fails the whole batch, if any.
func (s *Store) castInBallot(ctx context.Context, votes []*VoteCast, at []int, errs []error) error {
	b := votes[at[0]].Ballot
	open, err := s.lockOpenBallot(ctx, b.ID)
	if err != nil {
		return err
	}
	if !open {
		for _, i := range at {
			errs[i] = ErrBallotClosed
		}
		return nil
	}
	verified, err := s.verifiedAmong(ctx, votes, at)
	if err != nil {
		return err
	}
	keys := make([]string, len(at))
	for j, i := range at {
		keys[j] = votes[i].Vote.VoterKey
	}
	var in []string
	if err := s.write(ctx).Model(&BallotVote{}).Where("ballot_id = ? AND voter_key IN ?", b.ID, keys).Pluck("voter_key", &in).Error; err != nil {
		return err
	}
	voted := setOf(in)
	var rows []*BallotVote
	var events []*AuditEvent
	tally := map[string]int{}
	now := s.now()
	for _, i := range at {
		v := votes[i]
		if v.Verified != nil && !verified[*v.Verified] {
			errs[i] = ErrNotVerified
			continue
		}
		if voted[v.Vote.VoterKey] {
			errs[i] = fmt.Errorf("%w: already voted", ErrConflict)
			continue
		}
		for _, c := range v.Choices {
			tally[c]++
		}
		v.Vote.ID, v.Vote.BallotID, v.Vote.Choice, v.Vote.CreatedAt = NewID(), b.ID, nil, now
		if !b.Secret {
			c := VoteChoice(strings.Join(v.Choices, ","))
			v.Vote.Choice = &c
		}
		rows = append(rows, v.Vote)
		if v.Audit != nil {
			v.Audit.ID, v.Audit.CreatedAt = NewID(), now
			events = append(events, v.Audit)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	if err := s.addToTallies(ctx, b.ID, tally); err != nil {
		return err
	}
	if err := s.write(ctx).Model(&Ballot{}).Where("id = ?", b.ID).Update("votes_cast", gormExpr(fmt.Sprintf("votes_cast + %d", len(rows)))).Error; err != nil {
		return err
	}
	if err := notFound(s.write(ctx).Create(rows).Error); err != nil {
		return err
	}
	if len(events) > 0 {
		return s.write(ctx).Create(events).Error
	}
	return nil
}

// verifiedAmong returns which of the organisations that votes[at...] need verified are.
func (s *Store) verifiedAmong(ctx context.Context, votes []*VoteCast, at []int) (map[string]bool, error) {
	var ids []string
	for _, i := range at {
		if id := votes[i].Verified; id != nil && !slices.Contains(ids, *id) {
			ids = append(ids, *id)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	var verified []string
	err := s.write(ctx).Model(&Organisation{}).Where("id IN ? AND status = ?", ids, OrgVerified).Pluck("id", &verified).Error
	return setOf(verified), err
}

// setOf returns the set of ss.
func setOf(ss []string) map[string]bool {
	m := make(map[string]bool, len(ss))
	for _, s := range ss {
		m[s] = true
	}
	return m
}

// lockOpenBallot locks the row of ballot id until the transaction ends (FOR UPDATE on
// PostgreSQL; SQLite's writer transaction holds the whole database) and reports whether it is open.
func (s *Store) lockOpenBallot(ctx context.Context, id string) (bool, error) {
	q := s.write(ctx).Model(&Ballot{}).Select("status").Where("id = ?", id)
	if s.dialect != SQLite {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var status []BallotStatus
	if err := q.Find(&status).Error; err != nil {
		return false, err
	}
	return len(status) == 1 && status[0] == BallotOpen, nil
}

// addToTallies adds n[choice] votes to each tally of ballot id in one statement; a choice
// without a tally is an error.
func (s *Store) addToTallies(ctx context.Context, id string, n map[string]int) error {
	choices := make([]string, 0, len(n))
	for c := range n {
		choices = append(choices, c)
	}
	slices.Sort(choices)
	var sql strings.Builder
	args := make([]any, 0, 2*len(choices))
	sql.WriteString("votes + CASE choice")
	for _, c := range choices {
		sql.WriteString(" WHEN ? THEN CAST(? AS INTEGER)")
		args = append(args, c, n[c])
	}
	sql.WriteString(" END")
	res := s.write(ctx).Model(&BallotTally{}).Where("ballot_id = ? AND choice IN ?", id, choices).
		Update("votes", clause.Expr{SQL: sql.String(), Vars: args})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != int64(len(choices)) {
		return fmt.Errorf("ballot %s has no tally for one of %q", id, choices)
	}
	return nil
}
