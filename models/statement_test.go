package models_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zimmerwald/zimmerwald/models"
	"github.com/zimmerwald/zimmerwald/models/modelstest"
)

func TestStatementMoves(t *testing.T) {
	all := []models.StatementStatus{models.StatementDraft, models.StatementSubmitted, models.StatementAccepted, models.StatementRejected,
		models.StatementWithdrawn, models.StatementAdopted, models.StatementNotAdopted}
	legal := map[string]bool{
		"draft>submitted": true, "draft>withdrawn": true,
		"submitted>accepted": true, "submitted>rejected": true, "submitted>withdrawn": true, "submitted>draft": true,
		"accepted>adopted": true, "accepted>not_adopted": true, "accepted>withdrawn": true,
	}
	at := time.Date(2027, 9, 5, 10, 0, 0, 0, time.UTC)
	for _, from := range all {
		for _, to := range all {
			st := &models.Statement{Status: from}
			err := st.Move(to, at)
			var te *models.TransitionError
			switch {
			case legal[string(from)+">"+string(to)] && err != nil:
				t.Errorf("%s → %s: got %v, want allowed", from, to, err)
			case !legal[string(from)+">"+string(to)] && !errors.As(err, &te):
				t.Errorf("%s → %s: got %v, want a TransitionError", from, to, err)
			case err == nil && st.Status != to:
				t.Errorf("%s → %s: status is %s", from, to, st.Status)
			}
		}
	}
}

func TestStatementDecide(t *testing.T) {
	at := time.Now().UTC()
	for decision, want := range map[models.StatementDecision]models.StatementStatus{"accept": "accepted", "reject": "rejected", "request_changes": "draft"} {
		st := &models.Statement{Status: models.StatementSubmitted, SubmittedAt: &at}
		got, err := st.Decide(decision, at)
		if err != nil || got != want || st.Status != want {
			t.Errorf("Decide(%s): got %q, %v, status %s; want %s", decision, got, err, st.Status, want)
		}
		if decision == "request_changes" && st.SubmittedAt != nil {
			t.Errorf("request_changes kept submitted_at")
		}
	}
	if _, err := (&models.Statement{Status: models.StatementDraft}).Decide("accept", at); err == nil {
		t.Error("deciding a draft: got nil, want an error")
	}
	if _, err := (&models.Statement{Status: models.StatementSubmitted}).Decide("approve", at); err == nil {
		t.Error("unknown decision: got nil, want an error")
	}
}

func TestReplaceParagraph(t *testing.T) {
	body := "One.\r\n\r\nTwo,\nstill two.\n\n\n  \nThree.\n"
	cases := []struct {
		n          int
		text, want string
		err        error
	}{
		{0, "All new.", "All new.", nil},
		{1, "First.", "First.\n\nTwo,\nstill two.\n\nThree.", nil},
		{2, "Second.", "One.\n\nSecond.\n\nThree.", nil},
		{3, "Last.\r\n", "One.\n\nTwo,\nstill two.\n\nLast.", nil},
		{4, "x", "", models.ErrNoParagraph},
		{-1, "x", "", models.ErrNoParagraph},
	}
	for _, c := range cases {
		got, err := models.ReplaceParagraph(body, c.n, c.text)
		if got != c.want || !errors.Is(err, c.err) {
			t.Errorf("ReplaceParagraph(%d): got %q, %v; want %q, %v", c.n, got, err, c.want, c.err)
		}
	}
	if n := len(models.Paragraphs(body)); n != 3 {
		t.Errorf("Paragraphs: got %d, want 3", n)
	}
}

func TestUnifiedDiff(t *testing.T) {
	a := "l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\nl10\nl11\nl12\nl13\nl14\nl15\nl16\n"
	b := "l1\nl2\nl3\nL4\nl5\nl6\nl7\nl8\nl9\nl10\nl11\nl12\nl13\nl14\nl15\nl16\nl17\n"
	want := "--- v1\n+++ v2\n" +
		"@@ -1,7 +1,7 @@\n l1\n l2\n l3\n-l4\n+L4\n l5\n l6\n l7\n" +
		"@@ -14,3 +14,4 @@\n l14\n l15\n l16\n+l17\n"
	if got := models.UnifiedDiff("v1", "v2", a, b); got != want {
		t.Errorf("UnifiedDiff:\ngot\n%s\nwant\n%s", got, want)
	}
	if got := models.UnifiedDiff("a", "b", "same\n", "same"); got != "" {
		t.Errorf("equal texts: got %q, want empty", got)
	}
	if got := models.UnifiedDiff("a", "b", "", "new\n"); got != "--- a\n+++ b\n@@ -0,0 +1 @@\n+new\n" {
		t.Errorf("from empty: got %q", got)
	}
	// Close changes share one hunk.
	got := models.UnifiedDiff("a", "b", "1\n2\n3\n4\n5\n6\n7\n8\n", "1\nX\n3\n4\n5\n6\n7\nY\n")
	if strings.Count(got, "@@ -") != 1 {
		t.Errorf("nearby changes: got %q, want one hunk", got)
	}
	// A large rewrite stays bounded and still a correct diff.
	var big1, big2 strings.Builder
	for i := 0; i < 3000; i++ {
		big1.WriteString("a line\n")
		big2.WriteString("another line\n")
	}
	got = models.UnifiedDiff("a", "b", big1.String(), big2.String())
	if strings.Count(got, "\n-a line") != 3000 || strings.Count(got, "\n+another line") != 3000 {
		t.Errorf("large rewrite: got %d removed, %d added lines", strings.Count(got, "\n-a line"), strings.Count(got, "\n+another line"))
	}
}

func TestCastVoteOncePerVoterKey(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, st *models.Store) {
		ctx := context.Background()
		c := newConference(t, st)
		o := newOrganisation(t, st, c, "Org")
		s := &models.Statement{ConferenceID: c.ID, OrganisationID: o.ID, Title: "T", Body: "B", Language: "en", Status: models.StatementAccepted}
		if err := st.CreateStatement(ctx, s); err != nil {
			t.Fatal(err)
		}
		ballot := func() *models.Ballot {
			return &models.Ballot{ConferenceID: c.ID, Kind: models.BallotStatement, StatementID: &s.ID, Weighting: models.VotePerOrganisation,
				Majority: models.MajoritySimple, Secret: true, Options: models.StringList(models.Strings(models.Choices))}
		}
		b := ballot()
		if err := st.OpenBallot(ctx, b); err != nil {
			t.Fatal(err)
		}
		if err := st.OpenBallot(ctx, ballot()); !errors.Is(err, models.ErrConflict) {
			t.Fatalf("second open ballot: got %v, want ErrConflict", err)
		}
		var wg sync.WaitGroup
		errs := make([]error, 100)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = st.CastVote(ctx, b, &models.BallotVote{VoterKey: "org:" + o.ID, OrganisationID: &o.ID}, string(models.Choices[i%3]))
			}()
		}
		wg.Wait()
		ok, conflicts := 0, 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case errors.Is(err, models.ErrConflict):
				conflicts++
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		if ok != 1 || conflicts != 99 {
			t.Fatalf("got %d counted and %d conflicts, want 1 and 99", ok, conflicts)
		}
		closed, err := st.LockBallot(ctx, b.ID)
		if err == nil {
			err = st.CloseBallot(ctx, closed)
		}
		if err != nil || closed.VotesCast != 1 {
			t.Fatalf("closed ballot: got %+v, %v; want one vote", closed, err)
		}
		votes, err := st.BallotVotes(ctx, b.ID)
		if err != nil || len(votes) != 1 || votes[0].Choice != nil {
			t.Fatalf("secret vote rows: got %+v, %v; want one without a choice", votes, err)
		}
		if err := st.CastVote(ctx, closed, &models.BallotVote{VoterKey: "org:late"}, "yes"); !errors.Is(err, models.ErrBallotClosed) {
			t.Errorf("vote after closing: got %v, want ErrBallotClosed", err)
		}
	})
}
