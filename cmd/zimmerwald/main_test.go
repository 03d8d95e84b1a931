package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "zw-bin")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "zimmerwald")
	out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// command runs the binary in a clean environment with only the given ZW_ variables.
func command(dir string, env map[string]string, args ...string) *exec.Cmd {
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	return cmd
}

func waitHealthy(t *testing.T, base string) {
	t.Helper()
	for i := 0; i < 200; i++ {
		if r, err := http.Get(base + "/readyz"); err == nil {
			r.Body.Close()
			if r.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("server did not become ready")
}

func TestServeEmbeddedDefault(t *testing.T) {
	dir := t.TempDir()
	addr := freeAddr(t)
	var stdout, stderr lockedBuffer
	cmd := command(dir, map[string]string{"ZW_ADDR": addr}, "serve", "--demo")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	base := "http://" + addr
	waitHealthy(t, base)

	key, err := os.Stat(filepath.Join(dir, "data", "secret.key"))
	if err != nil || key.Mode().Perm() != 0o600 {
		t.Errorf("key file: got %v, %v; want mode 0600", key, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "data", "zimmerwald.db")); err != nil {
		t.Errorf("database file: %v", err)
	}
	r, err := http.Get(base + "/api/v1/conferences/zimmerwald-2027")
	if err != nil || r.StatusCode != 200 {
		t.Fatalf("demo conference: got %v, %v", r, err)
	}
	r.Body.Close()
	if !strings.Contains(stdout.String(), "/setup?token=") {
		t.Errorf("stdout lacks the first-admin link: %s", stdout.String())
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v\n%s", err, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no graceful exit within 20s of SIGTERM")
	}
	if !strings.Contains(stderr.String(), "shutting down") {
		t.Errorf("stderr lacks the shutdown line: %s", stderr.String())
	}
}

func TestBootstrapAdminLogsIn(t *testing.T) {
	dir := t.TempDir()
	addr := freeAddr(t)
	env := map[string]string{"ZW_ADDR": addr, "ZW_BOOTSTRAP_ADMIN_EMAIL": "admin@example.org", "ZW_BOOTSTRAP_ADMIN_PASSWORD": "a long admin password"}
	cmd := command(dir, env, "serve")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }()
	base := "http://" + addr
	waitHealthy(t, base)
	body := `{"email":"admin@example.org","password":"a long admin password"}`
	r, err := http.Post(base+"/api/v1/auth/login", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	var tok struct{ Token string }
	json.NewDecoder(r.Body).Decode(&tok)
	if r.StatusCode != 200 || tok.Token == "" {
		t.Fatalf("login: got %d, token %q", r.StatusCode, tok.Token)
	}
}

func TestMigrateAndUserAdd(t *testing.T) {
	dir := t.TempDir()
	out, err := command(dir, nil, "migrate").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "migration version") {
		t.Fatalf("migrate: %v: %s", err, out)
	}
	env := map[string]string{"ZW_NEW_PASSWORD": "another long password"}
	out, err = command(dir, env, "user", "add", "--email", "org@example.org", "--role", "organiser").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "account created") {
		t.Fatalf("user add: %v: %s", err, out)
	}
	out, err = command(dir, env, "user", "add", "--email", "org@example.org", "--role", "organiser").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "exists already") {
		t.Errorf("second user add: got %v: %s; want a refusal", err, out)
	}
	out, err = command(dir, env, "user", "add", "--email", "x@example.org", "--role", "king").CombinedOutput()
	if err == nil {
		t.Errorf("bad role accepted: %s", out)
	}
	if out, err := command(dir, nil, "frobnicate").CombinedOutput(); err == nil || !strings.Contains(string(out), "usage") {
		t.Errorf("unknown command: got %v: %s", err, out)
	}
}

func TestBackupIsEncryptedAndRestores(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"ZW_NEW_PASSWORD": "another long password"}
	if out, err := command(dir, env, "user", "add", "--email", "backup.probe@example.org", "--role", "admin").CombinedOutput(); err != nil {
		t.Fatalf("user add: %v: %s", err, out)
	}
	out, err := command(dir, nil, "backup", "--out", "b.enc").CombinedOutput()
	if err != nil {
		t.Fatalf("backup: %v: %s", err, out)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "b.enc"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte("SQLite format")) || bytes.Contains(raw, []byte("CREATE TABLE")) {
		t.Error("backup is not encrypted")
	}
	if out, err := command(dir, nil, "backup", "decrypt", "--in", "b.enc", "--out", "restored.db").CombinedOutput(); err != nil {
		t.Fatalf("decrypt: %v: %s", err, out)
	}
	db, err := os.ReadFile(filepath.Join(dir, "restored.db"))
	if err != nil || !bytes.HasPrefix(db, []byte("SQLite format 3")) {
		t.Fatalf("restored file is not a SQLite database: %v", err)
	}
	if bytes.Contains(db, []byte("backup.probe")) {
		t.Error("restored database holds the account email in plain text")
	}
	// The restored database works as a data dir with the same key.
	restoredDir := filepath.Join(dir, "restored")
	os.MkdirAll(filepath.Join(restoredDir, "data"), 0o700)
	os.Rename(filepath.Join(dir, "restored.db"), filepath.Join(restoredDir, "data", "zimmerwald.db"))
	key, _ := os.ReadFile(filepath.Join(dir, "data", "secret.key"))
	os.WriteFile(filepath.Join(restoredDir, "data", "secret.key"), key, 0o600)
	out, err = command(restoredDir, env, "user", "add", "--email", "backup.probe@example.org", "--role", "admin").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "exists already") {
		t.Errorf("restored database lacks the account: %v: %s", err, out)
	}
}

func TestPurgeCommand(t *testing.T) {
	dir := t.TempDir()
	addr := freeAddr(t)
	cmd := command(dir, map[string]string{"ZW_ADDR": addr}, "serve", "--demo")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	waitHealthy(t, "http://"+addr)
	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()
	out, err := command(dir, nil, "purge").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "kept") {
		t.Fatalf("purge before retention: %v: %s", err, out)
	}
	out, err = command(dir, nil, "purge", "--conference", "zimmerwald-2027", "--now").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "erased 7 delegates") {
		t.Fatalf("purge now: %v: %s", err, out)
	}
	if out, err := command(dir, nil, "purge", "--conference", "nope", "--now").CombinedOutput(); err == nil {
		t.Errorf("unknown conference accepted: %s", out)
	}
}

// lockedBuffer collects a child process's output while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
