// Package fakeclock is a clock for tests that moves only when the test advances it, so that
// leases, retries and timestamps are checked without sleeping. It imports nothing of ours.
package fakeclock

import (
	"sync"
	"time"
)

// Clock is a clock that moves only when Advance is called. It is safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// New returns a clock that reads t until it is advanced.
func New(t time.Time) *Clock { return &Clock{t: t} }

// Now is the clock's current time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
