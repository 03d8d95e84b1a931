package main

import (
	"cmp"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strings"
)

func main() {
	figure := flag.String("figure", "all", "which figure: all, registration, agenda, pages, fanout, conflicts, ratelimit, votes, live, oracle, markdown")
	scale := flag.Float64("scale", 1, "multiply the work sizes (use 0.1 for a quick look)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	memProfile := flag.String("memprofile", "", "write a profile of the allocations of the whole run to this file")
	flag.StringVar(&postgresURL, "postgres", "", "run the figures on a fresh schema of this PostgreSQL database (postgres://…) instead of SQLite")
	flag.Parse()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	if *memProfile != "" {
		runtime.MemProfileRate = 4096
		defer writeAllocs(*memProfile)
	}
	fmt.Printf("zimmerwald bench — %s/%s, %d CPUs, %s\n\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version())
	figures := []struct {
		name string
		run  func(scale float64) error
	}{
		{"registration", benchRegistration},
		{"agenda", benchAgenda},
		{"pages", benchPages},
		{"fanout", benchFanout},
		{"conflicts", benchConflicts},
		{"ratelimit", benchRateLimit},
		{"votes", benchVotes},
		{"live", benchLive},
		{"oracle", benchOracle},
		{"markdown", benchMarkdown},
	}
	ran := false
	for _, f := range figures {
		if *figure != "all" && *figure != f.name {
			continue
		}
		ran = true
		resetPeakRSS()
		fmt.Printf("## %s\n", f.name)
		if err := f.run(*scale); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", f.name, err)
			pprof.StopCPUProfile()
			os.Exit(1)
		}
		fmt.Println()
	}
	if !ran {
		fmt.Fprintf(os.Stderr, "unknown figure %q\n", *figure)
		os.Exit(2)
	}
}

// median returns the middle of xs (the upper of the two middle ones for an even count).
func median[T cmp.Ordered](xs []T) T {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// verdict prints one figure line with its target.
func verdict(name, value, target string, ok bool) {
	mark := "MET"
	if !ok {
		mark = "MISSED"
	}
	fmt.Printf("  %-34s %-28s target %-22s %s\n", name, value, target, mark)
}

// rssMB reads the process's peak and current resident set size from /proc (Linux).
func rssMB() (peak, now float64) {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, 0
	}
	return vmHWM(string(raw)), statusMB(string(raw), "VmRSS:")
}

// resetPeakRSS returns the memory the earlier figures freed to the kernel and restarts the
// process's peak resident set size, so that each figure's peak is its own in a run of all of
// them (Linux: writing 5 to /proc/PID/clear_refs resets VmHWM).
func resetPeakRSS() {
	debug.FreeOSMemory()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		fmt.Fprintf(os.Stderr, "bench: peak RSS not reset (%v): a figure's peak may include earlier figures'\n", err)
	}
}

// vmHWM is the peak resident set size in MB from the text of /proc/PID/status.
func vmHWM(status string) float64 { return statusMB(status, "VmHWM:") }

// statusMB reads the field (in kB) of /proc/PID/status in MB.
func statusMB(status, field string) float64 {
	for _, line := range strings.Split(status, "\n") {
		if strings.HasPrefix(line, field) {
			var kb float64
			fmt.Sscanf(strings.TrimPrefix(line, field), "%f", &kb)
			return kb / 1024
		}
	}
	return 0
}

// writeAllocs writes the allocation profile of the run so far to path.
func writeAllocs(path string) {
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	defer f.Close()
	pprof.Lookup("allocs").WriteTo(f, 0)
}
