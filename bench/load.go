package main

import (
	"io"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// result is what one load run measured.
type result struct {
	N        int
	Elapsed  time.Duration
	Status   map[int]int
	Errors   int // transport errors
	P50, P99 time.Duration
	P90, Max time.Duration
}

// setLatencies sorts the latencies of a run and keeps its percentiles.
func (r *result) setLatencies(lat []time.Duration) {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	n := len(lat)
	r.P50, r.P90, r.P99, r.Max = lat[n/2], lat[n*9/10], lat[n*99/100], lat[n-1]
}

// PerSecond is the throughput of the run.
func (r result) PerSecond() float64 { return float64(r.N) / r.Elapsed.Seconds() }

// ServerErrors counts 5xx answers and transport errors.
func (r result) ServerErrors() int {
	n := r.Errors
	for code, c := range r.Status {
		if code >= 500 {
			n += c
		}
	}
	return n
}

// Unexpected counts transport errors and answers whose status is not want: a page that
// redirects to its login form, or answers 401, is an error, not a fast answer.
func (r result) Unexpected(want int) int {
	n := r.Errors
	for code, c := range r.Status {
		if code != want {
			n += c
		}
	}
	return n
}

// load sends n requests from `clients` concurrent clients (closed loop) and records latencies.
func load(client *http.Client, n, clients int, mk func(i int) *http.Request) result {
	return closedLoop(n, clients, func() (func(int) (int, error), func()) {
		return func(i int) (int, error) {
			resp, err := client.Do(mk(i))
			if err != nil {
				return 0, err
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			return resp.StatusCode, nil
		}, func() {}
	})
}

// closedLoop runs n requests from `clients` concurrent clients, each sending its next request as
// soon as the last one is answered, and records their statuses and latencies. newClient makes a
// client: do sends request i and returns its status (an error is a transport error), and done
// releases what the client holds.
func closedLoop(n, clients int, newClient func() (do func(i int) (int, error), done func())) result {
	lat := make([]time.Duration, n)
	var next atomic.Int64
	var mu sync.Mutex
	res := result{N: n, Status: map[int]int{}}
	var wg sync.WaitGroup
	start := time.Now()
	for range clients {
		wg.Go(func() {
			do, done := newClient()
			defer done()
			local, errs := map[int]int{}, 0
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					break
				}
				t0 := time.Now()
				status, err := do(i)
				lat[i] = time.Since(t0)
				if err != nil {
					errs++
					continue
				}
				local[status]++
			}
			mu.Lock()
			for k, v := range local {
				res.Status[k] += v
			}
			res.Errors += errs
			mu.Unlock()
		})
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	res.setLatencies(lat)
	return res
}

// newClient returns an HTTP client that keeps enough idle connections for `clients`. It never
// follows redirects, so a redirect is counted as what it is rather than as the page it leads to.
func newClient(clients int) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = clients * 2
	t.MaxIdleConnsPerHost = clients * 2
	return &http.Client{Transport: t, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}
