package api

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zimmerwald/zimmerwald/models"
	"github.com/zimmerwald/zimmerwald/models/modelstest"
)

// A delegate reads, edits, exports and erases their own registration.
func TestMeSelfService(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		c := e.conference()
		o := e.organisation(c, "Union", true, 0)
		b := regBody("self@example.org", "Self", o)
		b["legal_name"], b["needs_visa_letter"], b["accessibility_needs"] = "Samira Selfova", true, "step-free access"
		e.register(c, b).want(t, 202)
		confirm := e.outboxTo(c, "self@example.org", "confirm")
		tok := e.do("POST", "/api/v1/delegates/confirm", "", map[string]string{"token": outboxToken(t, confirm[0])}).want(t, 200).json(t)["token"].(string)
		other := e.delegate(c, o, "Other", models.DelegateApproved, models.VisibilityPublic)

		r := e.do("GET", "/api/v1/me", tok, nil).want(t, 200)
		if r.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("got Cache-Control %q, want no-store", r.Header.Get("Cache-Control"))
		}
		me := r.json(t)
		if me["email"] != "self@example.org" || me["legal_name"] != "Samira Selfova" || me["accessibility_needs"] != "step-free access" || me["status"] != "submitted" {
			t.Errorf("got %v", me)
		}
		if strings.Contains(string(r.Body), other.Email) {
			t.Error("GET /me shows another delegate")
		}
		up := e.do("PATCH", "/api/v1/me", tok, map[string]any{"display_name": "  S.  ", "visibility": "organisers", "languages": []string{"ru"},
			"notify_announcements": false, "interpretation_needs": "ru→en"}).want(t, 200).json(t)
		if up["display_name"] != "S." || up["visibility"] != "organisers" || up["notify_announcements"] != false || up["interpretation_needs"] != "ru→en" {
			t.Errorf("after PATCH: got %v", up)
		}
		for _, bad := range []map[string]any{{"display_name": "A\r\nB"}, {"display_name": ""}, {"visibility": "all"},
			{"languages": []string{}}, {"legal_name": ""}, {"country": "Ukraine"}} {
			if got := e.do("PATCH", "/api/v1/me", tok, bad).Code; got != 422 {
				t.Errorf("PATCH %v: got %d, want 422", bad, got)
			}
		}
		e.do("PATCH", "/api/v1/me", tok, `{"display_name": 1}`).want(t, 400)

		x := e.do("GET", "/api/v1/me/export", tok, nil).want(t, 200)
		if !strings.Contains(x.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("export: got Content-Disposition %q", x.Header.Get("Content-Disposition"))
		}
		ex := x.json(t)
		del := ex["delegate"].(map[string]any)
		if del["email"] != "self@example.org" || del["legal_name"] != "Samira Selfova" || ex["organisation"].(map[string]any)["name"] != "Union" {
			t.Errorf("export: got %s", x.Body)
		}
		if m := ex["mail"].([]any); len(m) != 1 || m[0].(map[string]any)["template"] != "confirm" {
			t.Errorf("export mail: got %v, want the confirmation", ex["mail"])
		}
		if len(ex["sign_in_links_and_sessions"].([]any)) != 2 || strings.Contains(string(x.Body), "token_hash") {
			t.Errorf("export tokens: got %v", ex["sign_in_links_and_sessions"])
		}

		e.do("DELETE", "/api/v1/me", tok, nil).want(t, 204)
		e.do("GET", "/api/v1/me", tok, nil).want(t, 401)
		d, err := e.st.Delegate(ctx, me["id"].(string))
		if err != nil {
			t.Fatal(err)
		}
		if d.ErasedAt == nil || d.Status != models.DelegateCancelled || d.Email != "" || d.EmailSealed != nil || d.EmailIndex != nil ||
			d.LegalNameSealed != nil || d.AccessibilityNeedsSealed != nil || d.InterpretationNeedsSealed != nil || d.DisplayName != models.ErasedName {
			t.Errorf("after erasure: got %+v", d)
		}
		if got := e.outboxTo(c, "self@example.org", ""); len(got) != 0 {
			t.Errorf("got %d queued mails to the erased address, want 0", len(got))
		}
		if n := e.auditCount("delegate.erase", d.ID); n != 1 {
			t.Errorf("got %d erase audit events, want 1", n)
		}
		// The address is free again: registering it creates a new record.
		e.register(c, regBody("self@example.org", "Back again", o)).want(t, 202)
		if got := e.outboxTo(c, "self@example.org", "confirm"); len(got) != 1 {
			t.Errorf("re-registering an erased address: got %d confirmation mails, want 1", len(got))
		}
		if other2, err := e.st.Delegate(ctx, other.ID); err != nil || other2.Email != other.Email {
			t.Errorf("erasing one delegate touched another: %v %v", other2, err)
		}
	})
}

// After a full flow through the API (register, confirm, decide, staff read) the SQLite file and
// its WAL hold no email, legal name or needs in plain text, and neither do the logs.
func TestSealedDataAfterRegistrationFlow(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "zimmerwald.db")
	st, err := models.Open(ctx, models.Options{SQLitePath: path}, modelstest.Box(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, st)
	c := e.conference()
	o := e.organisation(c, "Union", true, 0)
	secrets := []string{"olga.flowprobe@example.org", "Olga Flowprobe Ivanova", "flowprobe ramp needed", "flowprobe interpretation"}
	b := regBody(secrets[0], "Comrade O", o)
	b["legal_name"], b["needs_visa_letter"], b["accessibility_needs"], b["interpretation_needs"] = secrets[1], true, secrets[2], secrets[3]
	e.register(c, b).want(t, 202)
	e.register(c, b).want(t, 202) // the known-address path too
	confirm := e.outboxTo(c, secrets[0], "confirm")
	if len(confirm) != 1 {
		t.Fatalf("got %d confirmation mails, want 1", len(confirm))
	}
	tok := e.do("POST", "/api/v1/delegates/confirm", "", map[string]string{"token": outboxToken(t, confirm[0])}).want(t, 200).json(t)["token"].(string)
	id := e.do("GET", "/api/v1/me", tok, nil).want(t, 200).json(t)["id"].(string)
	org := e.staffToken("organiser")
	e.do("POST", "/api/v1/delegates/"+id+"/decision", org, map[string]string{"decision": "approve", "reason": "welcome"}).want(t, 200)
	e.do("GET", "/api/v1/delegates/"+id, org, nil).want(t, 200)
	e.do("POST", "/api/v1/auth/magic-link", "", map[string]string{"conference": c.Slug, "email": secrets[0]}).want(t, 202)

	probes := append(secrets, "flowprobe", "Flowprobe", "FLOWPROBE")
	check := func(stage string, minFiles int) {
		files, _ := filepath.Glob(path + "*")
		if len(files) < minFiles {
			t.Fatalf("%s: got files %v, want the database and its WAL", stage, files)
		}
		for _, f := range files {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range probes {
				if bytes.Contains(raw, []byte(p)) {
					t.Errorf("%s: %s contains %q in plain text", stage, filepath.Base(f), p)
				}
			}
		}
	}
	check("with the WAL", 2)
	for _, p := range probes {
		if strings.Contains(e.logs.String(), p) {
			t.Errorf("logs contain %q", p)
		}
	}
	st.Close()
	check("after close (checkpointed)", 1)
}
