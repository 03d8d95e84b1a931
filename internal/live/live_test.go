package live

import (
	"github.com/prometheus/client_golang/prometheus/testutil"

	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

// TestSlowSubscriberDropped checks that a subscriber that never reads is dropped once its buffer
// is full, while another keeps receiving every event.
func TestSlowSubscriberDropped(t *testing.T) {
	open0, dropped0 := testutil.ToFloat64(streamsOpen), testutil.ToFloat64(streamsDropped)
	b := New(Options{Buffer: 2})
	slow, _ := b.Subscribe("c", "a")
	fast, _ := b.Subscribe("c", "b")
	for i := int64(1); i <= 5; i++ {
		b.Publish("c", Event{ID: i})
		if ev := <-fast.Events(); ev.ID != i {
			t.Fatalf("fast got %d, want %d", ev.ID, i)
		}
	}
	n := 0
	for range slow.Events() {
		n++
	}
	if n != 2 || b.Dropped() != 1 || b.Connections() != 1 {
		t.Errorf("slow read %d, dropped %d, connections %d; want 2, 1, 1", n, b.Dropped(), b.Connections())
	}
	if open, dropped := testutil.ToFloat64(streamsOpen)-open0, testutil.ToFloat64(streamsDropped)-dropped0; open != 1 || dropped != 1 {
		t.Errorf("metrics: %v open, %v dropped; want 1 and 1", open, dropped)
	}
	slow.Close()
	fast.Close()
	if b.Connections() != 0 {
		t.Errorf("connections %d after close", b.Connections())
	}
}

// TestPerClientLimit checks the limit of streams per client and that closing frees a place.
func TestPerClientLimit(t *testing.T) {
	b := New(Options{PerClient: 2})
	s1, _ := b.Subscribe("c", "ip")
	if _, err := b.Subscribe("c", "ip"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Subscribe("d", "ip"); !errors.Is(err, ErrTooMany) {
		t.Fatalf("third stream: got %v, want ErrTooMany", err)
	}
	if _, err := b.Subscribe("c", "other"); err != nil {
		t.Errorf("another client: %v", err)
	}
	s1.Close()
	if _, err := b.Subscribe("c", "ip"); err != nil {
		t.Errorf("after close: %v", err)
	}
}

// TestWatchFollowsOtherProcesses checks that a version moved by another process (seen only
// through the polled counters) is rendered and sent, and an unchanged one is not.
func TestWatchFollowsOtherProcesses(t *testing.T) {
	b := New(Options{})
	var version atomic.Int64
	b.SetRender(func(ctx context.Context, topic string) (Event, error) {
		return Event{ID: version.Load(), Data: []byte(topic)}, nil
	})
	sub, _ := b.Subscribe("conf", "x")
	if ev, _ := b.Current(context.Background(), "conf"); ev.ID != 0 {
		t.Fatalf("current %d", ev.ID)
	}
	<-sub.Events()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go b.Watch(ctx, time.Millisecond, func(context.Context) (map[string]int64, error) {
		return map[string]int64{"conf": version.Load()}, nil
	})
	version.Store(7) // another process committed a change
	select {
	case ev := <-sub.Events():
		if ev.ID != 7 {
			t.Errorf("got event %d, want 7", ev.ID)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the change of another process never arrived")
	}
}
