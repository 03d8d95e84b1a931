package batch

import (
	"context"
	"fmt"
	"sync"
)

// Group collects the items submitted by concurrent callers into batches and hands each batch to
// its flush function. At most one batch is being flushed at a time (or as many as Parallel
// allows), by goroutines of the Group; while they run, new items queue, and the next batch takes
// all of them (up to the Group's limit). Each caller waits for the batch that holds its item and
// gets its own error back.
//
// The zero Group is not usable; create one with New.
type Group[T any] struct {
	flush    func(items []T) []error
	limit    int
	parallel int // how many batches may be flushed at once (at least 1)

	mu      sync.Mutex
	queue   []*call[T]
	running int // goroutines flushing; queue is non-empty only while one runs

	queued func() // called after each item has joined the queue; tests use it to order calls
}

// call is one submitted item and the channel its result goes to.
type call[T any] struct {
	item T
	done chan error
}

// New returns a Group whose batches hold at most limit items (no bound if limit <= 0) and are handed
// to flush. Flush returns one error per item, in the order of items, or nil when every item
// succeeded; it runs on one of the Group's goroutines, never on a caller's, so it must not depend
// on any caller's context.
func New[T any](limit int, flush func(items []T) []error) *Group[T] {
	return &Group[T]{flush: flush, limit: limit, parallel: 1}
}

// Parallel lets up to n batches be flushed at once (1 if n < 1) and returns g; call it before
// the first Submit. A database that runs concurrent write transactions (PostgreSQL) then
// commits one batch while it writes the next, where a single writer (SQLite) would only make
// them wait for each other.
func (g *Group[T]) Parallel(n int) *Group[T] {
	g.parallel = max(n, 1)
	return g
}

// Submit queues item for the next batch and waits until that batch has been flushed, returning
// the item's error. If ctx ends first, Submit returns ctx's error at once, but the item stays
// queued and is flushed all the same: pass a context without cancellation (context.WithoutCancel)
// when the caller must learn the outcome.
func (g *Group[T]) Submit(ctx context.Context, item T) error {
	if errs := g.SubmitAll(ctx, []T{item}); errs != nil {
		return errs[0]
	}
	return nil
}

// SubmitAll queues items together, so that they go into the same batch when the limit allows,
// and waits until all of them have been flushed. It returns one error per item, in order, or nil
// when every item succeeded. If ctx ends first, the items not flushed yet get ctx's error, but
// they stay queued and are flushed all the same (see Submit).
func (g *Group[T]) SubmitAll(ctx context.Context, items []T) []error {
	if len(items) == 0 {
		return nil
	}
	calls := make([]*call[T], len(items))
	for i, item := range items {
		calls[i] = &call[T]{item: item, done: make(chan error, 1)}
	}
	g.enqueue(calls)
	var errs []error
	for i, c := range calls {
		var err error
		select {
		case err = <-c.done:
		case <-ctx.Done():
			err = ctx.Err()
		}
		if err != nil {
			if errs == nil {
				errs = make([]error, len(items))
			}
			errs[i] = err
		}
	}
	return errs
}

// enqueue appends calls to the queue together and starts a flushing goroutine if fewer than
// Parallel are running.
func (g *Group[T]) enqueue(calls []*call[T]) {
	g.mu.Lock()
	g.queue = append(g.queue, calls...)
	start := g.running < g.parallel
	if start {
		g.running++
	}
	g.mu.Unlock()
	if start {
		go g.run()
	}
	if g.queued != nil {
		g.queued()
	}
}

// run flushes batches until the queue is empty.
func (g *Group[T]) run() {
	for {
		g.mu.Lock()
		n := len(g.queue)
		if n == 0 {
			g.running--
			g.mu.Unlock()
			return
		}
		if g.limit > 0 && n > g.limit {
			n = g.limit
		}
		calls := g.queue[:n:n]
		if n == len(g.queue) {
			g.queue = nil
		} else {
			g.queue = g.queue[n:]
		}
		g.mu.Unlock()
		g.flushCalls(calls)
	}
}

// flushCalls flushes one batch and answers each of its callers.
func (g *Group[T]) flushCalls(calls []*call[T]) {
	items := make([]T, len(calls))
	for i, c := range calls {
		items[i] = c.item
	}
	errs := g.flush(items)
	if errs != nil && len(errs) != len(calls) {
		err := fmt.Errorf("batch: flush returned %d results for %d items", len(errs), len(calls))
		for _, c := range calls {
			c.done <- err
		}
		return
	}
	for i, c := range calls {
		if errs == nil {
			c.done <- nil
			continue
		}
		c.done <- errs[i]
	}
}
