package main

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/zimmerwald/zimmerwald/internal/markdown"
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

// benchMarkdown renders each hostile 100 kB body repeatedly, as a statement read renders it, and
// prints the p99 over all renders.
func benchMarkdown(scale float64) error {
	rounds := max(int(50*scale), 5)
	var all []time.Duration
	for name, body := range hostileBodies() {
		var lat []time.Duration
		for range rounds {
			t0 := time.Now()
			markdown.Render(body)
			lat = append(lat, time.Since(t0))
		}
		slices.Sort(lat)
		fmt.Printf("  %-14s p50 %v, max %v\n", name, lat[len(lat)/2].Round(10*time.Microsecond), lat[len(lat)-1].Round(10*time.Microsecond))
		all = append(all, lat...)
	}
	slices.Sort(all)
	p99 := all[len(all)*99/100]
	verdict("hostile 100 kB body, render p99", p99.Round(100*time.Microsecond).String(), "≤ 20ms", p99 <= 20*time.Millisecond)
	return nil
}
