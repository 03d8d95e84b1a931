package models_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/zimmerwald/zimmerwald/models"
)

var confStart = time.Date(2027, 9, 4, 22, 0, 0, 0, time.UTC) // 5 Sep 00:00 in Zurich (CEST)

// bruteConflicts is the O(n²) oracle: every pair of sessions is compared directly.
func bruteConflicts(sessions []models.Session, rules models.AgendaRules) []models.Conflict {
	var out []models.Conflict
	var live []models.Session
	for _, s := range sessions {
		if s.Status != models.SessionCancelled {
			live = append(live, s)
		}
	}
	for _, s := range live {
		if s.StartsAt.Before(rules.Starts) || s.EndsAt.After(rules.Ends) {
			out = append(out, models.Conflict{Kind: models.ConflictOutsideDates, SessionIDs: []string{s.ID}})
		}
		if s.RoomID != nil && rules.RoomCapacity[*s.RoomID] > 0 && s.Capacity > rules.RoomCapacity[*s.RoomID] {
			out = append(out, models.Conflict{Kind: models.ConflictCapacity, SessionIDs: []string{s.ID}, RoomID: *s.RoomID})
		}
		seen := map[string]bool{}
		for _, list := range [][]string{s.SpeakerIDs, s.ChairIDs} {
			for _, id := range list {
				if seen[id] {
					continue
				}
				seen[id] = true
				if rules.DelegateStatus[id] != models.DelegateApproved {
					role := models.PersonChair
					if contains(s.SpeakerIDs, id) {
						role = models.PersonSpeaker
					}
					out = append(out, models.Conflict{Kind: models.ConflictNotApproved, SessionIDs: []string{s.ID}, DelegateID: id, Role: role})
				}
			}
		}
	}
	for i := range live {
		for j := range live {
			a, b := live[i], live[j]
			if i == j || !a.StartsAt.Before(b.EndsAt) || !b.StartsAt.Before(a.EndsAt) || !a.EndsAt.After(a.StartsAt) || !b.EndsAt.After(b.StartsAt) {
				continue
			}
			// Report each pair once, the earlier start (then smaller ID) first.
			if a.StartsAt.After(b.StartsAt) || a.StartsAt.Equal(b.StartsAt) && a.ID > b.ID {
				continue
			}
			pair := []string{a.ID, b.ID}
			if a.RoomID != nil && b.RoomID != nil && *a.RoomID == *b.RoomID {
				out = append(out, models.Conflict{Kind: models.ConflictRoom, SessionIDs: pair, RoomID: *a.RoomID})
			}
			for _, p := range union(a.SpeakerIDs, a.ChairIDs) {
				if !contains(b.SpeakerIDs, p) && !contains(b.ChairIDs, p) {
					continue
				}
				kind := models.ConflictSpeaker
				if !contains(a.SpeakerIDs, p) && !contains(b.SpeakerIDs, p) {
					kind = models.ConflictChair
				}
				out = append(out, models.Conflict{Kind: kind, SessionIDs: pair, DelegateID: p})
			}
		}
	}
	models.SortConflicts(out)
	return out
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

func union(a, b []string) []string {
	var out []string
	for _, l := range [][]string{a, b} {
		for _, x := range l {
			if !contains(out, x) {
				out = append(out, x)
			}
		}
	}
	return out
}

// randomAgenda builds n sessions over few rooms and people so that every kind of conflict occurs,
// with times on a coarse grid so that touching and identical intervals are common.
func randomAgenda(r *rand.Rand, n, rooms, people int, slot time.Duration, days int) ([]models.Session, models.AgendaRules) {
	rules := models.AgendaRules{Starts: confStart, Ends: confStart.Add(time.Duration(days) * 24 * time.Hour),
		RoomCapacity: map[string]int{}, DelegateStatus: map[string]models.DelegateStatus{}}
	statuses := []models.DelegateStatus{models.DelegateApproved, models.DelegateApproved, models.DelegateApproved, models.DelegateSubmitted, models.DelegateWaitlist}
	for p := 0; p < people; p++ {
		if r.IntN(10) > 0 { // some people are unknown: not approved
			rules.DelegateStatus[fmt.Sprintf("p%04d", p)] = statuses[r.IntN(len(statuses))]
		}
	}
	for k := 0; k < rooms; k++ {
		rules.RoomCapacity[fmt.Sprintf("r%03d", k)] = r.IntN(4) * 50
	}
	slots := int(time.Duration(days+1) * 24 * time.Hour / slot)
	out := make([]models.Session, n)
	for i := range out {
		start := confStart.Add(-12 * time.Hour).Add(time.Duration(r.IntN(slots)) * slot)
		s := models.Session{ID: fmt.Sprintf("s%05d", i), StartsAt: start, EndsAt: start.Add(time.Duration(r.IntN(8)) * slot),
			Capacity: r.IntN(5) * 40, Status: []models.SessionStatus{models.SessionDraft, models.SessionPublished, models.SessionPublished, models.SessionCancelled}[r.IntN(4)]}
		if r.IntN(8) > 0 {
			room := fmt.Sprintf("r%03d", r.IntN(rooms))
			s.RoomID = &room
		}
		for k := r.IntN(4); k > 0; k-- {
			s.SpeakerIDs = append(s.SpeakerIDs, fmt.Sprintf("p%04d", r.IntN(people)))
		}
		for k := r.IntN(2); k > 0; k-- {
			s.ChairIDs = append(s.ChairIDs, fmt.Sprintf("p%04d", r.IntN(people)))
		}
		out[i] = s
	}
	return out, rules
}

func TestFindConflictsMatchesBruteForceOracle(t *testing.T) {
	for seed := uint64(1); seed <= 300; seed++ {
		r := rand.New(rand.NewPCG(seed, 42))
		n := 1 + r.IntN(60)
		sessions, rules := randomAgenda(r, n, 1+r.IntN(6), 1+r.IntN(15), 30*time.Minute, 1+r.IntN(3))
		got := models.FindConflicts(sessions, rules)
		want := bruteConflicts(sessions, rules)
		if len(got) == 0 && len(want) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("seed %d (%d sessions): got %d conflicts, want %d\n got: %v\nwant: %v", seed, n, len(got), len(want), got, want)
		}
	}
}

func TestFindConflictsKinds(t *testing.T) {
	at := func(h int) time.Time { return confStart.Add(time.Duration(h) * time.Hour) }
	hall, small := "hall", "small"
	rules := models.AgendaRules{Starts: at(0), Ends: at(72), RoomCapacity: map[string]int{hall: 300, small: 20},
		DelegateStatus: map[string]models.DelegateStatus{"anna": models.DelegateApproved, "vera": models.DelegateApproved, "lea": models.DelegateWaitlist}}
	sessions := []models.Session{
		{ID: "a", RoomID: &hall, StartsAt: at(9), EndsAt: at(11), SpeakerIDs: []string{"anna"}, Status: models.SessionPublished},
		{ID: "b", RoomID: &hall, StartsAt: at(10), EndsAt: at(12), ChairIDs: []string{"vera"}, Status: models.SessionDraft},
		{ID: "c", RoomID: &hall, StartsAt: at(11), EndsAt: at(12), SpeakerIDs: []string{"anna", "vera"}, ChairIDs: []string{"vera"}, Status: models.SessionPublished},
		{ID: "d", RoomID: &small, StartsAt: at(11), EndsAt: at(12), Capacity: 50, ChairIDs: []string{"vera"}, Status: models.SessionPublished},
		{ID: "e", StartsAt: at(-3), EndsAt: at(-2), SpeakerIDs: []string{"lea"}, Status: models.SessionPublished},
		{ID: "x", RoomID: &hall, StartsAt: at(9), EndsAt: at(12), SpeakerIDs: []string{"anna", "lea"}, Status: models.SessionCancelled},
	}
	got := models.FindConflicts(sessions, rules)
	want := []models.Conflict{
		{Kind: models.ConflictCapacity, SessionIDs: []string{"d"}, RoomID: small},
		{Kind: models.ConflictChair, SessionIDs: []string{"b", "d"}, DelegateID: "vera"},
		{Kind: models.ConflictOutsideDates, SessionIDs: []string{"e"}},
		{Kind: models.ConflictRoom, SessionIDs: []string{"a", "b"}, RoomID: hall},
		{Kind: models.ConflictRoom, SessionIDs: []string{"b", "c"}, RoomID: hall},
		{Kind: models.ConflictNotApproved, SessionIDs: []string{"e"}, DelegateID: "lea", Role: models.PersonSpeaker},
		{Kind: models.ConflictSpeaker, SessionIDs: []string{"b", "c"}, DelegateID: "vera"},
		{Kind: models.ConflictSpeaker, SessionIDs: []string{"c", "d"}, DelegateID: "vera"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%v\nwant\n%v", got, want)
	}
}

// benchAgenda is the size the performance table names: n sessions in n/50 rooms with n/5
// speakers over four days (10,000 sessions: 200 rooms and 2,000 speakers; 20,000 keeps the density). Each room's day is filled with sessions of 30 to 120
// minutes, some of them shifted so that they overlap; speakers and chairs are drawn at random, so
// that people overlaps, unapproved speakers and capacity problems occur as in a real draft.
func benchAgenda(n int) ([]models.Session, models.AgendaRules) {
	r := rand.New(rand.NewPCG(7, 7))
	rules := models.AgendaRules{Starts: confStart, Ends: confStart.Add(4 * 24 * time.Hour),
		RoomCapacity: map[string]int{}, DelegateStatus: map[string]models.DelegateStatus{}}
	rooms, people := make([]string, n/50), n/5
	for p := 0; p < people; p++ {
		status := models.DelegateApproved
		if r.IntN(50) == 0 {
			status = models.DelegateSubmitted
		}
		rules.DelegateStatus[fmt.Sprintf("p%04d", p)] = status
	}
	next := make([]time.Time, len(rooms))
	for k := range rooms {
		rooms[k] = fmt.Sprintf("r%03d", k)
		rules.RoomCapacity[rooms[k]] = 20 + r.IntN(20)*10
		next[k] = confStart.Add(8 * time.Hour)
	}
	out := make([]models.Session, n)
	for i := range out {
		k := i % len(rooms)
		start := next[k]
		if r.IntN(40) == 0 {
			start = start.Add(-15 * time.Minute)
		}
		end := start.Add(time.Duration(30+15*r.IntN(4)) * time.Minute)
		next[k] = end.Add(15 * time.Minute)
		if day := next[k].Sub(confStart) / (24 * time.Hour); next[k].Sub(confStart)-day*24*time.Hour > 22*time.Hour {
			next[k] = confStart.Add((day+1)*24*time.Hour + 8*time.Hour)
		}
		room := rooms[k]
		s := models.Session{ID: models.NewID(), RoomID: &room, StartsAt: start, EndsAt: end, Status: models.SessionPublished}
		if r.IntN(20) == 0 {
			s.Capacity = rules.RoomCapacity[room] + 10*r.IntN(3)
		}
		for j := 1 + r.IntN(2); j > 0; j-- {
			s.SpeakerIDs = append(s.SpeakerIDs, fmt.Sprintf("p%04d", r.IntN(people)))
		}
		if r.IntN(2) == 0 {
			s.ChairIDs = []string{fmt.Sprintf("p%04d", r.IntN(people))}
		}
		out[i] = s
	}
	return out, rules
}

func BenchmarkFindConflicts10k(b *testing.B) {
	sessions, rules := benchAgenda(10000)
	b.ReportMetric(float64(len(models.FindConflicts(sessions, rules))), "conflicts")
	b.ResetTimer()
	for b.Loop() {
		models.FindConflicts(sessions, rules)
	}
}

func BenchmarkFindConflicts20k(b *testing.B) {
	sessions, rules := benchAgenda(20000)
	b.ResetTimer()
	for b.Loop() {
		models.FindConflicts(sessions, rules)
	}
}
