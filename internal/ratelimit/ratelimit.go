// Package ratelimit limits requests per client without storing who the client is: keys are keyed
// hashes (SHA-256 under a random secret that lives only in memory and changes daily), and idle entries
// are forgotten. It imports nothing of ours.
//
// Each request costs O(1) and memory is bounded. The keys are spread over shards, each with its own
// lock and its own open-addressing table of 16-byte entries (8 bytes of the keyed hash, 8 bytes of
// the bucket's state), grown by doubling up to the capacity. An entry whose bucket is full again
// carries no information: a new key takes its place when it meets one on its probe path, and a
// clock hand that advances a few slots on every request deletes the ones it passes, so idle clients
// are forgotten. When a shard holds its share of the capacity, the hand evicts the entry nearest to
// a full bucket among the next few slots (the evicted client starts afresh).
package ratelimit

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// DefaultMaxKeys is how many clients a Limiter remembers at once unless told otherwise
// (NewWithCapacity). A full table takes about 21 bytes a key (64 MiB at 3,145,728 keys); tables
// grow with use, so an idle limiter takes almost nothing.
const DefaultMaxKeys = 3 << 20

const (
	shards    = 256
	minSlots  = 16 // slots of a shard's first table
	sweepStep = 2  // slots the clock hand looks at on each request
	evictScan = 8  // slots the clock hand looks at to choose a victim
)

// Limiter is a set of token buckets, one per hashed key, kept as the theoretical arrival time of
// the next event (GCRA, equivalent to a token bucket).
type Limiter struct {
	interval int64 // nanoseconds between events at the sustained rate
	tau      int64 // how far ahead of now the arrival time may run: burst × interval
	perShard int   // entries a shard may hold
	maxSlots int   // slots of a shard's largest table (a power of two)
	secret   atomic.Pointer[daySecret]
	mu       sync.Mutex // guards the change of the daily secret only
	shards   [shards]shard
	now      func() time.Time
}

type daySecret struct {
	day int
	key []byte
}

// hash returns SHA-256(secret || key) as the key stored in a table (never 0, which marks an empty
// slot) and the shard it goes to, taken from other bits. With a secret of a full block in front,
// one pass is a keyed hash as good as HMAC for keys that never leave memory, at half the cost.
func (d *daySecret) hash(key string) (uint64, int) {
	var buf [128]byte
	b := append(append(buf[:0], d.key...), key...)
	sum := sha256.Sum256(b)
	return max(binary.LittleEndian.Uint64(sum[:8]), 1), int(binary.LittleEndian.Uint64(sum[8:16]) % shards)
}

// entry is one client: the keyed hash of its key (0 = empty slot) and its bucket's theoretical
// arrival time in Unix nanoseconds. An entry whose tat is not after now is as good as absent.
type entry struct {
	key uint64
	tat int64
}

type shard struct {
	mu    sync.Mutex
	day   int
	slots []entry // length a power of two, or nil before the first key of the day
	count int     // occupied slots
	hand  int     // the clock hand: the next slot to sweep or to evict from
	_     [64]byte
}

// New returns a limiter allowing perMinute events per key with the given burst, remembering up
// to DefaultMaxKeys clients. A perMinute of 0 or less allows the burst and then about one event a
// year.
func New(perMinute float64, burst int) *Limiter {
	return NewWithCapacity(perMinute, burst, DefaultMaxKeys)
}

// NewWithCapacity is New remembering up to maxKeys clients (at least one per shard).
func NewWithCapacity(perMinute float64, burst, maxKeys int) *Limiter {
	if burst < 1 {
		burst = 1
	}
	interval := int64(365 * 24 * time.Hour)
	if perMinute > 0 {
		interval = min(interval, int64(float64(time.Minute)/perMinute))
	}
	interval = max(interval, 1)
	perShard := max(1, (maxKeys+shards-1)/shards)
	maxSlots := minSlots
	for maxSlots*3/4 < perShard { // at most three quarters full, so probes stay short
		maxSlots *= 2
	}
	tau := int64(1) << 62 // far beyond any clock; interval × burst could overflow
	if int64(burst) < tau/interval {
		tau = interval * int64(burst)
	}
	return &Limiter{interval: interval, tau: tau, perShard: perShard, maxSlots: maxSlots, now: time.Now}
}

// WithClock makes l read the time from now instead of time.Now (the store's clock, so tests
// that move a fake clock move the limiter with it) and returns l. Call it before first use.
func (l *Limiter) WithClock(now func() time.Time) *Limiter {
	l.now = now
	return l
}

// Allow reports whether one more event for key is allowed now. The key (an IP address, an email)
// is hashed at once and never kept.
func (l *Limiter) Allow(key string) bool {
	now := l.now()
	sec := l.secretFor(now.YearDay())
	h, si := sec.hash(key)
	t := now.UnixNano()
	s := &l.shards[si]
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.day != sec.day { // a new secret: yesterday's hashes mean nothing
		s.day, s.slots, s.count, s.hand = sec.day, nil, 0, 0
	}
	if s.slots == nil {
		s.slots = make([]entry, minSlots)
	}
	s.sweep(t)
	e := s.find(h, t, l)
	tat := max(e.tat, t) + l.interval
	if tat-t > l.tau {
		return false
	}
	e.tat = tat
	return true
}

// secretFor returns the HMAC secret of day, making a new one when the day changes.
func (l *Limiter) secretFor(day int) *daySecret {
	if sec := l.secret.Load(); sec != nil && sec.day == day {
		return sec
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if sec := l.secret.Load(); sec != nil && sec.day == day {
		return sec
	}
	sec := &daySecret{day: day, key: make([]byte, 64)}
	rand.Read(sec.key)
	l.secret.Store(sec)
	return sec
}

// find returns the entry of h, inserting it with a full bucket (tat = now) if it is not there: in
// the first slot on its probe path whose bucket is full again, else in an empty one, after making
// room by growing the table or, at capacity, by evicting one entry.
func (s *shard) find(h uint64, now int64, l *Limiter) *entry {
	mask := len(s.slots) - 1
	reuse := -1
	for i := int(h) & mask; ; i = (i + 1) & mask {
		e := &s.slots[i]
		if e.key == h {
			return e
		}
		if e.key == 0 {
			break
		}
		if reuse < 0 && e.tat <= now {
			reuse = i
		}
	}
	if reuse >= 0 {
		s.slots[reuse] = entry{key: h, tat: now}
		return &s.slots[reuse]
	}
	switch {
	case s.count >= l.perShard:
		s.evict()
	case (s.count+1)*4 > len(s.slots)*3 && len(s.slots) < l.maxSlots:
		s.grow()
	}
	mask = len(s.slots) - 1
	i := int(h) & mask
	for s.slots[i].key != 0 {
		i = (i + 1) & mask
	}
	s.slots[i] = entry{key: h, tat: now}
	s.count++
	return &s.slots[i]
}

// sweep moves the clock hand over a few slots, deleting the entries whose bucket is full again.
func (s *shard) sweep(now int64) {
	mask := len(s.slots) - 1
	for range sweepStep {
		if e := s.slots[s.hand]; e.key != 0 && e.tat <= now {
			s.remove(s.hand) // the next entry may have moved into this slot: look again next time
			continue
		}
		s.hand = (s.hand + 1) & mask
	}
}

// evict deletes the entry nearest to a full bucket among the next occupied slots at the hand.
func (s *shard) evict() {
	mask := len(s.slots) - 1
	victim, seen := -1, 0
	for i := s.hand; seen < min(evictScan, s.count); i = (i + 1) & mask {
		if s.slots[i].key == 0 {
			continue
		}
		seen++
		if victim < 0 || s.slots[i].tat < s.slots[victim].tat {
			victim = i
		}
	}
	s.hand = (victim + 1) & mask
	s.remove(victim)
}

// remove empties slot i and moves later entries of the probe run back (backward-shift deletion),
// so that no lookup needs tombstones.
func (s *shard) remove(i int) {
	mask := len(s.slots) - 1
	for j := (i + 1) & mask; s.slots[j].key != 0; j = (j + 1) & mask {
		home := int(s.slots[j].key) & mask
		// The entry at j may fill the hole at i if its home is not in the cyclic range (i, j].
		if (j > i && (home <= i || home > j)) || (j < i && home <= i && home > j) {
			s.slots[i] = s.slots[j]
			i = j
		}
	}
	s.slots[i] = entry{}
	s.count--
}

// grow doubles the table and puts every entry back.
func (s *shard) grow() {
	old := s.slots
	s.slots = make([]entry, 2*len(old))
	mask := len(s.slots) - 1
	for _, e := range old {
		if e.key == 0 {
			continue
		}
		i := int(e.key) & mask
		for s.slots[i].key != 0 {
			i = (i + 1) & mask
		}
		s.slots[i] = e
	}
	s.hand = 0
}

// Footprint returns the bytes the limiter's tables take now.
func (l *Limiter) Footprint() int {
	n := int(unsafe.Sizeof(*l))
	for i := range l.shards {
		s := &l.shards[i]
		s.mu.Lock()
		n += len(s.slots) * int(unsafe.Sizeof(entry{}))
		s.mu.Unlock()
	}
	return n
}

// size returns how many entries the limiter holds, and how many of them still limit a client
// (their bucket is not full again at now).
func (l *Limiter) size(now time.Time) (held, limiting int) {
	t := now.UnixNano()
	for i := range l.shards {
		s := &l.shards[i]
		s.mu.Lock()
		held += s.count
		for _, e := range s.slots {
			if e.key != 0 && e.tat > t {
				limiting++
			}
		}
		s.mu.Unlock()
	}
	return held, limiting
}
