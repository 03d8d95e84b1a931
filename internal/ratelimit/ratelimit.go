// Package ratelimit limits requests per client without storing who the client is: keys are keyed
// hashes (SHA-256 under a random secret that lives only in memory and changes daily), and idle entries
// are forgotten. It imports nothing of ours.
//
// Each request costs O(1): the keys are spread over shards, each with its own lock, its own
// fixed-size table and a least-recently-used list. A new key takes the place of the least recently
// used one when that one's bucket is full again (nothing is lost) or when the shard is full (so
// memory stays bounded however many clients there are; the evicted client starts afresh).
package ratelimit

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"sync"
	"sync/atomic"
	"time"
)

// MaxKeys bounds how many clients a Limiter remembers at once (about 40 bytes each, plus the
// map's share).
const MaxKeys = 1 << 18

const shards = 64

// Limiter is a set of token buckets, one per hashed key, kept as the theoretical arrival time of
// the next event (GCRA, equivalent to a token bucket).
type Limiter struct {
	interval int64 // nanoseconds between events at the sustained rate
	tau      int64 // how far ahead of now the arrival time may run: burst × interval
	perShard int
	secret   atomic.Pointer[daySecret]
	mu       sync.Mutex // guards the change of the daily secret only
	shards   [shards]shard
	now      func() time.Time
}

type daySecret struct {
	day int
	key []byte
}

// hash returns the first half of SHA-256(secret || key): with a secret of a full block in front,
// one pass is a keyed hash as good as HMAC for keys that never leave memory, at half the cost.
func (d *daySecret) hash(key string) [16]byte {
	var buf [128]byte
	b := append(append(buf[:0], d.key...), key...)
	sum := sha256.Sum256(b)
	return [16]byte(sum[:16])
}

type shard struct {
	mu    sync.Mutex
	day   int
	index map[[16]byte]int32
	nodes []node
	head  int32 // most recently used, -1 if empty
	tail  int32 // least recently used, -1 if empty
}

type node struct {
	key        [16]byte
	tat        int64 // theoretical arrival time, Unix nanoseconds
	prev, next int32
}

// New returns a limiter allowing perMinute events per key with the given burst. A perMinute of 0
// or less allows the burst and then about one event a year.
func New(perMinute float64, burst int) *Limiter {
	return newLimiter(perMinute, burst, MaxKeys)
}

func newLimiter(perMinute float64, burst, maxKeys int) *Limiter {
	if burst < 1 {
		burst = 1
	}
	interval := int64(365 * 24 * time.Hour)
	if perMinute > 0 {
		interval = min(interval, int64(float64(time.Minute)/perMinute))
	}
	interval = max(interval, 1)
	l := &Limiter{interval: interval, tau: interval * int64(burst), perShard: max(1, maxKeys/shards), now: time.Now}
	for i := range l.shards {
		l.shards[i].head, l.shards[i].tail = -1, -1
	}
	return l
}

// Allow reports whether one more event for key is allowed now. The key (an IP address, an email)
// is hashed at once and never kept.
func (l *Limiter) Allow(key string) bool {
	now := l.now()
	sec := l.secretFor(now.YearDay())
	h := sec.hash(key)
	s := &l.shards[binary.LittleEndian.Uint64(h[:8])%shards]
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.day != sec.day || s.index == nil { // a new secret: yesterday's hashes mean nothing
		s.day, s.index, s.nodes, s.head, s.tail = sec.day, map[[16]byte]int32{}, s.nodes[:0], -1, -1
	}
	t := now.UnixNano()
	i, ok := s.index[h]
	if ok {
		s.unlink(i)
	} else {
		i = s.insert(h, t, l.perShard)
	}
	s.pushFront(i)
	n := &s.nodes[i]
	tat := max(n.tat, t) + l.interval
	if tat-t > l.tau {
		return false
	}
	n.tat = tat
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

// insert finds a slot for a new key: the least recently used one when its bucket is full again or
// the shard is at capacity, else a new one. The slot is unlinked; the caller links it.
func (s *shard) insert(h [16]byte, now int64, capacity int) int32 {
	var i int32
	if s.tail >= 0 && (s.nodes[s.tail].tat <= now || len(s.nodes) >= capacity) {
		i = s.tail
		s.unlink(i)
		delete(s.index, s.nodes[i].key)
	} else {
		s.nodes = append(s.nodes, node{})
		i = int32(len(s.nodes) - 1)
	}
	s.nodes[i] = node{key: h, tat: now, prev: -1, next: -1}
	s.index[h] = i
	return i
}

func (s *shard) unlink(i int32) {
	n := &s.nodes[i]
	if n.prev >= 0 {
		s.nodes[n.prev].next = n.next
	} else {
		s.head = n.next
	}
	if n.next >= 0 {
		s.nodes[n.next].prev = n.prev
	} else {
		s.tail = n.prev
	}
	n.prev, n.next = -1, -1
}

func (s *shard) pushFront(i int32) {
	n := &s.nodes[i]
	n.prev, n.next = -1, s.head
	if s.head >= 0 {
		s.nodes[s.head].prev = i
	}
	s.head = i
	if s.tail < 0 {
		s.tail = i
	}
}

// size returns how many keys the limiter remembers.
func (l *Limiter) size() int {
	n := 0
	for i := range l.shards {
		s := &l.shards[i]
		s.mu.Lock()
		n += len(s.index)
		s.mu.Unlock()
	}
	return n
}
