// Package ratelimit limits requests per client without storing who the client is: keys are keyed
// hashes (HMAC under a random key that lives only in memory and changes daily), and idle entries
// are forgotten. It imports nothing of ours.
package ratelimit

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limiter is a set of token buckets, one per hashed key.
type Limiter struct {
	mu      sync.Mutex
	every   rate.Limit
	burst   int
	key     []byte
	keyDay  int
	buckets map[[32]byte]*entry
	now     func() time.Time
}

type entry struct {
	lim  *rate.Limiter
	seen time.Time
}

// New returns a limiter allowing perMinute events per key with the given burst.
func New(perMinute float64, burst int) *Limiter {
	if burst < 1 {
		burst = 1
	}
	return &Limiter{every: rate.Limit(perMinute / 60), burst: burst, buckets: map[[32]byte]*entry{}, now: time.Now}
}

// Allow reports whether one more event for key is allowed now. The key (an IP address, an email)
// is hashed at once and never kept.
func (l *Limiter) Allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if day := now.YearDay(); l.key == nil || day != l.keyDay {
		l.key = make([]byte, 32)
		rand.Read(l.key)
		l.keyDay = day
		l.buckets = map[[32]byte]*entry{}
	}
	m := hmac.New(sha256.New, l.key)
	m.Write([]byte(key))
	var h [32]byte
	copy(h[:], m.Sum(nil))
	e := l.buckets[h]
	if e == nil {
		if len(l.buckets) > 100000 {
			l.sweep(now)
		}
		e = &entry{lim: rate.NewLimiter(l.every, l.burst)}
		l.buckets[h] = e
	}
	e.seen = now
	return e.lim.AllowN(now, 1)
}

// sweep drops buckets idle long enough to be full again.
func (l *Limiter) sweep(now time.Time) {
	for k, e := range l.buckets {
		if now.Sub(e.seen) > 10*time.Minute {
			delete(l.buckets, k)
		}
	}
}
