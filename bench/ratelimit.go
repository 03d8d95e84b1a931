package main

import (
	"bytes"
	"fmt"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/zimmerwald/zimmerwald/internal/ratelimit"
)

// benchRateLimit: the public POST rate with 1,000,000 distinct client keys against 10 keys
// (target: within 10%), measured over HTTP on registrations whose clients are named by
// X-Forwarded-For from a trusted proxy, each run on a fresh server whose public limiter was
// first shown every key once and holds them all (see holdingLimiter). Then the limiter alone,
// in-process from all CPUs at once, and the memory its tables take per key.
func benchRateLimit(scale float64) error {
	keys := max(10, int(1_000_000*scale))
	names := make([]string, keys)
	for i := range names {
		names[i] = "2001:db8::" + strconv.FormatInt(int64(i)*2654435761%(1<<40), 16)
	}
	posts := max(2000, int(20_000*scale))
	few, err := limitedPosts(names[:10], posts)
	if err != nil {
		return err
	}
	many, err := limitedPosts(names, posts)
	if err != nil {
		return err
	}
	fmt.Printf("  public POSTs (registrations), 64 clients: 10 keys %.0f/s (p99 %v); %d keys %.0f/s (p99 %v)\n",
		few.PerSecond(), few.P99, keys, many.PerSecond(), many.P99)

	perRun := max(200_000, keys)
	// Both runs read their keys from `keys` separately allocated strings in the same order, so
	// that they differ only in how many distinct clients the limiter sees.
	run := func(distinct int) (float64, time.Duration) {
		reqs := make([]string, keys)
		for i := range reqs {
			reqs[i] = strings.Clone(names[i%distinct])
		}
		l := holdingLimiter()
		for i := range distinct { // every key seen once before the clock starts
			l.Allow(names[i])
		}
		workers := runtime.GOMAXPROCS(0)
		var wg sync.WaitGroup
		start := time.Now()
		for w := range workers {
			wg.Go(func() {
				for i := w; i < perRun; i += workers {
					l.Allow(reqs[(i*7919)%keys])
				}
			})
		}
		wg.Wait()
		el := time.Since(start)
		return float64(perRun) / el.Seconds(), el / time.Duration(perRun) * time.Duration(workers)
	}
	fewChecks, fewCost := run(10)
	manyChecks, manyCost := run(keys)
	fmt.Printf("  limiter alone: 10 keys %.0f checks/s (%v each); %d keys %.0f checks/s (%v each)\n", fewChecks, fewCost, keys, manyChecks, manyCost)
	l := holdingLimiter()
	for _, n := range names {
		l.Allow(n)
	}
	fmt.Printf("  limiter memory: %.1f bytes a key with %d keys (its tables)\n", float64(l.Footprint())/float64(keys), keys)
	ratio := many.PerSecond() / few.PerSecond()
	verdict(fmt.Sprintf("public POST rate, %d keys", keys), fmt.Sprintf("%.0f%% of the 10-key rate", 100*ratio), "within 10%", ratio >= 0.9)
	verdict(fmt.Sprintf("limiter alone, %d keys vs 10", keys), fmt.Sprintf("%.0f%% of the 10-key rate", 100*manyChecks/fewChecks), "(for information)", true)
	verdict(fmt.Sprintf("public POSTs, %d keys", keys), fmt.Sprint(many.ServerErrors()+many.Unexpected(http.StatusAccepted)), "0 errors", many.Unexpected(http.StatusAccepted) == 0)
	return nil
}

// holdingLimiter allows every request of the run (a burst of 100,000) but keeps each client
// limited for 1,000 minutes after it, so that the limiter holds every key it has seen: with the
// production setting (30 a minute, burst 10) a client is forgotten 2 s after one request.
func holdingLimiter() *ratelimit.Limiter {
	return ratelimit.NewWithCapacity(0.001, 100_000, ratelimit.DefaultMaxKeys)
}

// limitedPosts starts a fresh server, shows its public limiter every one of clients once, and
// sends n registrations from 64 concurrent connections, each as the next of clients in turn.
func limitedPosts(clients []string, n int) (result, error) {
	serverEnv = map[string]string{"ZW_PUBLIC_RATE_PER_MIN": "0.001", "ZW_PUBLIC_RATE_BURST": "100000"} // as holdingLimiter
	defer func() { serverEnv = nil }()
	in, err := startServer()
	if err != nil {
		return result{}, err
	}
	defer in.close()
	for _, c := range clients {
		in.dom.AllowPublic("ip:" + c)
	}
	client := newClient(64)
	path := in.url("/api/v1/conferences/" + in.conf.Slug + "/delegates")
	return load(client, n, 64, func(i int) *http.Request {
		req, _ := http.NewRequest("POST", path, bytes.NewReader(registrationBody(i, in.org.ID)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", clients[(i*7919)%len(clients)])
		return req
	}), nil
}
