package models_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/zimmerwald/zimmerwald/models"
	"github.com/zimmerwald/zimmerwald/models/modelstest"
)

func TestSubmitVoteGroupsAndCountsOnce(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, st *models.Store) {
		ctx := context.Background()
		c := newConference(t, st)
		b := &models.Ballot{ConferenceID: c.ID, Kind: models.BallotMotion, Question: "Q", Weighting: models.VotePerDelegate,
			Majority: models.MajoritySimple, Secret: true, Options: models.StringList{"yes", "no", "abstain"}}
		if err := st.OpenBallot(ctx, b); err != nil {
			t.Fatal(err)
		}
		// 200 voters at once, each trying twice: 200 counted, 200 refused as second votes.
		var wg sync.WaitGroup
		errs := make([]error, 400)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				v := &models.VoteCast{Ballot: b, Vote: &models.BallotVote{VoterKey: fmt.Sprintf("del:%d", i%200)}, Choices: []string{"yes", "no"}[i%2 : i%2+1],
					Audit: &models.AuditEvent{ActorKind: "delegate", ActorID: fmt.Sprint(i % 200), Action: "ballot.vote", TargetKind: "ballot", TargetID: b.ID}}
				errs[i] = st.SubmitVote(ctx, v)
			}()
		}
		wg.Wait()
		ok, twice := 0, 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case errors.Is(err, models.ErrConflict):
				twice++
			default:
				t.Errorf("unexpected: %v", err)
			}
		}
		got, err := st.Ballot(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if ok != 200 || twice != 200 || got.VotesCast != 200 || got.Counts["yes"]+got.Counts["no"] != 200 {
			t.Fatalf("got %d counted, %d refused, ballot %d cast %v; want 200, 200, 200", ok, twice, got.VotesCast, got.Counts)
		}
		audit, err := st.ListAudit(ctx, models.AuditFilter{Action: "ballot.vote", Page: models.Page{Limit: models.MaxLimit}})
		if err != nil || len(audit) != 200 {
			t.Errorf("audit events: %d (%v), want one per counted vote", len(audit), err)
		}
		locked, err := st.LockBallot(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		locked.Tally()
		if err := st.CloseBallot(ctx, locked); err != nil {
			t.Fatal(err)
		}
		if err := st.SubmitVote(ctx, &models.VoteCast{Ballot: b, Vote: &models.BallotVote{VoterKey: "del:late"}, Choices: []string{"yes"}}); !errors.Is(err, models.ErrBallotClosed) {
			t.Errorf("vote after closing: %v, want ErrBallotClosed", err)
		}
	})
}
