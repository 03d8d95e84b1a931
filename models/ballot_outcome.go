package models

import "sort"

// Tally computes b's outcome from its Counts, VotesCast, Eligible, QuorumBP and Majority, and
// sets Outcome (and Elected for an election). The quorum is met when the votes cast (abstentions
// included) are at least QuorumBP/10000 of Eligible; a ballot without quorum is no_quorum. Then:
// simple: yes > no; absolute: yes > half of all votes cast; two_thirds: yes >= two thirds of
// yes + no (and at least one yes). In an election each candidate is measured the same way
// against the votes cast (simple: at least one vote), and the best-placed of those who pass win
// up to Seats; candidates tied for the last seat are all left out, leaving it empty.
func (b *Ballot) Tally() {
	b.Elected = StringList{}
	if b.QuorumBP > 0 && b.VotesCast*10000 < b.QuorumBP*b.Eligible || b.QuorumBP > 0 && b.Eligible == 0 {
		b.Outcome = OutcomeNoQuorum
		return
	}
	if b.Kind != BallotElection {
		b.Outcome = OutcomeRejected
		if passes(b.Majority, b.Counts[string(VoteYes)], b.Counts[string(VoteNo)], b.VotesCast) {
			b.Outcome = OutcomeAdopted
		}
		return
	}
	type cand struct {
		id    string
		votes int
	}
	var ok []cand
	for _, c := range b.Candidates {
		// For a candidate, every other vote cast counts against: yes = their votes, no = the rest.
		v := b.Counts[c.ID]
		if b.Majority == MajoritySimple && v > 0 || b.Majority != MajoritySimple && passes(b.Majority, v, b.VotesCast-v, b.VotesCast) {
			ok = append(ok, cand{c.ID, v})
		}
	}
	sort.SliceStable(ok, func(i, j int) bool { return ok[i].votes > ok[j].votes })
	if len(ok) > b.Seats {
		cut := ok[b.Seats].votes
		n := b.Seats
		for n > 0 && ok[n-1].votes == cut {
			n--
		}
		ok = ok[:n]
	}
	for _, c := range ok {
		b.Elected = append(b.Elected, c.id)
	}
	b.Outcome = OutcomeRejected
	if len(b.Elected) > 0 {
		b.Outcome = OutcomeAdopted
	}
}

// passes applies a majority rule to yes and no votes out of cast.
func passes(m Majority, yes, no, cast int) bool {
	switch m {
	case MajorityAbsolute:
		return 2*yes > cast
	case MajorityTwoThirds:
		return yes > 0 && 3*yes >= 2*(yes+no)
	}
	return yes > no
}
