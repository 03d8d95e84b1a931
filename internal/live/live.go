package live

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/zimmerwald/zimmerwald/internal/metrics"
)

// Event is one state of a topic's live view: its version (the stream's event ID) and its JSON.
type Event struct {
	ID   int64
	Data []byte
}

// RenderFunc builds the current event of a topic (a conference ID). It must read the version
// before the data, so that the data is never older than the ID it is sent under.
type RenderFunc func(ctx context.Context, topic string) (Event, error)

// ErrTooMany refuses a subscription beyond the per-client limit.
var ErrTooMany = errors.New("too many live streams for this client")

// Options tune a Broadcaster; zero values take the defaults.
type Options struct {
	Buffer    int // events a subscriber may have unread before it is dropped (default 4)
	PerClient int // streams one client may hold open (default 8)
}

// Broadcaster holds the subscribers of every topic and the latest event it sent to each.
type Broadcaster struct {
	mu      sync.Mutex
	render  RenderFunc
	topics  map[string]*topic
	clients map[string]int
	opts    Options

	conns   atomic.Int64
	dropped atomic.Int64
}

type topic struct {
	last *Event
	subs map[*Sub]struct{}
}

// Sub is one open stream. Events delivers the topic's events; it is closed when the subscriber
// is dropped for falling behind.
type Sub struct {
	b      *Broadcaster
	topic  string
	client string
	ch     chan Event
	closed bool // under b.mu
}

// New builds a Broadcaster; SetRender must be called before Changed does anything.
func New(o Options) *Broadcaster {
	if o.Buffer <= 0 {
		o.Buffer = 4
	}
	if o.PerClient <= 0 {
		o.PerClient = 8
	}
	return &Broadcaster{topics: map[string]*topic{}, clients: map[string]int{}, opts: o}
}

// SetRender sets how a topic's event is built (the API's JSON of the live view).
func (b *Broadcaster) SetRender(fn RenderFunc) {
	b.mu.Lock()
	b.render = fn
	b.mu.Unlock()
}

// Connections is the number of open streams.
func (b *Broadcaster) Connections() int64 { return b.conns.Load() }

// Dropped is the number of streams dropped for falling behind since start.
func (b *Broadcaster) Dropped() int64 { return b.dropped.Load() }

// Subscribe opens a stream of topic for client (an opaque key); ErrTooMany beyond the limit.
func (b *Broadcaster) Subscribe(topicID, client string) (*Sub, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.clients[client] >= b.opts.PerClient {
		return nil, ErrTooMany
	}
	b.clients[client]++
	t := b.topic(topicID)
	s := &Sub{b: b, topic: topicID, client: client, ch: make(chan Event, b.opts.Buffer)}
	t.subs[s] = struct{}{}
	b.conns.Add(1)
	streamsOpen.Inc()
	return s, nil
}

func (b *Broadcaster) topic(id string) *topic {
	t := b.topics[id]
	if t == nil {
		t = &topic{subs: map[*Sub]struct{}{}}
		b.topics[id] = t
	}
	return t
}

// Events is the subscriber's channel of events, closed when it is dropped.
func (s *Sub) Events() <-chan Event { return s.ch }

// Close ends the stream.
func (s *Sub) Close() {
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	s.b.remove(s)
	s.b.clients[s.client]--
	if s.b.clients[s.client] <= 0 {
		delete(s.b.clients, s.client)
	}
}

// remove takes s off its topic and closes its channel (under b.mu; idempotent).
func (b *Broadcaster) remove(s *Sub) {
	if s.closed {
		return
	}
	s.closed = true
	close(s.ch)
	b.conns.Add(-1)
	streamsOpen.Dec()
	if t := b.topics[s.topic]; t != nil {
		delete(t.subs, s)
		if len(t.subs) == 0 {
			delete(b.topics, s.topic)
		}
	}
}

// CloseAll ends every stream (at shutdown: their clients resume elsewhere).
func (b *Broadcaster) CloseAll() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, t := range b.topics {
		for s := range t.subs {
			b.remove(s)
		}
	}
}

// Current returns the latest event of topic, rendering it when none was sent yet.
func (b *Broadcaster) Current(ctx context.Context, topicID string) (Event, error) {
	b.mu.Lock()
	if t := b.topics[topicID]; t != nil && t.last != nil {
		ev := *t.last
		b.mu.Unlock()
		return ev, nil
	}
	render := b.render
	b.mu.Unlock()
	if render == nil {
		return Event{}, errors.New("live: no renderer")
	}
	ev, err := render(ctx, topicID)
	if err != nil {
		return Event{}, err
	}
	b.Publish(topicID, ev)
	return ev, nil
}

// Changed renders topic again and sends it to its subscribers; it does nothing when nobody
// follows the topic. The domain calls it after each commit that changes a live view.
func (b *Broadcaster) Changed(ctx context.Context, topicID string) error {
	b.mu.Lock()
	render, t := b.render, b.topics[topicID]
	b.mu.Unlock()
	if render == nil || t == nil {
		return nil
	}
	ev, err := render(ctx, topicID)
	if err != nil {
		return err
	}
	b.Publish(topicID, ev)
	return nil
}

// Publish sends ev to the topic's subscribers when it is newer than the last event sent. A
// subscriber whose buffer is full is dropped, never waited for.
func (b *Broadcaster) Publish(topicID string, ev Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	t := b.topics[topicID]
	if t == nil || t.last != nil && t.last.ID >= ev.ID {
		return
	}
	t.last = &ev
	for s := range t.subs {
		select {
		case s.ch <- ev:
		default:
			b.remove(s)
			b.dropped.Add(1)
			streamsDropped.Inc()
		}
	}
}

// Watch polls versions (each conference's change counter in the shared database) every interval
// until ctx ends, and renders again every followed topic whose version moved past the last event
// sent: this is how changes made by other processes reach this one's streams.
func (b *Broadcaster) Watch(ctx context.Context, interval time.Duration, versions func(context.Context) (map[string]int64, error)) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		vs, err := versions(ctx)
		if err != nil {
			continue
		}
		for _, id := range b.behind(vs) {
			_ = b.Changed(ctx, id)
		}
	}
}

// behind lists the followed topics whose version in vs is newer than the last event sent.
func (b *Broadcaster) behind(vs map[string]int64) []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for id, t := range b.topics {
		if v, ok := vs[id]; ok && (t.last == nil || v > t.last.ID) {
			out = append(out, id)
		}
	}
	return out
}

// The streams of every broadcaster of the process, for GET /metrics (no client is named).
var (
	streamsOpen    = metrics.NewGauge("live_streams", "Live-view streams open now.")
	streamsDropped = metrics.NewCounter("live_streams_dropped_total", "Live-view streams dropped for falling behind.")
)
