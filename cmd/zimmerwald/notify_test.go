package main

import (
	"testing"
	"time"
)

// Calls made while a wake is pending are folded into it; a call after the wake schedules the next.
func TestCoalesceWakesOnceForManyCalls(t *testing.T) {
	var scheduled []func()
	var delays []time.Duration
	after := func(d time.Duration, f func()) { delays, scheduled = append(delays, d), append(scheduled, f) }
	wakes := 0
	notify := coalesce(func() { wakes++ }, 100*time.Millisecond, after)

	for range 50 {
		notify()
	}
	if len(scheduled) != 1 || delays[0] != 100*time.Millisecond || wakes != 0 {
		t.Fatalf("after 50 calls: %d wakes scheduled (delays %v), %d woken; want 1 scheduled after 100ms, none yet", len(scheduled), delays, wakes)
	}
	scheduled[0]() // the delay has passed
	if wakes != 1 {
		t.Fatalf("%d wakes, want 1", wakes)
	}
	notify()
	notify()
	if len(scheduled) != 2 {
		t.Fatalf("%d wakes scheduled after the first fired, want 2", len(scheduled))
	}
	scheduled[1]()
	if wakes != 2 {
		t.Fatalf("%d wakes, want 2", wakes)
	}
}
