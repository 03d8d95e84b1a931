package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/zimmerwald/zimmerwald/internal/seal"
	"github.com/zimmerwald/zimmerwald/models"
	"github.com/zimmerwald/zimmerwald/models/modelstest"
)

// TestSIGKILLUnderWriteLoseNothing kills the server with SIGKILL at random moments while clients
// register, 50 rounds: every registration that was answered 202 is in the database after restart
// with its confirmation mail, and PRAGMA integrity_check is ok.
func TestSIGKILLUnderWriteLoseNothing(t *testing.T) {
	if testing.Short() {
		modelstest.Require(t, "a run without -short (50 kill rounds)")
	}
	dir := t.TempDir()
	env := map[string]string{"ZW_BOOTSTRAP_ADMIN_EMAIL": "admin@example.org", "ZW_BOOTSTRAP_ADMIN_PASSWORD": "a long admin password",
		"ZW_PUBLIC_RATE_PER_MIN": "100000000", "ZW_PUBLIC_RATE_BURST": "100000000"}
	start := func() (*http.Client, string, func()) {
		addr := freeAddr(t)
		env["ZW_ADDR"] = addr
		cmd := command(dir, env, "serve")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill() }) // never leave a server behind, even on a failure
		base := "http://" + addr
		waitHealthy(t, base)
		return &http.Client{Timeout: 5 * time.Second}, base, func() { cmd.Process.Signal(syscall.SIGKILL); cmd.Wait() }
	}

	// Round 0: create the conference through the API.
	client, base, kill := start()
	var tok struct{ Token string }
	r, err := client.Post(base+"/api/v1/auth/login", "application/json", strings.NewReader(`{"email":"admin@example.org","password":"a long admin password"}`))
	if err != nil {
		t.Fatal(err)
	}
	json.NewDecoder(r.Body).Decode(&tok)
	r.Body.Close()
	req, _ := http.NewRequest("POST", base+"/api/v1/conferences", strings.NewReader(`{"slug":"crash","title":"Crash test","timezone":"Europe/Zurich",
		"starts_on":"2027-09-05","ends_on":"2027-09-08","registration_opens_at":"2020-01-01T00:00:00Z","registration_closes_at":"2099-01-01T00:00:00Z"}`))
	req.Header.Set("Authorization", "Bearer "+tok.Token)
	req.Header.Set("Content-Type", "application/json")
	if r, err = client.Do(req); err != nil || r.StatusCode != 201 {
		t.Fatalf("create conference: %v %v", r, err)
	}
	r.Body.Close()
	kill()

	var mu sync.Mutex
	accepted := []string{}
	rnd := rand.New(rand.NewPCG(1915, 50))
	next := 0
	for round := 1; round <= 50; round++ {
		client, base, kill := start()
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for w := 0; w < 8; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					mu.Lock()
					next++
					email := fmt.Sprintf("r%d-%d@example.org", round, next)
					mu.Unlock()
					body := fmt.Sprintf(`{"email":%q,"display_name":"D","role":"observer","consent":true,"languages":["en"]}`, email)
					resp, err := client.Post(base+"/api/v1/conferences/crash/delegates", "application/json", strings.NewReader(body))
					if err != nil {
						continue // the server died mid-request: no promise was made
					}
					if resp.StatusCode != http.StatusAccepted && resp.StatusCode < 500 {
						var b [300]byte
						n, _ := resp.Body.Read(b[:])
						t.Errorf("round %d: got %d: %s", round, resp.StatusCode, b[:n])
					}
					resp.Body.Close()
					if resp.StatusCode == http.StatusAccepted {
						mu.Lock()
						accepted = append(accepted, email)
						mu.Unlock()
					} else if resp.StatusCode >= 500 {
						t.Errorf("round %d: got %d", round, resp.StatusCode)
					}
				}
			}()
		}
		time.Sleep(time.Duration(20+rnd.IntN(180)) * time.Millisecond)
		kill() // SIGKILL while requests are in flight
		close(stop)
		wg.Wait()
	}
	if len(accepted) < 100 {
		t.Fatalf("only %d registrations accepted in 50 rounds: the load did not run", len(accepted))
	}

	raw, err := os.ReadFile(filepath.Join(dir, "data", "secret.key"))
	if err != nil {
		t.Fatal(err)
	}
	key, _ := seal.ParseKey(string(raw))
	box, _ := seal.New(key)
	ctx := context.Background()
	st, err := models.Open(ctx, models.Options{SQLitePath: filepath.Join(dir, "data", "zimmerwald.db")}, box)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if v, err := st.Pragma(ctx, "integrity_check", false); err != nil || v != "ok" {
		t.Fatalf("integrity_check: got %q, %v", v, err)
	}
	conf, err := st.ConferenceBySlug(ctx, "crash")
	if err != nil {
		t.Fatal(err)
	}
	mails, err := st.ListOutbox(ctx, models.OutboxFilter{ConferenceID: conf.ID, Page: models.Page{Limit: 1 << 30}})
	if err != nil {
		t.Fatal(err)
	}
	mailed := map[string]bool{}
	for _, m := range mails {
		if m.Template == "confirm" {
			mailed[m.To] = true
		}
	}
	lost, unmailed := 0, 0
	for _, email := range accepted {
		if _, err := st.DelegateByEmail(ctx, conf.ID, email); err != nil {
			lost++
		}
		if !mailed[email] {
			unmailed++
		}
	}
	t.Logf("%d registrations answered 202 across 50 kills", len(accepted))
	if lost > 0 || unmailed > 0 {
		t.Errorf("after 50 SIGKILLs: %d of %d accepted registrations lost, %d without their confirmation mail", lost, len(accepted), unmailed)
	}
}
