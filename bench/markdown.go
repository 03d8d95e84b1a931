package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/zimmerwald/zimmerwald/internal/markdown"
	"github.com/zimmerwald/zimmerwald/models"
)

// hostileBodies are 100 kB statement bodies built to be slow to render.
func hostileBodies() map[string]string {
	var nested strings.Builder
	for i := 0; nested.Len() < 100_000; i++ {
		nested.WriteString(strings.Repeat("  ", i%400) + "- x\n")
	}
	return map[string]string{
		"quotes":        strings.Repeat(">", 100_000),
		"quoted lines":  strings.Repeat("> ", 50_000),
		"nested lists":  nested.String(),
		"open links":    strings.Repeat("[a](", 25_000),
		"brackets":      strings.Repeat("[", 100_000),
		"emphasis runs": strings.Repeat("*a ", 33_000),
		"code marks":    strings.Repeat("`a", 50_000),
	}
}

// benchMarkdown stores an accepted statement with each hostile 100 kB body on the real server
// (rendered once, when written) and reads each one over HTTP as an anonymous reader, printing the
// read p99 over all reads. As the baseline it times the renderer alone on the same bodies: what
// every read paid on top before Markdown was stored rendered.
func benchMarkdown(scale float64) error {
	rounds := max(int(50*scale), 5)
	in, err := startServer()
	if err != nil {
		return err
	}
	defer in.close()
	ctx := context.Background()
	var reads, renders []time.Duration
	var write time.Duration
	for name, body := range hostileBodies() {
		st := &models.Statement{ConferenceID: in.conf.ID, OrganisationID: in.org.ID, Title: name, Body: body,
			Language: "en", Status: models.StatementAccepted}
		t0 := time.Now()
		if err := in.store.CreateStatement(ctx, st); err != nil {
			return err
		}
		write = max(write, time.Since(t0))
		var lat []time.Duration
		for range rounds {
			t0 := time.Now()
			resp, err := http.Get(in.url("/api/v1/statements/" + st.ID))
			if err != nil {
				return err
			}
			n, _ := io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || n < 1000 {
				return fmt.Errorf("%s: read answered %d with %d bytes", name, resp.StatusCode, n)
			}
			lat = append(lat, time.Since(t0))
			t0 = time.Now()
			markdown.Render(body)
			renders = append(renders, time.Since(t0))
		}
		slices.Sort(lat)
		fmt.Printf("  %-14s read p50 %v, max %v\n", name, lat[len(lat)/2].Round(10*time.Microsecond), lat[len(lat)-1].Round(10*time.Microsecond))
		reads = append(reads, lat...)
	}
	p99 := func(d []time.Duration) time.Duration { slices.Sort(d); return d[len(d)*99/100] }
	r, b := p99(reads), p99(renders)
	fmt.Printf("  baseline: rendering on every read added p99 %v per read; the slowest write (render + insert) took %v\n",
		b.Round(100*time.Microsecond), write.Round(100*time.Microsecond))
	verdict("hostile 100 kB body, read p99", r.Round(100*time.Microsecond).String(), "≤ 20ms", r <= 20*time.Millisecond)
	return nil
}
