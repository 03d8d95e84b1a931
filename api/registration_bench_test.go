package api

import (
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
)

// BenchmarkRegistration drives the public registration through the real router on SQLite
// (WAL, synchronous=FULL) with 64 concurrent clients and reports registrations per second.
// Run: go test -run '^$' -bench Registration -benchtime 10000x ./api/
func BenchmarkRegistration(b *testing.B) {
	e := sqliteEnv(b)
	c := e.conference()
	org := e.organisation(c, "Bench Union", true, 0)
	var n atomic.Int64
	var failed atomic.Int64
	b.SetParallelism(max(1, 64/runtime.GOMAXPROCS(0))) // 64 clients in all
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			if r := e.register(c, regBody(fmt.Sprintf("bench%d@example.org", i), "Bench", org)); r.Code != 202 {
				failed.Add(1)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "registrations/s")
	if failed.Load() > 0 {
		b.Fatalf("%d registrations failed", failed.Load())
	}
}
