package main

import (
	"bytes"
	"encoding/json"
	"net"
	"os"
	"strings"
	"testing"
	"time"
)

// TestHelpChangesNothing: every form of help prints usage to stdout, exits 0, and touches nothing
// (no data directory, no key, no database): `migrate --help` must not migrate.
func TestHelpChangesNothing(t *testing.T) {
	for _, args := range [][]string{
		{"help"}, {"--help"}, {"-h"}, {"help", "serve"}, {"serve", "--help"}, {"migrate", "--help"}, {"migrate", "-h"},
		{"user", "add", "--help"}, {"import", "--help"}, {"purge", "--help"}, {"backup", "--help"}, {"backup", "decrypt", "-h"},
		{"version", "--help"},
	} {
		dir := t.TempDir()
		var stdout, stderr bytes.Buffer
		cmd := command(dir, map[string]string{"ZW_DATABASE_URL": ""}, args...)
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Errorf("%v: %v\n%s", args, err, stderr.String())
			continue
		}
		if !strings.HasPrefix(stdout.String(), "usage: zimmerwald") {
			t.Errorf("%v: stdout %q, want the usage", args, stdout.String())
		}
		if stderr.Len() != 0 {
			t.Errorf("%v: stderr %q, want nothing", args, stderr.String())
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("%v created %v", args, entries)
		}
	}
}

func TestVersion(t *testing.T) {
	out, err := command(t.TempDir(), nil, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "zimmerwald ") || !strings.HasPrefix(lines[1], "commit ") || !strings.HasPrefix(lines[2], "go") {
		t.Errorf("version: %q", out)
	}
}

// TestServeRefusesATakenAddress: with its address taken, serve fails at once and never says it
// is listening.
func TestServeRefusesATakenAddress(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	dir := t.TempDir()
	var stderr lockedBuffer
	cmd := command(dir, map[string]string{"ZW_ADDR": ln.Addr().String()}, "serve")
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err == nil {
			t.Error("serve on a taken address exited 0")
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatal("serve on a taken address kept running")
	}
	if strings.Contains(stderr.String(), "listening") {
		t.Errorf("logged listening although the bind failed:\n%s", stderr.String())
	}
	if !strings.Contains(stderr.String(), "address already in use") {
		t.Errorf("the error does not say why:\n%s", stderr.String())
	}
}

// TestJSONLogs: with ZW_LOG_FORMAT=json every log line is one JSON object.
func TestJSONLogs(t *testing.T) {
	var stderr bytes.Buffer
	cmd := command(t.TempDir(), map[string]string{"ZW_LOG_FORMAT": "json"}, "migrate")
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("migrate: %v\n%s", err, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	if len(lines) == 0 || lines[0] == "" {
		t.Fatal("no log lines")
	}
	for _, l := range lines {
		var v map[string]any
		if err := json.Unmarshal([]byte(l), &v); err != nil || v["msg"] == nil || v["level"] == nil {
			t.Errorf("not a JSON log line: %q", l)
		}
	}
}
