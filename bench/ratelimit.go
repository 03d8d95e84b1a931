package main

import (
	"fmt"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/zimmerwald/zimmerwald/internal/ratelimit"
)

// benchRateLimit: the public limiter's cost per request with 1,000,000 distinct client keys
// against 10 keys, at the production setting (30 per minute, burst 10), from all CPUs at once.
// The limiter is measured in-process: one public POST costs tens of microseconds over HTTP, so
// the ratio here is a bound on what the key count can take off the POST rate.
func benchRateLimit(scale float64) error {
	keys := max(10, int(1_000_000*scale))
	perRun := max(200_000, keys)
	names := make([]string, keys)
	for i := range names {
		names[i] = "2001:db8::" + strconv.FormatInt(int64(i)*2654435761%(1<<40), 16)
	}
	run := func(k int) (float64, time.Duration) {
		l := ratelimit.New(30, 10)
		for i := range k { // every key seen once before the clock starts
			l.Allow(names[i])
		}
		workers := runtime.GOMAXPROCS(0)
		var wg sync.WaitGroup
		start := time.Now()
		for w := range workers {
			wg.Go(func() {
				for i := w; i < perRun; i += workers {
					l.Allow(names[(i*7919)%k])
				}
			})
		}
		wg.Wait()
		el := time.Since(start)
		return float64(perRun) / el.Seconds(), el / time.Duration(perRun) * time.Duration(workers)
	}
	few, fewCost := run(10)
	many, manyCost := run(keys)
	ratio := many / few
	fmt.Printf("  10 keys: %.0f checks/s (%v each); %d keys: %.0f checks/s (%v each)\n", few, fewCost, keys, many, manyCost)
	verdict(fmt.Sprintf("limiter, %d keys vs 10", keys), fmt.Sprintf("%.0f%% of the 10-key rate", 100*ratio), "≥ 90%", ratio >= 0.9)
	extra := (manyCost - fewCost).Seconds()
	post := 50e-6 // a public POST served in 50 µs of CPU, as the registration figure measures
	verdict("public POST rate, estimated", fmt.Sprintf("%.1f%% of the 10-key rate", 100*post/(post+max(extra, 0))), "within 10%", extra <= post/9)
	return nil
}
