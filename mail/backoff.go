package mail

import (
	"math/rand/v2"
	"time"
)

// Backoff bounds.
const (
	BackoffBase = 30 * time.Second
	BackoffCap  = time.Hour
	backoffMin  = time.Second
)

// Backoff returns how long to wait before attempt number attempt (1 for the
// first retry) using exponential backoff with full jitter: a uniformly random
// duration in [1s, min(BackoffCap, BackoffBase·2^(attempt-1))]. The ceiling
// is 30s, 1m, 2m, 4m … and stays at 1h from the 8th retry on; the jitter
// spreads the retries of a failed batch so they do not hit the server at
// once. rnd may be nil to use the global, concurrency-safe source; a
// *rand.Rand is not safe for concurrent use.
func Backoff(attempt int, rnd *rand.Rand) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	ceiling := BackoffCap
	if attempt <= 20 { // beyond that the shift is far past the cap anyway
		if d := BackoffBase << (attempt - 1); d < BackoffCap {
			ceiling = d
		}
	}
	span := int64(ceiling - backoffMin)
	var r int64
	if rnd != nil {
		r = rnd.Int64N(span + 1)
	} else {
		r = rand.Int64N(span + 1)
	}
	return backoffMin + time.Duration(r)
}
