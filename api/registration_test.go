package api

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zimmerwald/zimmerwald/models"
)

// 1,000 concurrent registrations, 100 of which repeat an address: exactly 900 delegates, 900
// confirmation mails and 100 "already registered" mails; no 5xx; the database is never locked.
func TestRegistrationConcurrentWithRepeats(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		c := e.conference()
		org := e.organisation(c, "Sotsialnyi Rukh", true, 0)
		const total, unique, workers = 1000, 900, 64
		emails := make([]string, 0, total)
		for i := range total {
			emails = append(emails, fmt.Sprintf("reg%03d@example.org", i%unique))
		}
		rand.New(rand.NewPCG(1, 2)).Shuffle(len(emails), func(i, j int) { emails[i], emails[j] = emails[j], emails[i] })
		jobs := make(chan string)
		var mu sync.Mutex
		codes := map[int]int{}
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				for addr := range jobs {
					r := e.register(c, regBody(addr, "Delegate "+addr[:6], org))
					mu.Lock()
					codes[r.Code]++
					mu.Unlock()
				}
			})
		}
		for _, addr := range emails {
			jobs <- addr
		}
		close(jobs)
		wg.Wait()
		if codes[202] != total {
			t.Fatalf("got status counts %v, want %d × 202", codes, total)
		}
		if n := e.countDelegates(c, ""); n != unique {
			t.Errorf("got %d delegates, want %d", n, unique)
		}
		byTemplate := map[string]int{}
		recipients := map[string]int{}
		for _, m := range e.allOutbox(c) {
			byTemplate[m.Template]++
			if m.Template == "confirm" {
				recipients[m.To]++
			}
		}
		if byTemplate["confirm"] != unique || byTemplate["already_registered"] != total-unique || len(byTemplate) != 2 {
			t.Errorf("got outbox %v, want %d confirm and %d already_registered", byTemplate, unique, total-unique)
		}
		if len(recipients) != unique {
			t.Errorf("confirmation mails go to %d addresses, want %d distinct", len(recipients), unique)
		}
		logs := e.logs.String()
		for _, bad := range []string{"locked", "SQLITE_BUSY", "level=ERROR"} {
			if strings.Contains(logs, bad) {
				t.Errorf("logs contain %q", bad)
			}
		}
	})
}

// A known and an unknown address get the same status and body, on registration and sign-in.
func TestRegistrationKnownAndUnknownAnswerAlike(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		c := e.conference()
		org := e.organisation(c, "Union", true, 0)
		first := e.register(c, regBody("olena@example.org", "Olena", org))
		again := e.register(c, regBody("OLENA@example.org ", "Someone else", org))
		other := e.register(c, regBody("new@example.org", "New", org))
		for name, r := range map[string]*response{"first": first, "known": again, "unknown": other} {
			if r.Code != 202 || !bytes.Equal(r.Body, first.Body) {
				t.Errorf("%s: got %d %s, want 202 %s", name, r.Code, r.Body, first.Body)
			}
		}
		if n := e.countDelegates(c, ""); n != 2 {
			t.Errorf("got %d delegates, want 2 (a known address adds none)", n)
		}
		if got := e.outboxTo(c, "olena@example.org", "already_registered"); len(got) != 1 {
			t.Errorf("got %d already_registered mails, want 1", len(got))
		}

		known := e.do("POST", "/api/v1/auth/magic-link", "", map[string]string{"conference": c.Slug, "email": "olena@example.org"})
		unknown := e.do("POST", "/api/v1/auth/magic-link", "", map[string]string{"conference": c.Slug, "email": "nobody@example.org"})
		noConf := e.do("POST", "/api/v1/auth/magic-link", "", map[string]string{"conference": "no-such-conf", "email": "olena@example.org"})
		for name, r := range map[string]*response{"unknown": unknown, "unknown conference": noConf} {
			if r.Code != known.Code || !bytes.Equal(r.Body, known.Body) {
				t.Errorf("magic link, %s: got %d %s, want %d %s", name, r.Code, r.Body, known.Code, known.Body)
			}
		}
		if known.Code != 202 {
			t.Errorf("magic link: got %d, want 202", known.Code)
		}
		if got := e.outboxTo(c, "olena@example.org", "login"); len(got) != 1 {
			t.Errorf("got %d login mails to the known address, want 1", len(got))
		}
		if got := e.outboxTo(c, "nobody@example.org", ""); len(got) != 0 {
			t.Errorf("got %d mails to an unknown address, want 0", len(got))
		}
	})
}

// The confirmation mail reaches a real SMTP server; its link confirms and logs in once, never again.
func TestConfirmationMailLinkWorksOnce(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		c := e.conference()
		org := e.organisation(c, "Union", true, 0)
		e.register(c, regBody("vera@example.org", "Comrade Vera", org)).want(t, 202)
		e.register(c, regBody("other@example.org", "Other Person", org)).want(t, 202)
		msgs := mailsTo(t, e.deliver(), "vera@example.org")
		if len(msgs) != 1 {
			t.Fatalf("got %d mails to vera, want 1", len(msgs))
		}
		m := msgs[0]
		if strings.Contains(m.Text, "Other Person") || strings.Contains(m.Text, "other@example.org") {
			t.Errorf("the mail names another delegate: %s", m.Text)
		}
		if strings.Contains(m.Subject, "Vera") {
			t.Errorf("subject %q names the delegate, want a neutral subject", m.Subject)
		}
		link := linkToken.FindStringSubmatch(m.Text)
		if link == nil || link[1] != "confirm" || !strings.Contains(m.Text, "http://zw.test/confirm?token=") {
			t.Fatalf("no confirmation link in the mail: %s", m.Text)
		}
		r := e.do("POST", "/api/v1/delegates/confirm", "", map[string]string{"token": link[2]}).want(t, 200)
		session := r.json(t)["token"].(string)
		if session == "" || session == link[2] {
			t.Fatalf("got session token %q, want a new secret", session)
		}
		me := e.do("GET", "/api/v1/me", session, nil).want(t, 200).json(t)
		if me["status"] != "submitted" || me["email"] != "vera@example.org" {
			t.Errorf("after confirming: got %v, want status submitted", me)
		}
		e.do("POST", "/api/v1/delegates/confirm", "", map[string]string{"token": link[2]}).want(t, 404)
		e.do("POST", "/api/v1/auth/magic-link/verify", "", map[string]string{"token": link[2]}).want(t, 404)

		// Registering the address again mails a sign-in link (not a second record); it works once.
		e.register(c, regBody("vera@example.org", "Vera again", org)).want(t, 202)
		msgs = mailsTo(t, e.deliver(), "vera@example.org")
		if len(msgs) != 2 {
			t.Fatalf("got %d mails to vera, want 2", len(msgs))
		}
		login := linkToken.FindStringSubmatch(msgs[1].Text)
		if login == nil || login[1] != "login" || !strings.Contains(msgs[1].Text, "Comrade Vera") {
			t.Fatalf("already-registered mail: got %s, want a sign-in link greeting the holder", msgs[1].Text)
		}
		e.do("POST", "/api/v1/delegates/confirm", "", map[string]string{"token": login[2]}).want(t, 404)
		e.do("POST", "/api/v1/auth/magic-link/verify", "", map[string]string{"token": login[2]}).want(t, 200)
		e.do("POST", "/api/v1/auth/magic-link/verify", "", map[string]string{"token": login[2]}).want(t, 404)
	})
}

// A sign-in link confirms a registration that is still pending (the confirmation was lost).
func TestMagicLinkConfirmsPendingRegistration(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		c := e.conference()
		e.register(c, regBody("press@example.org", "Reporter", nil)).want(t, 202)
		e.do("POST", "/api/v1/auth/magic-link", "", map[string]string{"conference": c.Slug, "email": "Press@Example.org"}).want(t, 202)
		logins := e.outboxTo(c, "Press@Example.org", "login")
		if len(logins) != 1 {
			t.Fatalf("got %d login mails, want 1", len(logins))
		}
		r := e.do("POST", "/api/v1/auth/magic-link/verify", "", map[string]string{"token": outboxToken(t, logins[0])}).want(t, 200)
		me := e.do("GET", "/api/v1/me", r.json(t)["token"].(string), nil).want(t, 200).json(t)
		if me["status"] != "submitted" || me["role"] != "observer" {
			t.Errorf("got %v, want a submitted observer", me)
		}
	})
}

// Fields a client must not set change nothing: status, id, role=admin, another organisation.
func TestRegistrationMassAssignment(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		c := e.conference()
		org := e.organisation(c, "Union", true, 0)
		other := e.organisation(c, "Other", true, 0)
		forced := models.NewID()
		b := regBody("mass@example.org", "Mass", org)
		b["status"], b["id"], b["conference_id"], b["confirmed_at"], b["waitlist_seq"] = "approved", forced, models.NewID(), time.Now(), 1
		e.register(c, b).want(t, 202)
		d, err := e.st.DelegateByEmail(context.Background(), c.ID, "mass@example.org")
		if err != nil {
			t.Fatal(err)
		}
		if d.Status != models.DelegatePending || d.ID == forced || d.ConfirmedAt != nil || d.WaitlistSeq != nil || d.ConferenceID != c.ID {
			t.Errorf("got %+v, want a pending delegate with its own ID", d)
		}
		b = regBody("admin@example.org", "Admin", org)
		b["role"] = "admin"
		e.register(c, b).want(t, 422)
		b = regBody("ghost@example.org", "Ghost", org)
		b["organisation_id"] = models.NewID()
		e.register(c, b).want(t, 422)
		if n := e.countDelegates(c, ""); n != 1 {
			t.Errorf("got %d delegates, want 1", n)
		}

		tok := e.delegateToken(d)
		e.do("PATCH", "/api/v1/me", tok, map[string]any{"status": "approved", "role": "press", "organisation_id": other.ID, "id": forced,
			"email": "evil@example.org", "conference_id": models.NewID(), "display_name": "Renamed"}).want(t, 200)
		back, err := e.st.Delegate(context.Background(), d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if back.Status != models.DelegatePending || back.Role != models.RoleDelegate || *back.OrganisationID != org.ID ||
			back.Email != "mass@example.org" || back.ConferenceID != c.ID || back.DisplayName != "Renamed" {
			t.Errorf("after PATCH /me: got %+v, want only the display name changed", back)
		}
	})
}

// Bad input is refused with 4xx problems, never 5xx, and stores nothing.
func TestRegistrationRefusesBadInput(t *testing.T) {
	e := sqliteEnv(t)
	c := e.conference()
	org := e.organisation(c, "Union", true, 0)
	with := func(k string, v any) map[string]any {
		b := regBody("bad@example.org", "Bad", org)
		if v == nil {
			delete(b, k)
		} else {
			b[k] = v
		}
		return b
	}
	closed := e.conference()
	past := time.Now().Add(-time.Hour).UTC()
	closed.RegistrationClosesAt = &past
	if err := e.st.UpdateConference(context.Background(), closed); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		conf   *models.Conference
		body   any
		status int
		field  string
	}{
		{"CRLF in display_name", c, with("display_name", "Olga\r\nBcc: all@example.org"), 422, "display_name"},
		{"LF in display_name", c, with("display_name", "Olga\nX"), 422, "display_name"},
		{"control character", c, with("display_name", "Olga\x07"), 422, "display_name"},
		{"bidi override", c, with("display_name", "Olga\u202e"), 422, "display_name"},
		{"blank display_name", c, with("display_name", "   "), 422, "display_name"},
		{"long display_name", c, with("display_name", strings.Repeat("я", 101)), 422, "display_name"},
		{"CRLF in legal_name", c, with("legal_name", "A\r\nB"), 422, "legal_name"},
		{"no consent", c, with("consent", nil), 422, "consent"},
		{"consent false", c, with("consent", false), 422, "consent"},
		{"no email", c, with("email", nil), 422, "email"},
		{"two addresses", c, with("email", "a@example.org, b@example.org"), 422, "email"},
		{"named address", c, with("email", "Olga <olga@example.org>"), 422, "email"},
		{"CRLF in email", c, with("email", "olga@example.org\r\nBcc: x@example.org"), 422, "email"},
		{"bad role", c, with("role", "admin"), 422, "role"},
		{"bad visibility", c, with("visibility", "everyone"), 422, "visibility"},
		{"bad language", c, with("languages", []string{"<script>"}), 422, "languages"},
		{"bad country", c, with("country", "U1"), 422, "country"},
		{"delegate without organisation", c, with("organisation_id", nil), 422, "organisation_id"},
		{"both organisations", c, with("new_organisation", map[string]any{"name": "X"}), 422, "new_organisation"},
		{"CRLF in new organisation", c, func() any {
			b := with("organisation_id", nil)
			b["new_organisation"] = map[string]any{"name": "A\r\nB", "kind": "union"}
			return b
		}(), 422, "new_organisation.name"},
		{"visa letter without legal name", c, with("needs_visa_letter", true), 422, "legal_name"},
		{"long needs", c, with("accessibility_needs", strings.Repeat("x", 2001)), 422, "accessibility_needs"},
		{"organisation_id not an ID", c, with("organisation_id", "../../etc"), 422, "organisation_id"},
		{"wrong type", c, with("display_name", 5), 400, "display_name"},
		{"languages not a list", c, with("languages", "en"), 400, "languages"},
		{"malformed JSON", c, `{"email":`, 400, ""},
		{"JSON array", c, `[1,2]`, 400, ""},
		{"invalid UTF-8", c, []byte{'{', '"', 'e', '"', ':', '"', 0xff, '"', '}'}, 400, ""},
		{"empty body", c, "", 400, ""},
		{"huge body", c, `{"display_name":"` + strings.Repeat("x", 2<<20) + `"}`, 413, ""},
		{"registration closed", closed, regBody("bad@example.org", "Bad", nil), 409, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.register(tc.conf, tc.body)
			if r.Code != tc.status {
				t.Fatalf("got %d, want %d: %s", r.Code, tc.status, r.Body)
			}
			if tc.field != "" {
				errs, _ := r.json(t)["errors"].(map[string]any)
				if _, ok := errs[tc.field]; !ok {
					t.Errorf("got errors %v, want one for %q", errs, tc.field)
				}
			}
		})
	}
	e.do("POST", "/api/v1/conferences/no-such-conf/delegates", "", regBody("x@example.org", "X", nil)).want(t, 404)
	for _, body := range []any{`{}`, `{"token":""}`, `{"token":"` + strings.Repeat("a", 200) + `"}`, `{"token":5}`, `nope`} {
		for _, path := range []string{"/api/v1/delegates/confirm", "/api/v1/auth/magic-link/verify", "/api/v1/auth/magic-link"} {
			if r := e.do("POST", path, "", body); r.Code >= 500 || r.Code < 400 {
				t.Errorf("POST %s %v: got %d, want 4xx", path, body, r.Code)
			}
		}
	}
	if n := e.countDelegates(c, "") + e.countDelegates(closed, ""); n != 0 {
		t.Errorf("got %d delegates after bad requests, want 0", n)
	}
	if strings.Contains(e.logs.String(), "level=ERROR") {
		t.Errorf("bad input logged errors: %s", e.logs.String())
	}
}

// Proposing a new organisation creates it as proposed and unlisted; a known name links to it.
func TestRegistrationProposesOrganisation(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		c := e.conference()
		b := regBody("new-org@example.org", "Founder", nil)
		b["role"], b["new_organisation"] = "delegate", map[string]any{"name": "Anti-War Collective", "country": "ge", "kind": "collective"}
		e.register(c, b).want(t, 202)
		b = regBody("second@example.org", "Second", nil)
		b["role"], b["new_organisation"] = "delegate", map[string]any{"name": "Anti-War Collective"}
		e.register(c, b).want(t, 202)
		orgs, err := e.st.ListOrganisations(context.Background(), models.OrganisationFilter{ConferenceID: c.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(orgs) != 1 || orgs[0].Status != models.OrgProposed || orgs[0].Listed || orgs[0].Country != "GE" || orgs[0].Kind != "collective" {
			t.Fatalf("got %+v, want one proposed, unlisted organisation", orgs)
		}
		if n, _ := e.st.CountDelegates(context.Background(), models.DelegateFilter{ConferenceID: c.ID, OrganisationID: orgs[0].ID}); n != 2 {
			t.Errorf("got %d delegates of the proposed organisation, want 2", n)
		}
		pub := e.do("GET", "/api/v1/conferences/"+c.Slug+"/organisations", "", nil).want(t, 200)
		if strings.Contains(string(pub.Body), "Anti-War Collective") {
			t.Errorf("a proposed organisation is listed publicly: %s", pub.Body)
		}
	})
}

// Public POSTs are rate-limited per client (429), without storing who the client is.
func TestPublicPostsRateLimited(t *testing.T) {
	e := sqliteEnv(t)
	cfg := e.cfg
	cfg.RegistrationRatePerMin, cfg.RegistrationRateBurst = 1, 2
	e.srv = NewServer(Options{Store: e.st, Config: cfg})
	c := e.conference()
	e.register(c, regBody("r1@example.org", "R1", nil)).want(t, 202)
	e.do("POST", "/api/v1/auth/magic-link", "", map[string]string{"conference": c.Slug, "email": "r1@example.org"}).want(t, 202)
	r := e.register(c, regBody("r2@example.org", "R2", nil)).want(t, 429)
	if r.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	e.do("POST", "/api/v1/delegates/confirm", "", map[string]string{"token": "x"}).want(t, 429)
	if n := e.countDelegates(c, ""); n != 1 {
		t.Errorf("got %d delegates, want 1", n)
	}
}
