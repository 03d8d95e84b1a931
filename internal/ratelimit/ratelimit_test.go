package ratelimit

import (
	"encoding/binary"
	"math/rand/v2"
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
	// What a key stored as given would look like: its first eight bytes as a table key.
	rawA, rawB := binary.LittleEndian.Uint64([]byte("a\x00\x00\x00\x00\x00\x00\x00")), binary.LittleEndian.Uint64([]byte("b\x00\x00\x00\x00\x00\x00\x00"))
	held := 0
	for i := range l.shards {
		for _, e := range l.shards[i].slots {
			if e.key != 0 {
				held++
			}
			if e.key == rawA || e.key == rawB {
				t.Error("raw key stored")
			}
		}
	}
	if held != 2 {
		t.Errorf("holds %d entries, want 2", held)
	}
}

// TestLimiterMemoryBounded feeds far more distinct keys than the limiter may keep: it remembers
// no more than its capacity, and a key still limited survives the flood while it is in use.
func TestLimiterMemoryBounded(t *testing.T) {
	const capacity = 64 * 16
	l := NewWithCapacity(1, 1, capacity)
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	l.now = func() time.Time { return now }
	for i := range 100 * capacity {
		l.Allow(strconv.Itoa(i))
	}
	if n, _ := l.size(now); n > capacity {
		t.Fatalf("remembers %d keys, capacity %d", n, capacity)
	}
	tiny := NewWithCapacity(1, 1, 1) // one entry a shard: every new key evicts
	tiny.now = l.now
	for i := range 10_000 {
		tiny.Allow(strconv.Itoa(i))
	}
	if n, _ := tiny.size(now); n > shards {
		t.Fatalf("remembers %d keys, capacity %d", n, shards)
	}
	for i := range l.shards {
		if n := len(l.shards[i].slots); n > l.maxSlots {
			t.Fatalf("shard %d has %d slots, at most %d", i, n, l.maxSlots)
		}
	}
	// Idle keys whose buckets are full again are dropped first, so a steady client keeps its
	// limit while newcomers come and go.
	l = NewWithCapacity(1, 1, capacity)
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
	if _, n := l.size(now); n > 1 {
		t.Errorf("%d keys still limited although all but one were idle and full", n)
	}
}

// TestLimiterForgetsIdle: the clock hand deletes entries whose bucket is full again, so idle
// clients are forgotten while others keep coming.
func TestLimiterForgetsIdle(t *testing.T) {
	l := NewWithCapacity(60, 1, 1<<16)
	now := time.Date(2026, 1, 1, 1, 0, 0, 0, time.UTC)
	l.now = func() time.Time { return now }
	for i := range 5000 {
		l.Allow("old" + strconv.Itoa(i))
	}
	now = now.Add(time.Minute)
	for i := range 100_000 { // enough clients that every shard sees some
		l.Allow("new" + strconv.Itoa(i%10_000))
	}
	sec := l.secret.Load()
	for i := range 5000 {
		h, si := sec.hash("old" + strconv.Itoa(i))
		for _, e := range l.shards[si].slots {
			if e.key == h {
				t.Fatalf("idle client %d still held", i)
			}
		}
	}
	if held, limiting := l.size(now); held != 10_000 || limiting != 10_000 {
		t.Errorf("holds %d entries, %d limiting; want the 10,000 recent clients", held, limiting)
	}
}

// TestLimiterMatchesModel runs random keys at a random clock against a plain map of buckets: with
// room for every key, the table (probing, growth, sweeping, reuse and removal) answers the same.
func TestLimiterMatchesModel(t *testing.T) {
	l := NewWithCapacity(60, 3, 1<<16)
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	l.now = func() time.Time { return now }
	model := map[string]int64{}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 400_000 {
		key := strconv.Itoa(rng.IntN(40_000)) // mostly once in a while, so that entries come and go
		if i%2 == 0 {
			key = strconv.Itoa(rng.IntN(2000)) // often, so that they are limited
		}
		now = now.Add(time.Duration(rng.IntN(int(100 * time.Microsecond))))
		tn := now.UnixNano()
		tat := max(model[key], tn) + l.interval
		want := tat-tn <= l.tau
		if want {
			model[key] = tat
		}
		if got := l.Allow(key); got != want {
			t.Fatalf("request %d for key %s: allowed %v, model says %v", i, key, got, want)
		}
	}
}

// TestLimiterHugeBurst: a burst whose span overflows int64 nanoseconds allows, not refuses.
func TestLimiterHugeBurst(t *testing.T) {
	l := New(0.001, 1_000_000_000)
	for i := range 100 {
		if !l.Allow("a") {
			t.Fatalf("event %d refused within a burst of a billion", i)
		}
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
