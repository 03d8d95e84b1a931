package main

import (
	"sync"
	"time"
)

// mailWakeDelay is how long serve gathers the commits that enqueued mail before it wakes the
// mail worker. During a rush of registrations the worker then claims the confirmations of many
// of them at once rather than a few at a time, which costs the database a fraction of the
// statements; a confirmation leaves at most this much later. (The worker also polls on its own.)
const mailWakeDelay = 100 * time.Millisecond

// coalesce returns a function that calls wake once, delay after the first of any number of calls
// made meanwhile. after runs a function once a duration has passed (afterDelay, or a test's
// clock).
func coalesce(wake func(), delay time.Duration, after func(time.Duration, func())) func() {
	var (
		mu      sync.Mutex
		pending bool
	)
	fire := func() {
		mu.Lock()
		pending = false
		mu.Unlock()
		wake()
	}
	return func() {
		mu.Lock()
		defer mu.Unlock()
		if pending {
			return
		}
		pending = true
		after(delay, fire)
	}
}

// afterDelay runs f on its own goroutine once d has passed.
func afterDelay(d time.Duration, f func()) { time.AfterFunc(d, f) }
