package domain

import (
	"context"
	"errors"

	"github.com/zimmerwald/zimmerwald/models"
)

// Standing is what the signed-in delegate may still do on a statement, so that pages offer only
// actions that can succeed: co-sign (their organisation has not signed) and vote (the open ballot
// has no vote of theirs, or of their organisation under the per-organisation rule).
type Standing struct {
	Cosigned  bool // their organisation's signature stands under the statement
	CanCosign bool // they may sign (an active delegate of another, approved organisation) and have not
	Voted     bool // the open ballot holds their (or their organisation's) vote
	CanVote   bool // a ballot is open, they hold a vote and it is not cast yet
}

// MyStanding answers Standing for the actor on statement id (the zero Standing for anyone who is
// not an active delegate of its conference).
func (s *Service) MyStanding(ctx context.Context, a *Actor, id string) (*Standing, error) {
	out := &Standing{}
	if a == nil || a.Delegate == nil {
		return out, nil
	}
	st, _, r, err := s.readableStatement(ctx, a, id)
	if err != nil || r.delegate == nil {
		return out, err
	}
	if org := r.orgID(); org != "" && !r.member(st) {
		cs, err := s.store.Cosignatures(ctx, []string{st.ID})
		if err != nil {
			return nil, err
		}
		for _, c := range cs[st.ID] {
			out.Cosigned = out.Cosigned || c.OrganisationID == org
		}
		open := st.Status == models.StatementSubmitted || st.Status == models.StatementAccepted
		out.CanCosign = open && !out.Cosigned
	}
	b, err := s.store.OpenBallotOf(ctx, st.ID)
	if errors.Is(err, models.ErrNotFound) {
		return out, nil
	} else if err != nil {
		return nil, err
	}
	key, err := models.VoterKey(b.Weighting, r.delegate)
	if errors.Is(err, models.ErrNoVote) {
		return out, nil
	} else if err != nil {
		return nil, err
	}
	if out.Voted, err = s.store.HasVote(ctx, b.ID, key); err != nil {
		return nil, err
	}
	out.CanVote = !out.Voted
	return out, nil
}
