package main

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"time"
)

// sample is one timed request and whether its address was registered.
type sample struct {
	d     time.Duration
	known bool
}

// benchOracle: can a stranger tell a registered address from an unknown one by the time the
// answer takes? For sign-in link requests and registrations, n requests for registered addresses
// and n for unknown ones, interleaved at random from one client, are timed; the figure is the
// accuracy of the best single-threshold classifier on one request (50% = no oracle).
func benchOracle(scale float64) error {
	n := max(int(1000*scale), 20)
	in, err := startServer()
	if err != nil {
		return err
	}
	defer in.close()
	client := newClient(1)
	regPath := in.url("/api/v1/conferences/" + in.conf.Slug + "/delegates")
	const holders = 50
	for i := range holders {
		if code, _, err := timedPost(client, regPath, registrationBody(i, in.org.ID)); err != nil || code != http.StatusAccepted {
			return fmt.Errorf("seeding: status %d: %v", code, err)
		}
	}
	rnd := rand.New(rand.NewPCG(1915, 1916))
	order := func() []bool {
		o := make([]bool, 2*n)
		for i := range n {
			o[i] = true
		}
		rnd.Shuffle(len(o), func(i, j int) { o[i], o[j] = o[j], o[i] })
		return o
	}
	fresh := 1_000_000
	run := func(name string, body func(known bool) []byte, path string, want int) error {
		var got []sample
		for _, known := range order() {
			code, d, err := timedPost(client, path, body(known))
			if err != nil || code != want {
				return fmt.Errorf("%s: status %d: %v", name, code, err)
			}
			got = append(got, sample{d, known})
		}
		k, u, acc := classify(got)
		fmt.Printf("  %s: median known %v, unknown %v (%+.1f%%), %d requests each\n", name, k.Round(time.Microsecond), u.Round(time.Microsecond),
			100*(float64(k)-float64(u))/float64(u), n)
		verdict(name+" classifier accuracy", fmt.Sprintf("%.1f%%", 100*acc), "≤ 55%", acc <= 0.55)
		return nil
	}
	err = run("sign-in link", func(known bool) []byte {
		i := rnd.IntN(holders)
		if !known {
			fresh++
			i = fresh
		}
		return fmt.Appendf(nil, `{"conference":%q,"email":"delegate%d@example.org"}`, in.conf.Slug, i)
	}, in.url("/api/v1/auth/magic-link"), http.StatusAccepted)
	if err != nil {
		return err
	}
	return run("registration", func(known bool) []byte {
		i := rnd.IntN(holders)
		if !known {
			fresh++
			i = fresh
		}
		return registrationBody(i, in.org.ID)
	}, regPath, http.StatusAccepted)
}

// timedPost sends one JSON POST and returns its status and how long the answer took.
func timedPost(client *http.Client, url string, body []byte) (int, time.Duration, error) {
	req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	t0 := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return 0, 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, time.Since(t0), nil
}

// classify returns the medians of known and unknown samples and the accuracy of the best
// classifier "known if slower (or faster) than t" over every threshold t.
func classify(s []sample) (known, unknown time.Duration, accuracy float64) {
	slices.SortFunc(s, func(a, b sample) int { return int(a.d - b.d) })
	var ks, us []time.Duration
	for _, x := range s {
		if x.known {
			ks = append(ks, x.d)
		} else {
			us = append(us, x.d)
		}
	}
	// Below the threshold: "unknown". Count how many are right as the threshold moves up.
	right := len(ks) // threshold below everything: all called known
	best := right
	for _, x := range s {
		if x.known {
			right--
		} else {
			right++
		}
		best = max(best, right, len(s)-right)
	}
	return median(ks), median(us), float64(best) / float64(len(s))
}
