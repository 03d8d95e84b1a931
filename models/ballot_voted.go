package models

import "context"

// HasVote reports whether the ballot already holds a vote under voterKey (a delegate's, or their
// organisation's under the per-organisation rule).
func (s *Store) HasVote(ctx context.Context, ballotID, voterKey string) (bool, error) {
	var n int64
	err := s.read(ctx).Model(&BallotVote{}).Where("ballot_id = ? AND voter_key = ?", ballotID, voterKey).Count(&n).Error
	return n > 0, err
}
