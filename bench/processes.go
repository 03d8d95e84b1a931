package main

import (
	"context"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/zimmerwald/zimmerwald/internal/seal"
	"github.com/zimmerwald/zimmerwald/models"
)

// cluster is n `zimmerwald serve` processes on one fresh PostgreSQL schema, as a deployment
// behind a load balancer runs them.
type cluster struct {
	dir   string
	dbURL string
	drop  func()
	procs []*exec.Cmd
	bases []string
	conf  *models.Conference
	org   *models.Organisation
}

// startCluster builds cmd/zimmerwald, migrates a fresh schema of the -postgres database, seeds
// the bench conference and starts n serve processes on it sharing one data key, each with its
// own data directory and loopback port, and with env added to their environment; it returns
// when all answer /healthz.
func startCluster(n int, env ...string) (*cluster, error) {
	dir, err := os.MkdirTemp("", "zw-cluster")
	if err != nil {
		return nil, err
	}
	c := &cluster{dir: dir}
	bin := filepath.Join(dir, "zimmerwald")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/zimmerwald").CombinedOutput(); err != nil {
		c.close()
		return nil, fmt.Errorf("build (run the bench from the repository root): %v\n%s", err, out)
	}
	dbURL, drop, err := freshSchema(postgresURL)
	if err != nil {
		c.close()
		return nil, err
	}
	c.drop, c.dbURL = drop, dbURL
	key := seal.NewKey()
	box, _ := seal.New(key)
	ctx := context.Background()
	st, err := models.Open(ctx, models.Options{DatabaseURL: dbURL}, box)
	if err != nil {
		c.close()
		return nil, err
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		c.close()
		return nil, err
	}
	if c.conf, c.org, err = seedConference(ctx, st); err != nil {
		c.close()
		return nil, err
	}
	for i := range n {
		port, err := freePort()
		if err != nil {
			c.close()
			return nil, err
		}
		data := filepath.Join(dir, "data"+strconv.Itoa(i))
		cmd := exec.Command(bin, "serve")
		cmd.Env = append(os.Environ(), "ZW_DATABASE_URL="+dbURL, "ZW_SECRET_KEY="+base64.StdEncoding.EncodeToString(key),
			"ZW_ADDR=127.0.0.1:"+strconv.Itoa(port), "ZW_DATA_DIR="+data, "ZW_LOG_LEVEL=error",
			"ZW_PUBLIC_RATE_PER_MIN=100000000", "ZW_PUBLIC_RATE_BURST=100000000")
		cmd.Env = append(cmd.Env, env...)
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			c.close()
			return nil, err
		}
		c.procs = append(c.procs, cmd)
		c.bases = append(c.bases, "http://127.0.0.1:"+strconv.Itoa(port))
	}
	for _, base := range c.bases {
		if err := waitHealthy(base, 60*time.Second); err != nil {
			c.close()
			return nil, err
		}
	}
	return c, nil
}

// freePort returns a loopback port that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// waitHealthy polls base/healthz until it answers 200.
func waitHealthy(base string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("%s did not become healthy within %v", base, limit)
}

// peakRSS returns the peak resident set size of each process, in MB.
func (c *cluster) peakRSS() []float64 {
	var out []float64
	for _, p := range c.procs {
		raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.Process.Pid))
		if err != nil {
			out = append(out, 0)
			continue
		}
		out = append(out, vmHWM(string(raw)))
	}
	return out
}

// cpu returns the CPU time (user and system) the processes have used so far.
func (c *cluster) cpu() time.Duration {
	var total time.Duration
	for _, p := range c.procs {
		cpu, _ := processCPU(p.Process.Pid)
		total += cpu
	}
	return total
}

// processCPU reads the CPU time (user and system) process pid has used so far from /proc.
func processCPU(pid int) (time.Duration, bool) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	// Fields after the command name, which is in parentheses: state is field 3, utime 14, stime 15.
	fields := strings.Fields(string(raw[strings.LastIndexByte(string(raw), ')')+1:]))
	if len(fields) < 13 {
		return 0, false
	}
	ut, _ := strconv.ParseInt(fields[11], 10, 64)
	st, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(ut+st) * time.Second / 100, true // clock ticks (USER_HZ = 100 on Linux)
}

// close stops the processes (SIGTERM, then SIGKILL after 10 s), drops the schema and removes
// the directory.
func (c *cluster) close() {
	for _, p := range c.procs {
		p.Process.Signal(syscall.SIGTERM)
	}
	for _, p := range c.procs {
		done := make(chan struct{})
		go func() { p.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			p.Process.Kill()
			<-done
		}
	}
	if c.drop != nil {
		c.drop()
	}
	os.RemoveAll(c.dir)
}
