package ratelimit

import (
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
	for k := range l.buckets {
		if string(k[:1]) == "a" {
			t.Error("raw key stored")
		}
	}
}
