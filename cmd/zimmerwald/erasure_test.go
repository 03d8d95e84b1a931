package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"github.com/zimmerwald/zimmerwald/internal/seal"
	"github.com/zimmerwald/zimmerwald/models"
)

// TestErasureLeavesNothingInTheFiles registers a delegate with a real `zimmerwald serve`, erases
// them with DELETE /me, kills the server with SIGKILL as soon as the erasure answered, and scans
// the database main file, WAL and shared-memory file for every erased value: the plain texts, the
// sealed columns and the blind index. None may remain (T7: a forensic read after an erasure).
func TestErasureLeavesNothingInTheFiles(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"ZW_BOOTSTRAP_ADMIN_EMAIL": "admin@example.org", "ZW_BOOTSTRAP_ADMIN_PASSWORD": "a long admin password",
		"ZW_PUBLIC_RATE_PER_MIN": "100000", "ZW_PUBLIC_RATE_BURST": "1000"}
	addr := freeAddr(t)
	env["ZW_ADDR"] = addr
	cmd := command(dir, env, "serve")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	base := "http://" + addr
	waitHealthy(t, base)
	client := &http.Client{Timeout: 20 * time.Second}
	call := func(method, path, token, body string, want int) []byte {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		r, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		var b bytes.Buffer
		b.ReadFrom(r.Body)
		if r.StatusCode != want {
			t.Fatalf("%s %s: got %d, want %d: %s", method, path, r.StatusCode, want, b.String())
		}
		return b.Bytes()
	}
	var tok struct{ Token string }
	json.Unmarshal(call("POST", "/api/v1/auth/login", "", `{"email":"admin@example.org","password":"a long admin password"}`, 200), &tok)
	call("POST", "/api/v1/conferences", tok.Token, `{"slug":"erase","title":"Erasure test","timezone":"Europe/Zurich",
		"starts_on":"2027-09-05","ends_on":"2027-09-08","registration_opens_at":"2020-01-01T00:00:00Z","registration_closes_at":"2099-01-01T00:00:00Z"}`, 201)
	secrets := []string{"erased.person@mail.example", "Ekaterina Secretova-Testname", "needs-interpreting-XQZ-tatar", "ramp-and-quiet-room-QZX", "Pseudonym-Erased-7"}
	call("POST", "/api/v1/conferences/erase/delegates", "", `{"email":"`+secrets[0]+`","legal_name":"`+secrets[1]+`","interpretation_needs":"`+secrets[2]+
		`","accessibility_needs":"`+secrets[3]+`","display_name":"`+secrets[4]+`","role":"observer","country":"RU","consent":true,"needs_visa_letter":true}`, 202)
	for range 20 { // the registration's rows pass through several WAL frames
		call("POST", "/api/v1/conferences/erase/delegates", "", `{"email":"other`+models.NewID()+`@example.org","display_name":"Other","role":"observer","consent":true}`, 202)
	}

	// Open a delegate session for them directly in the database (the mail would carry the link),
	// and note the sealed bytes the files hold for them.
	key, err := os.ReadFile(filepath.Join(dir, "data", "secret.key"))
	if err != nil {
		t.Fatal(err)
	}
	k, err := seal.ParseKey(string(key))
	if err != nil {
		t.Fatal(err)
	}
	box, _ := seal.New(k)
	ctx := context.Background()
	st, err := models.Open(ctx, models.Options{SQLitePath: filepath.Join(dir, "data", "zimmerwald.db")}, box)
	if err != nil {
		t.Fatal(err)
	}
	conf, err := st.ConferenceBySlug(ctx, "erase")
	if err != nil {
		t.Fatal(err)
	}
	d, err := st.DelegateByEmail(ctx, conf.ID, secrets[0])
	if err != nil {
		t.Fatal(err)
	}
	idle := time.Now().Add(time.Hour)
	session, err := st.IssueToken(ctx, &models.AuthToken{Kind: models.TokenDelegateSession, DelegateID: &d.ID, ExpiresAt: idle, IdleExpiresAt: &idle})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	needles := map[string][]byte{}
	for i, s := range secrets {
		needles["plain "+string(rune('0'+i))] = []byte(s)
	}
	raw, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, "data", "zimmerwald.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	cols := []string{"email_sealed", "email_index", "legal_name_sealed", "interpretation_needs_sealed", "accessibility_needs_sealed"}
	for _, c := range cols {
		var v []byte
		if err := raw.QueryRow("SELECT "+c+" FROM delegates WHERE id = ?", d.ID).Scan(&v); err != nil || len(v) < 16 {
			t.Fatalf("%s: %v (%d bytes)", c, err, len(v))
		}
		needles[c] = v[len(v)-16:] // a tail of the ciphertext (or index) is proof enough
	}
	raw.Close()

	call("PATCH", "/api/v1/me", session, `{"accessibility_needs":"`+secrets[3]+` and more"}`, 200) // one more version
	call("DELETE", "/api/v1/me", session, "", 204)
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()

	for _, name := range []string{"zimmerwald.db", "zimmerwald.db-wal", "zimmerwald.db-shm"} {
		b, err := os.ReadFile(filepath.Join(dir, "data", name))
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		for what, n := range needles {
			if bytes.Contains(b, n) {
				t.Errorf("%s still holds the erased %s", name, what)
			}
		}
	}
}

// TestBackupsRotate: `zimmerwald backup` keeps only the newest ZW_BACKUP_KEEP backups, and serve
// with ZW_BACKUP_INTERVAL writes rotating backups on its own.
func TestBackupsRotate(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"ZW_BACKUP_KEEP": "2"}
	backups := func() []string {
		m, _ := filepath.Glob(filepath.Join(dir, "data", "backups", "zimmerwald-*.db.enc"))
		return m
	}
	var written []string
	for range 3 {
		out, err := command(dir, env, "backup").CombinedOutput()
		if err != nil {
			t.Fatalf("backup: %v: %s", err, out)
		}
		written = append(written, filepath.Join(dir, strings.Fields(string(out))[4]))
	}
	got := backups()
	if len(got) != 2 || got[0] != written[1] || got[1] != written[2] {
		t.Fatalf("after 3 backups with keep 2: got %v, want %v", got, written[1:])
	}

	addr := freeAddr(t)
	env["ZW_ADDR"], env["ZW_BACKUP_INTERVAL"] = addr, "100ms"
	var stderr lockedBuffer
	cmd := command(dir, env, "serve")
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	waitHealthy(t, "http://"+addr)
	for i := 0; strings.Count(stderr.String(), "backup written") < 3; i++ {
		if i > 300 {
			t.Fatalf("serve wrote no scheduled backups: %s", stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()
	if got := backups(); len(got) != 2 || got[0] <= written[2] {
		t.Errorf("after scheduled backups: got %v, want the 2 newest", got)
	}
}
