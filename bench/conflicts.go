package main

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"time"

	"github.com/zimmerwald/zimmerwald/models"
)

// conflictAgenda builds n sessions over four days (08:00 to 22:00) in n/50 rooms with n/5
// speakers, each session with one or two speakers and half of them with a chair: a built agenda
// with the few double bookings organisers still have to resolve (one session in forty starts
// early), the same shape as models' BenchmarkFindConflicts.
func conflictAgenda(n int) ([]models.Session, models.AgendaRules) {
	r := rand.New(rand.NewPCG(1915, 9))
	start := time.Date(2027, 9, 5, 0, 0, 0, 0, time.UTC)
	rules := models.AgendaRules{Starts: start, Ends: start.AddDate(0, 0, 4), RoomCapacity: map[string]int{}, DelegateStatus: map[string]models.DelegateStatus{}}
	rooms, people := n/50, n/5
	for p := 0; p < people; p++ {
		rules.DelegateStatus[fmt.Sprintf("p%05d", p)] = models.DelegateApproved
	}
	next := make([]time.Time, rooms)
	for k := range next {
		rules.RoomCapacity[fmt.Sprintf("r%04d", k)] = 60
		next[k] = start.Add(8 * time.Hour)
	}
	out := make([]models.Session, n)
	for i := range out {
		k := i % rooms
		begin := next[k]
		if r.IntN(40) == 0 {
			begin = begin.Add(-15 * time.Minute) // a double booking
		}
		end := begin.Add(time.Duration(30+r.IntN(4)*15) * time.Minute)
		next[k] = end.Add(15 * time.Minute)
		if h := next[k].Sub(start) % (24 * time.Hour); h > 22*time.Hour {
			next[k] = next[k].Add(24*time.Hour - h + 8*time.Hour)
		}
		room := fmt.Sprintf("r%04d", k)
		s := models.Session{ID: fmt.Sprintf("s%06d", i), RoomID: &room, StartsAt: begin, EndsAt: end, Capacity: 40, Status: models.SessionPublished}
		for j := 1 + r.IntN(2); j > 0; j-- {
			s.SpeakerIDs = append(s.SpeakerIDs, fmt.Sprintf("p%05d", r.IntN(people)))
		}
		if r.IntN(2) == 0 {
			s.ChairIDs = []string{fmt.Sprintf("p%05d", r.IntN(people))}
		}
		out[i] = s
	}
	return out, rules
}

// timeConflicts returns the median time of FindConflicts over runs.
func timeConflicts(n, runs int) (time.Duration, int) {
	sessions, rules := conflictAgenda(n)
	found := len(models.FindConflicts(sessions, rules)) // warm-up
	ds := make([]time.Duration, runs)
	for i := range ds {
		runtime.GC() // each run starts from a clean heap: the figure is the function's, not the previous run's garbage
		t := time.Now()
		models.FindConflicts(sessions, rules)
		ds[i] = time.Since(t)
	}
	return median(ds), found
}

// benchConflicts: conflict detection over 10,000 sessions (200 rooms, 2,000 speakers), and the
// growth to 20,000 sessions at the same density.
func benchConflicts(scale float64) error {
	t10, c10 := timeConflicts(10000, 15)
	t20, c20 := timeConflicts(20000, 15)
	fmt.Printf("  10,000 sessions: median %v (%d conflicts); 20,000 sessions: median %v (%d conflicts)\n", t10, c10, t20, c20)
	verdict("10,000 sessions", t10.Round(100*time.Microsecond).String(), "≤ 20ms", t10 <= 20*time.Millisecond)
	growth := float64(t20) / float64(t10)
	verdict("20,000 / 10,000", fmt.Sprintf("%.2f×", growth), "≤ 2.3×", growth <= 2.3)
	return nil
}
