package ratelimit

import (
	"strconv"
	"testing"
	"time"
)

func TestLimiterPerKey(t *testing.T) {
	l := New(60, 3)
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	l.now = func() time.Time { return now }
	for i := 0; i < 3; i++ {
		if !l.Allow("a") {
			t.Fatalf("event %d refused within burst", i)
		}
	}
	if l.Allow("a") {
		t.Error("event beyond burst allowed")
	}
	if !l.Allow("b") {
		t.Error("other key refused")
	}
	now = now.Add(time.Second)
	if !l.Allow("a") {
		t.Error("refill after one second refused")
	}
	if l.Allow("a") {
		t.Error("second event after one second allowed")
	}
	var rawA, rawB [16]byte // what a key stored as given would look like
	copy(rawA[:], "a")
	copy(rawB[:], "b")
	for i := range l.shards {
		for k := range l.shards[i].index {
			if k == rawA || k == rawB {
				t.Error("raw key stored")
			}
		}
	}
}

// TestLimiterMemoryBounded feeds far more distinct keys than the limiter may keep: it remembers
// no more than its capacity, and a key still limited survives the flood while it is in use.
func TestLimiterMemoryBounded(t *testing.T) {
	const capacity = 64 * 16
	l := newLimiter(1, 1, capacity)
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	l.now = func() time.Time { return now }
	for i := range 100 * capacity {
		l.Allow(strconv.Itoa(i))
	}
	if n := l.size(); n > capacity {
		t.Fatalf("remembers %d keys, capacity %d", n, capacity)
	}
	// Idle keys whose buckets are full again are dropped first, so a steady client keeps its
	// limit while newcomers come and go.
	l = newLimiter(1, 1, capacity)
	l.now = func() time.Time { return now }
	if !l.Allow("steady") || l.Allow("steady") {
		t.Fatal("burst of 1 not enforced")
	}
	for i := range 10 * capacity {
		now = now.Add(time.Minute) // every newcomer's bucket is full again by the next one
		l.Allow(strconv.Itoa(i))
		if i%(capacity/2) == 0 {
			l.Allow("steady") // keeps it recently used
		}
	}
	if n := l.size(); n > shards+1 {
		t.Errorf("remembers %d keys although all but one were idle and full", n)
	}
}

func TestLimiterNewDayForgets(t *testing.T) {
	l := New(1, 1)
	now := time.Date(2026, 1, 1, 23, 59, 0, 0, time.UTC)
	l.now = func() time.Time { return now }
	if !l.Allow("a") || l.Allow("a") {
		t.Fatal("burst of 1 not enforced")
	}
	now = now.Add(2 * time.Minute)
	if !l.Allow("a") {
		t.Error("refused after the day changed and a full minute passed")
	}
}

// BenchmarkAllow compares the cost of one Allow with 10 clients and with 1,000,000.
func BenchmarkAllow(b *testing.B) {
	for _, keys := range []int{10, 1_000_000} {
		b.Run(strconv.Itoa(keys), func(b *testing.B) {
			l := New(30, 10)
			names := make([]string, keys)
			for i := range names {
				names[i] = "2001:db8::" + strconv.Itoa(i)
			}
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				i := 0
				for pb.Next() {
					l.Allow(names[i%keys])
					i += 7919
				}
			})
		})
	}
}
