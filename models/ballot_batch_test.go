package models_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
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

// TestVotesFromTwoProcessesCountOnce votes through two stores on one database, as two server
// processes would, while a third goroutine closes one of the two ballots: each voter is counted
// at most once per ballot, every vote answered nil is in the counts and every other one is not,
// and a vote whose organisation is not verified is refused without being counted.
func TestVotesFromTwoProcessesCountOnce(t *testing.T) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			a, b := twoStores(t, dialect)
			c := newConference(t, a)
			verified := newOrganisation(t, a, c, "Verified Union")
			rejected := &models.Organisation{ConferenceID: c.ID, Name: "Rejected Union", Country: "CH", Kind: models.OrgUnion, Status: models.OrgRejected}
			if err := a.CreateOrganisation(ctx, rejected); err != nil {
				t.Fatal(err)
			}
			var ballots []*models.Ballot
			for range 2 {
				bl := &models.Ballot{ConferenceID: c.ID, Kind: models.BallotMotion, Question: "Q", Weighting: models.VotePerDelegate,
					Majority: models.MajoritySimple, Secret: true, Options: models.StringList{"yes", "no", "abstain"}}
				if err := a.OpenBallot(ctx, bl); err != nil {
					t.Fatal(err)
				}
				ballots = append(ballots, bl)
			}
			const voters = 150
			type cast struct {
				ballot int
				key    string
				org    *models.Organisation
				err    error
			}
			var casts []*cast
			for i := range voters {
				org := verified
				if i%10 == 0 {
					org = rejected
				}
				for bi := range ballots {
					for range 2 { // each voter tries twice on each ballot, once through each store
						casts = append(casts, &cast{ballot: bi, key: fmt.Sprintf("del:%d", i), org: org})
					}
				}
			}
			var wg sync.WaitGroup
			for i, cs := range casts {
				st := []*models.Store{a, b}[i%2]
				wg.Go(func() {
					cs.err = st.SubmitVote(ctx, &models.VoteCast{Ballot: ballots[cs.ballot], Choices: []string{"yes"},
						Vote: &models.BallotVote{VoterKey: cs.key, OrganisationID: &cs.org.ID}, Verified: &cs.org.ID})
				})
			}
			wg.Go(func() { // closes the second ballot while the votes come in
				err := b.Tx(ctx, func(tx *models.Store) error {
					locked, err := tx.LockBallot(ctx, ballots[1].ID)
					if err != nil {
						return err
					}
					locked.Tally()
					return tx.CloseBallot(ctx, locked)
				})
				if err != nil {
					t.Errorf("close: %v", err)
				}
			})
			wg.Wait()
			counted := make([]map[string]int, len(ballots))
			for bi := range ballots {
				counted[bi] = map[string]int{}
			}
			for _, cs := range casts {
				switch {
				case cs.err == nil:
					counted[cs.ballot][cs.key]++
					if cs.org == rejected {
						t.Errorf("ballot %d, %s of a rejected organisation: counted", cs.ballot, cs.key)
					}
				case cs.org == rejected && errors.Is(cs.err, models.ErrNotVerified),
					errors.Is(cs.err, models.ErrConflict), cs.ballot == 1 && errors.Is(cs.err, models.ErrBallotClosed):
				default:
					t.Errorf("ballot %d, %s: unexpected %v", cs.ballot, cs.key, cs.err)
				}
			}
			for bi, bl := range ballots {
				got, err := a.Ballot(ctx, bl.ID)
				if err != nil {
					t.Fatal(err)
				}
				votes, err := a.BallotVotes(ctx, bl.ID)
				if err != nil {
					t.Fatal(err)
				}
				for key, n := range counted[bi] {
					if n != 1 {
						t.Errorf("ballot %d: %s counted %d times", bi, key, n)
					}
				}
				n := len(counted[bi])
				if got.VotesCast != n || got.Counts["yes"] != n || len(votes) != n {
					t.Errorf("ballot %d: %d votes answered nil, but votes_cast %d, yes %d, %d rows", bi, n, got.VotesCast, got.Counts["yes"], len(votes))
				}
				if want := voters - voters/10; bi == 0 && n != want {
					t.Errorf("open ballot: %d voters counted, want %d (the verified organisation's)", n, want)
				}
			}
		})
	}
}

// twoStores opens two stores on one new database of dialect, as two processes would.
func twoStores(t *testing.T, dialect string) (*models.Store, *models.Store) {
	opts := models.Options{SQLitePath: filepath.Join(t.TempDir(), "zimmerwald.db")}
	if dialect == "postgres" {
		opts = models.Options{DatabaseURL: modelstest.PostgresURL(t)}
	}
	box := modelstest.Box(t)
	var out [2]*models.Store
	for i := range out {
		st, err := models.Open(context.Background(), opts, box)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		if _, err := st.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		out[i] = st
	}
	return out[0], out[1]
}
