package models_test

import (
	"slices"
	"testing"

	"github.com/zimmerwald/zimmerwald/models"
)

func TestTallyRulesAndQuorum(t *testing.T) {
	for _, c := range []struct {
		majority           models.Majority
		yes, no, abstain   int
		eligible, quorumBP int
		want               models.BallotOutcome
	}{
		{models.MajoritySimple, 2, 1, 0, 10, 0, "adopted"},
		{models.MajoritySimple, 1, 1, 5, 10, 0, "rejected"},
		{models.MajoritySimple, 0, 0, 3, 10, 0, "rejected"},
		{models.MajorityAbsolute, 3, 1, 2, 10, 0, "rejected"}, // 3 of 6 is not more than half
		{models.MajorityAbsolute, 4, 1, 2, 10, 0, "adopted"},
		{models.MajorityTwoThirds, 2, 1, 9, 20, 0, "adopted"}, // exactly two thirds of yes + no
		{models.MajorityTwoThirds, 3, 2, 0, 10, 0, "rejected"},
		{models.MajorityTwoThirds, 0, 0, 4, 10, 0, "rejected"},
		{models.MajoritySimple, 3, 0, 1, 10, 5000, "no_quorum"}, // 4 of 10 < 50 %
		{models.MajoritySimple, 3, 1, 1, 10, 5000, "adopted"},   // 5 of 10 meets it
		{models.MajoritySimple, 0, 0, 0, 0, 1, "no_quorum"},     // nobody eligible
		{models.MajoritySimple, 1, 0, 0, 0, 0, "adopted"},       // no quorum asked
	} {
		b := &models.Ballot{Kind: models.BallotMotion, Majority: c.majority, Eligible: c.eligible, QuorumBP: c.quorumBP,
			VotesCast: c.yes + c.no + c.abstain, Counts: map[string]int{"yes": c.yes, "no": c.no, "abstain": c.abstain}}
		b.Tally()
		if b.Outcome != c.want {
			t.Errorf("%s %d/%d/%d of %d, quorum %d bp: got %s, want %s", c.majority, c.yes, c.no, c.abstain, c.eligible, c.quorumBP, b.Outcome, c.want)
		}
	}
}

func TestTallyElection(t *testing.T) {
	cands := models.Candidates{{ID: "a"}, {ID: "b"}, {ID: "c"}, {ID: "d"}}
	for _, c := range []struct {
		majority models.Majority
		seats    int
		counts   map[string]int
		cast     int
		want     []string
	}{
		{models.MajoritySimple, 2, map[string]int{"a": 5, "b": 3, "c": 1}, 6, []string{"a", "b"}},
		{models.MajoritySimple, 2, map[string]int{"a": 5, "b": 3, "c": 3}, 6, []string{"a"}}, // tie for the last seat
		{models.MajoritySimple, 1, map[string]int{}, 0, []string{}},
		{models.MajorityAbsolute, 2, map[string]int{"a": 4, "b": 3, "c": 3}, 6, []string{"a"}}, // b: 3 of 6 is not more than half
		{models.MajorityTwoThirds, 3, map[string]int{"a": 4, "b": 4, "c": 3}, 6, []string{"a", "b"}},
	} {
		b := &models.Ballot{Kind: models.BallotElection, Majority: c.majority, Seats: c.seats, Candidates: cands, Counts: c.counts, VotesCast: c.cast}
		b.Tally()
		if !slices.Equal([]string(b.Elected), c.want) {
			t.Errorf("%s, %d seats, %v: elected %v, want %v", c.majority, c.seats, c.counts, b.Elected, c.want)
		}
		if want := map[bool]models.BallotOutcome{true: "adopted", false: "rejected"}[len(c.want) > 0]; b.Outcome != want {
			t.Errorf("%v: outcome %s, want %s", c.counts, b.Outcome, want)
		}
	}
}
