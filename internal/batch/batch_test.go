package batch

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

// gated is a flush function that reports each batch on batches and then waits for a value on
// release before answering, so that a test decides what queues while a batch is being flushed.
type gated struct {
	batches chan []int
	release chan struct{}
}

func newGated() *gated {
	return &gated{batches: make(chan []int, 100), release: make(chan struct{})}
}

// failOdd is the outcome of item i: odd items fail with an error naming them.
func failOdd(i int) error {
	if i%2 == 1 {
		return fmt.Errorf("item %d failed", i)
	}
	return nil
}

func (f *gated) flush(items []int) []error {
	f.batches <- slices.Clone(items)
	<-f.release
	errs := make([]error, len(items))
	for i, it := range items {
		errs[i] = failOdd(it)
	}
	return errs
}

// counted returns a group over flush and a channel that receives once per queued item.
func counted(limit int, flush func([]int) []error) (*Group[int], chan struct{}) {
	queued := make(chan struct{}, 100)
	g := New(limit, flush)
	g.queued = func() { queued <- struct{}{} }
	return g, queued
}

type outcome struct {
	item int
	err  error
}

// submit starts a caller of g.Submit(ctx, item) that reports on out.
func submit(ctx context.Context, g *Group[int], item int, out chan<- outcome) {
	go func() { out <- outcome{item, g.Submit(ctx, item)} }()
}

// stuck bounds every wait of these tests, so that a broken Group fails them instead of hanging.
const stuck = 10 * time.Second

// recv receives from ch, failing the test if nothing comes.
func recv[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(stuck):
		t.Fatalf("nothing received after %v", stuck)
		panic("unreachable")
	}
}

// wait receives n times from ch.
func wait[T any](t *testing.T, ch <-chan T, n int) {
	t.Helper()
	for range n {
		recv(t, ch)
	}
}

// releaseOne lets the flush in progress answer.
func (f *gated) releaseOne(t *testing.T) {
	t.Helper()
	select {
	case f.release <- struct{}{}:
	case <-time.After(stuck):
		t.Fatalf("no flush to release after %v", stuck)
	}
}

func checkOutcomes(t *testing.T, out <-chan outcome, n int) {
	t.Helper()
	for range n {
		o := recv(t, out)
		want := failOdd(o.item)
		if (o.err == nil) != (want == nil) || (want != nil && o.err.Error() != want.Error()) {
			t.Errorf("item %d: got error %v, want %v", o.item, o.err, want)
		}
	}
}

func TestItemsQueuedDuringAFlushGoIntoTheNextBatch(t *testing.T) {
	f := newGated()
	g, queued := counted(0, f.flush)
	out := make(chan outcome, 10)
	submit(context.Background(), g, 1, out)
	wait(t, queued, 1)
	if got := recv(t, f.batches); !slices.Equal(got, []int{1}) {
		t.Fatalf("first batch: got %v, want [1]", got)
	}
	for i := 2; i <= 5; i++ {
		submit(context.Background(), g, i, out)
	}
	wait(t, queued, 4) // 2..5 wait behind the batch being flushed
	f.releaseOne(t)
	second := recv(t, f.batches)
	slices.Sort(second)
	if !slices.Equal(second, []int{2, 3, 4, 5}) {
		t.Fatalf("second batch: got %v, want [2 3 4 5]", second)
	}
	f.releaseOne(t)
	checkOutcomes(t, out, 5)
	if len(f.batches) != 0 {
		t.Errorf("an extra batch was flushed: %v", <-f.batches)
	}
}

func TestBatchesRespectTheLimit(t *testing.T) {
	f := newGated()
	g, queued := counted(2, f.flush)
	out := make(chan outcome, 10)
	submit(context.Background(), g, 0, out)
	wait(t, queued, 1)
	recv(t, f.batches)
	for i := 1; i <= 5; i++ {
		submit(context.Background(), g, i, out)
	}
	wait(t, queued, 5)
	f.releaseOne(t)
	var sizes []int
	var seen []int
	for range 3 {
		b := recv(t, f.batches)
		sizes = append(sizes, len(b))
		seen = append(seen, b...)
		f.releaseOne(t)
	}
	slices.Sort(seen)
	if !slices.Equal(sizes, []int{2, 2, 1}) || !slices.Equal(seen, []int{1, 2, 3, 4, 5}) {
		t.Fatalf("batches of sizes %v holding %v, want sizes [2 2 1] holding 1..5 once each", sizes, seen)
	}
	checkOutcomes(t, out, 6)
}

func TestAnIdleGroupFlushesEachItemAlone(t *testing.T) {
	var batches [][]int
	g := New(0, func(items []int) []error {
		batches = append(batches, slices.Clone(items)) // only one flush runs at a time
		return nil
	})
	for i := range 3 {
		if err := g.Submit(context.Background(), i); err != nil {
			t.Fatalf("Submit(%d): %v", i, err)
		}
	}
	// Each Submit returned after its flush: batches is complete and no flush is running.
	if len(batches) != 3 || len(batches[2]) != 1 || batches[2][0] != 2 {
		t.Errorf("batches %v, want [[0] [1] [2]]", batches)
	}
}

func TestAWrongNumberOfResultsFailsEveryItem(t *testing.T) {
	g := New(0, func(items []int) []error { return make([]error, len(items)+1) })
	if err := g.Submit(context.Background(), 1); err == nil {
		t.Error("got nil, want an error for a flush that answered for 2 items out of 1")
	}
}

func TestACancelledCallerReturnsButItsItemIsFlushed(t *testing.T) {
	f := newGated()
	g, queued := counted(0, f.flush)
	out := make(chan outcome, 2)
	submit(context.Background(), g, 2, out)
	wait(t, queued, 1)
	recv(t, f.batches)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := g.Submit(ctx, 4); !errors.Is(err, context.Canceled) {
		t.Fatalf("Submit with a cancelled context: got %v, want context.Canceled", err)
	}
	f.releaseOne(t)
	if got := recv(t, f.batches); !slices.Equal(got, []int{4}) {
		t.Fatalf("second batch: got %v, want the cancelled caller's item [4]", got)
	}
	f.releaseOne(t)
	checkOutcomes(t, out, 1)
}

func TestManyCallersEachGetTheirOwnResult(t *testing.T) {
	const n, limit = 300, 16
	var (
		mu      sync.Mutex
		flushed = map[int]int{}
		biggest int
	)
	g := New(limit, func(items []int) []error {
		mu.Lock()
		defer mu.Unlock()
		biggest = max(biggest, len(items))
		errs := make([]error, len(items))
		for i, it := range items {
			flushed[it]++
			errs[i] = failOdd(it)
		}
		return errs
	})
	out := make(chan outcome, n)
	for i := range n {
		submit(context.Background(), g, i, out)
	}
	checkOutcomes(t, out, n)
	mu.Lock()
	defer mu.Unlock()
	for i := range n {
		if flushed[i] != 1 {
			t.Errorf("item %d flushed %d times, want once", i, flushed[i])
		}
	}
	if biggest > limit {
		t.Errorf("a batch held %d items, want at most %d", biggest, limit)
	}
}

func TestSubmitAllPutsItsItemsInOneBatch(t *testing.T) {
	var batches [][]int
	g := New(0, func(items []int) []error { // only one flush runs at a time
		batches = append(batches, slices.Clone(items))
		errs := make([]error, len(items))
		for i, it := range items {
			errs[i] = failOdd(it)
		}
		return errs
	})
	items := []int{2, 3, 4, 5, 6}
	errs := g.SubmitAll(context.Background(), items)
	if len(batches) != 1 || !slices.Equal(batches[0], items) {
		t.Fatalf("batches %v, want the items in one batch", batches)
	}
	if len(errs) != len(items) {
		t.Fatalf("got %d results, want %d", len(errs), len(items))
	}
	for i, it := range items {
		if want := failOdd(it); fmt.Sprint(errs[i]) != fmt.Sprint(want) {
			t.Errorf("item %d: got %v, want %v", it, errs[i], want)
		}
	}
	if errs := g.SubmitAll(context.Background(), []int{2, 4}); errs != nil {
		t.Errorf("all succeeded: got %v, want nil", errs)
	}
}

func TestSubmitAllRespectsTheLimit(t *testing.T) {
	var sizes []int
	g := New(3, func(items []int) []error {
		sizes = append(sizes, len(items))
		return nil
	})
	if errs := g.SubmitAll(context.Background(), []int{0, 2, 4, 6, 8, 10, 12}); errs != nil {
		t.Fatalf("got %v, want nil", errs)
	}
	if !slices.Equal(sizes, []int{3, 3, 1}) {
		t.Errorf("batch sizes %v, want [3 3 1]", sizes)
	}
}

// With Parallel(2) a second batch is flushed while the first is still being flushed, and a third
// waits for one of them; each caller gets its own outcome.
func TestParallelFlushesTwoBatchesAtOnce(t *testing.T) {
	f := newGated()
	g, queued := counted(0, f.flush)
	g.Parallel(2)
	out := make(chan outcome, 10)
	ctx := context.Background()
	submit(ctx, g, 1, out)
	if got := recv(t, f.batches); !slices.Equal(got, []int{1}) {
		t.Fatalf("first batch %v, want [1]", got)
	}
	submit(ctx, g, 2, out)
	if got := recv(t, f.batches); !slices.Equal(got, []int{2}) {
		t.Fatalf("second batch %v, want [2] while the first is still being flushed", got)
	}
	wait(t, queued, 2)
	submit(ctx, g, 3, out)
	submit(ctx, g, 4, out)
	wait(t, queued, 2)
	select {
	case b := <-f.batches:
		t.Fatalf("batch %v started while two were being flushed", b)
	default:
	}
	f.release <- struct{}{} // one of the two ends; its goroutine takes 3 and 4 together
	if got := recv(t, f.batches); !slices.Equal(slices.Sorted(slices.Values(got)), []int{3, 4}) {
		t.Fatalf("third batch %v, want 3 and 4", got)
	}
	f.release <- struct{}{}
	f.release <- struct{}{}
	for range 4 {
		o := recv(t, out)
		if want := failOdd(o.item); fmt.Sprint(o.err) != fmt.Sprint(want) {
			t.Errorf("item %d: got %v, want %v", o.item, o.err, want)
		}
	}
}
