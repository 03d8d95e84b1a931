package models

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"

	"gorm.io/gorm/clause"
)

// ErrBallotClosed is returned for a vote in, or the closing of, a ballot that is not open.
var ErrBallotClosed = errors.New("the ballot is not open")

// ErrNoVote is returned when a delegate has no vote under the ballot's rule (no organisation
// under the one-vote-per-organisation rule).
var ErrNoVote = errors.New("no vote under this rule")

// Choices lists the valid votes of a ballot that is not an election, and its default options.
var Choices = []VoteChoice{VoteYes, VoteNo, VoteAbstain}

// Candidate is one candidate of an election.
type Candidate struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Candidates is the list of candidates of an election, stored as JSON in one text column.
type Candidates []Candidate

// Value encodes the list as JSON.
func (l Candidates) Value() (driver.Value, error) {
	if l == nil {
		return "[]", nil
	}
	b, err := json.Marshal([]Candidate(l))
	return string(b), err
}

// Scan decodes a JSON array from the database.
func (l *Candidates) Scan(src any) error { return scanJSONList("candidates", src, (*[]Candidate)(l)) }

// Has reports whether id is one of the candidates.
func (l Candidates) Has(id string) bool {
	for _, c := range l {
		if c.ID == id {
			return true
		}
	}
	return false
}

// VoterKey returns the key a delegate votes under: "org:<organisation ID>" when the rule gives one
// vote per organisation, "del:<delegate ID>" when it gives one per delegate.
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

// Choosable lists what may be chosen on b: its candidates' IDs in an election, else its options.
func (b *Ballot) Choosable() []string {
	if b.Kind == BallotElection {
		out := make([]string, len(b.Candidates))
		for i, c := range b.Candidates {
			out[i] = c.ID
		}
		return out
	}
	return b.Options
}

// Result is the statement status a closed ballot on a statement leads to.
func (b *Ballot) Result() StatementStatus {
	if b.Outcome == OutcomeAdopted {
		return StatementAdopted
	}
	return StatementNotAdopted
}

// OpenBallot inserts b as an open ballot with a zero tally for each choice; ErrConflict when a
// ballot of the same kind is already open on the same statement.
func (s *Store) OpenBallot(ctx context.Context, b *Ballot) error {
	if b.ID == "" {
		b.ID = NewID()
	}
	b.Status, b.OpenedAt, b.ClosedAt = BallotOpen, s.now(), nil
	b.VotesCast, b.Outcome, b.Elected = 0, "", StringList{}
	if b.Options == nil {
		b.Options = StringList{}
	}
	return s.Tx(ctx, func(tx *Store) error {
		if err := notFound(tx.write(ctx).Create(b).Error); err != nil {
			return err
		}
		b.Counts = map[string]int{}
		for _, c := range b.Choosable() {
			b.Counts[c] = 0
			if err := tx.write(ctx).Create(&BallotTally{BallotID: b.ID, Choice: c}).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

// Ballot returns a ballot with its counts, or ErrNotFound.
func (s *Store) Ballot(ctx context.Context, id string) (*Ballot, error) {
	var b Ballot
	if err := s.read(ctx).Where("id = ?", id).Take(&b).Error; err != nil {
		return nil, notFound(err)
	}
	return &b, s.loadCounts(ctx, []*Ballot{&b})
}

// BallotsOf returns the ballots of a conference, newest first, with their counts.
func (s *Store) BallotsOf(ctx context.Context, conferenceID string) ([]Ballot, error) {
	var bs []Ballot
	if err := s.read(ctx).Where("conference_id = ?", conferenceID).Order("opened_at DESC, id").Find(&bs).Error; err != nil {
		return nil, err
	}
	ps := make([]*Ballot, len(bs))
	for i := range bs {
		ps[i] = &bs[i]
	}
	return bs, s.loadCounts(ctx, ps)
}

// loadCounts fills the Counts of bs from their tallies.
func (s *Store) loadCounts(ctx context.Context, bs []*Ballot) error {
	if len(bs) == 0 {
		return nil
	}
	ids, byID := make([]string, len(bs)), map[string]*Ballot{}
	for i, b := range bs {
		ids[i], byID[b.ID], b.Counts = b.ID, b, map[string]int{}
	}
	var ts []BallotTally
	if err := s.read(ctx).Where("ballot_id IN ?", ids).Find(&ts).Error; err != nil {
		return err
	}
	for _, t := range ts {
		byID[t.BallotID].Counts[t.Choice] = t.Votes
	}
	return nil
}

// OpenBallotOf returns the statement's open statement ballot, or ErrNotFound.
func (s *Store) OpenBallotOf(ctx context.Context, statementID string) (*Ballot, error) {
	var b Ballot
	if err := s.read(ctx).Where("statement_id = ? AND kind = ? AND status = ?", statementID, BallotStatement, BallotOpen).Take(&b).Error; err != nil {
		return nil, notFound(err)
	}
	return &b, s.loadCounts(ctx, []*Ballot{&b})
}

// HasBallot reports whether a ballot was ever opened on the statement.
func (s *Store) HasBallot(ctx context.Context, statementID string) (bool, error) {
	var n int64
	err := s.read(ctx).Model(&Ballot{}).Where("statement_id = ? AND kind = ?", statementID, BallotStatement).Count(&n).Error
	return n > 0, err
}

// LatestBallots returns the most recently opened statement ballot of each of the given
// statements, by statement ID.
func (s *Store) LatestBallots(ctx context.Context, statementIDs []string) (map[string]Ballot, error) {
	out := map[string]Ballot{}
	if len(statementIDs) == 0 {
		return out, nil
	}
	var bs []Ballot
	if err := s.read(ctx).Where("statement_id IN ? AND kind = ?", statementIDs, BallotStatement).Order("opened_at, id").Find(&bs).Error; err != nil {
		return nil, err
	}
	ps := make([]*Ballot, len(bs))
	for i := range bs {
		ps[i] = &bs[i]
	}
	if err := s.loadCounts(ctx, ps); err != nil {
		return nil, err
	}
	for _, b := range bs {
		out[*b.StatementID] = b
	}
	return out, nil
}

// CastVote records that v.VoterKey voted in the open ballot b for choices, in one transaction:
// the ballot row is locked first (on PostgreSQL this queues concurrent voters on it), then a
// second vote under the same key is ErrConflict and a closed ballot ErrBallotClosed, else the
// tallies, votes_cast and the vote row are written; the unique index (ballot_id, voter_key)
// backs the check. On a secret ballot the row records who voted, never how: Choice stays nil and
// only the tallies know the choice. The caller checks that choices are among b.Choosable().
// SubmitVote does the same in groups.
func (s *Store) CastVote(ctx context.Context, b *Ballot, v *BallotVote, choices ...string) error {
	return s.Tx(ctx, func(tx *Store) error {
		return tx.castBatch(ctx, []*VoteCast{{Ballot: b, Vote: v, Choices: choices}})[0]
	})
}

// LockBallot returns the open ballot id locked for closing (FOR UPDATE on PostgreSQL), with its
// counts; ErrBallotClosed when it is not open.
func (s *Store) LockBallot(ctx context.Context, id string) (*Ballot, error) {
	var b Ballot
	q := s.write(ctx)
	if s.dialect != SQLite {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	if err := q.Where("id = ?", id).Take(&b).Error; err != nil {
		return nil, notFound(err)
	}
	if b.Status != BallotOpen {
		return nil, ErrBallotClosed
	}
	var ts []BallotTally
	if err := s.write(ctx).Where("ballot_id = ?", id).Find(&ts).Error; err != nil {
		return nil, err
	}
	b.Counts = map[string]int{}
	for _, t := range ts {
		b.Counts[t.Choice] = t.Votes
	}
	return &b, nil
}

// CloseBallot stores b's outcome and closes it; call it inside Tx after LockBallot.
func (s *Store) CloseBallot(ctx context.Context, b *Ballot) error {
	now := s.now()
	res := s.write(ctx).Model(&Ballot{}).Where("id = ? AND status = ?", b.ID, BallotOpen).
		Updates(map[string]any{"status": BallotClosed, "closed_at": now, "outcome": b.Outcome, "elected": b.Elected})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrBallotClosed
	}
	b.Status, b.ClosedAt = BallotClosed, &now
	return nil
}

// BallotVotes returns the vote rows of a ballot, oldest first. On a secret ballot none holds a
// choice.
func (s *Store) BallotVotes(ctx context.Context, ballotID string) ([]BallotVote, error) {
	var vs []BallotVote
	err := s.read(ctx).Where("ballot_id = ?", ballotID).Order("created_at, id").Find(&vs).Error
	return vs, err
}

// HasVoted reports whether a vote under voterKey is in the ballot.
func (s *Store) HasVoted(ctx context.Context, ballotID, voterKey string) (bool, error) {
	var n int64
	err := s.read(ctx).Model(&BallotVote{}).Where("ballot_id = ? AND voter_key = ?", ballotID, voterKey).Count(&n).Error
	return n > 0, err
}
