package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/zimmerwald/zimmerwald/internal/config"
	"github.com/zimmerwald/zimmerwald/internal/outbox"
	"github.com/zimmerwald/zimmerwald/internal/password"
	"github.com/zimmerwald/zimmerwald/mail"
	"github.com/zimmerwald/zimmerwald/mail/smtptest"
	"github.com/zimmerwald/zimmerwald/models"
	"github.com/zimmerwald/zimmerwald/models/modelstest"
)

// testEnv is the real router on a real migrated database, driven through httptest.
type testEnv struct {
	t    testing.TB
	st   *models.Store
	srv  *Server
	cfg  config.Config
	smtp *smtptest.Server
	logs *bytes.Buffer
	// scoped lists the accounts a test gave conference roles of its own (scopedToken): the
	// others work on every conference of the test, as before roles per conference.
	scoped map[string]bool
}

// newEnv builds a server on st with the default configuration and a test base URL.
func newEnv(t testing.TB, st *models.Store) *testEnv {
	t.Helper()
	cfg, err := config.FromEnv(func(k string) (string, bool) {
		if k == "ZW_BASE_URL" {
			return "http://zw.test", true
		}
		if k == "ZW_PUBLIC_RATE_PER_MIN" {
			return "1000000", true
		}
		if k == "ZW_PUBLIC_RATE_BURST" {
			return "1000000", true
		}
		return "", false
	})
	if err != nil {
		t.Fatal(err)
	}
	logs := &bytes.Buffer{}
	e := &testEnv{t: t, st: st, cfg: cfg, logs: logs}
	e.srv = NewServer(Options{Store: st, Config: cfg, Logger: slog.New(slog.NewTextHandler(&syncWriter{w: logs}, nil))})
	return e
}

// sqliteEnv is a server on a fresh SQLite file.
func sqliteEnv(t testing.TB) *testEnv { return newEnv(t, modelstest.SQLite(t)) }

// eachDB runs fn on SQLite and, when ZW_TEST_POSTGRES_URL is set, on PostgreSQL.
func eachDB(t *testing.T, fn func(t *testing.T, e *testEnv)) {
	modelstest.Each(t, func(t *testing.T, st *models.Store) { fn(t, newEnv(t, st)) })
}

// response is a recorded answer.
type response struct {
	Code   int
	Header http.Header
	Body   []byte
}

// json decodes the body into a map (failing the test if it is not JSON).
func (r *response) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v: %s", err, r.Body)
	}
	return m
}

// decode decodes the body into v.
func (r *response) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode body: %v: %s", err, r.Body)
	}
}

// do sends a request with an optional bearer token and body (a string or []byte is sent as is,
// anything else as JSON).
func (e *testEnv) do(method, path, token string, body any) *response {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewBufferString(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(method, path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.RemoteAddr = "192.0.2.10:4242"
	w := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(w, req)
	checkAgainstSpec(e.t, req, w.Code, w.Header(), w.Body.Bytes())
	return &response{Code: w.Code, Header: w.Header(), Body: w.Body.Bytes()}
}

// want fails the test unless the answer has the status.
func (r *response) want(t testing.TB, status int) *response {
	t.Helper()
	if r.Code != status {
		t.Fatalf("got status %d, want %d: %s", r.Code, status, r.Body)
	}
	return r
}

var testPassword = "correct horse battery staple"

// account creates a staff account of role directly in the store.
func (e *testEnv) account(role models.StaffRole) *models.Account {
	e.t.Helper()
	hash, err := password.Hash(testPassword)
	if err != nil {
		e.t.Fatal(err)
	}
	a := &models.Account{Email: string(role) + "-" + models.NewID()[:8] + "@staff.test", PasswordHash: hash, Role: role, CanExport: role == models.StaffAdmin}
	if err := e.st.CreateAccount(context.Background(), a); err != nil {
		e.t.Fatal(err)
	}
	e.grantEverywhere()
	return a
}

// scopedToken creates an account of role that works only on confs (each with role), and logs
// it in through the API.
func (e *testEnv) scopedToken(role models.StaffRole, confs ...*models.Conference) string {
	e.t.Helper()
	hash, err := password.Hash(testPassword)
	if err != nil {
		e.t.Fatal(err)
	}
	a := &models.Account{Email: "scoped-" + models.NewID()[:8] + "@staff.test", PasswordHash: hash, Role: role, CanExport: true}
	if err := e.st.CreateAccount(context.Background(), a); err != nil {
		e.t.Fatal(err)
	}
	if e.scoped == nil {
		e.scoped = map[string]bool{}
	}
	e.scoped[a.ID] = true
	for _, c := range confs {
		if err := e.st.GrantConferenceRole(context.Background(), a.ID, c.ID, role); err != nil {
			e.t.Fatal(err)
		}
	}
	r := e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": a.Email, "password": testPassword}).want(e.t, 200)
	return r.json(e.t)["token"].(string)
}

// grantEverywhere gives the test's organisers and reviewers (but the scoped ones) their role on
// every conference.
func (e *testEnv) grantEverywhere() {
	e.t.Helper()
	modelstest.GrantEverywhere(e.t, e.st, func(id string) bool { return e.scoped[id] })
}

// staffToken creates an account of role and logs it in through the API.
func (e *testEnv) staffToken(role models.StaffRole) string {
	e.t.Helper()
	a := e.account(role)
	r := e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": a.Email, "password": testPassword}).want(e.t, 200)
	return r.json(e.t)["token"].(string)
}

// conference creates a conference with registration open now.
func (e *testEnv) conference() *models.Conference {
	e.t.Helper()
	opens := time.Now().Add(-24 * time.Hour).UTC()
	closes := time.Now().Add(30 * 24 * time.Hour).UTC()
	c := &models.Conference{Slug: "zw-" + models.NewID()[:8], Title: "Test Conference", Acronym: "TC", Timezone: "Europe/Zurich",
		StartsOn: time.Date(2027, 9, 5, 0, 0, 0, 0, time.UTC), EndsOn: time.Date(2027, 9, 8, 0, 0, 0, 0, time.UTC),
		Languages: models.StringList{"en", "ru", "uk", "de", "fr"}, RegistrationOpensAt: &opens, RegistrationClosesAt: &closes}
	if err := e.st.CreateConference(context.Background(), c); err != nil {
		e.t.Fatal(err)
	}
	e.grantEverywhere()
	return c
}

// organisation creates a verified organisation in c.
func (e *testEnv) organisation(c *models.Conference, name string, listed bool, quota int) *models.Organisation {
	e.t.Helper()
	o := &models.Organisation{ConferenceID: c.ID, Name: name, Country: "CH", Kind: models.OrgUnion, Status: models.OrgVerified, Listed: listed, DelegateQuota: quota}
	if err := e.st.CreateOrganisation(context.Background(), o); err != nil {
		e.t.Fatal(err)
	}
	return o
}

// delegate creates a delegate directly in the store with the given status and visibility.
func (e *testEnv) delegate(c *models.Conference, o *models.Organisation, name string, status models.DelegateStatus, visibility models.Visibility) *models.Delegate {
	e.t.Helper()
	now := time.Now().UTC()
	d := &models.Delegate{ConferenceID: c.ID, Role: models.RoleDelegate, Status: status, DisplayName: name,
		Email: "d-" + models.NewID()[:8] + "@delegates.test", Languages: models.StringList{"en"}, Attendance: models.AttendInPerson,
		Visibility: visibility, NotifyAnnouncements: true, NotifyAgenda: true, ConsentAt: &now}
	if o != nil {
		d.OrganisationID = &o.ID
	}
	if err := e.st.CreateDelegate(context.Background(), d); err != nil {
		e.t.Fatal(err)
	}
	return d
}

// delegateToken issues a delegate session token as a verified one-time link would.
func (e *testEnv) delegateToken(d *models.Delegate) string {
	e.t.Helper()
	idle := time.Now().Add(time.Hour)
	secret, err := e.st.IssueToken(context.Background(), &models.AuthToken{Kind: models.TokenDelegateSession, DelegateID: &d.ID, ExpiresAt: time.Now().Add(24 * time.Hour), IdleExpiresAt: &idle})
	if err != nil {
		e.t.Fatal(err)
	}
	return secret
}

// outbox returns the opened outbox rows of a conference, newest first.
func (e *testEnv) outbox(c *models.Conference) []models.OutboxMessage {
	e.t.Helper()
	rows, err := e.st.ListOutbox(context.Background(), models.OutboxFilter{ConferenceID: c.ID, Page: models.Page{Limit: models.MaxLimit}})
	if err != nil {
		e.t.Fatal(err)
	}
	return rows
}

// deliver runs the real mail worker over the outbox until it is empty, sending through a real
// in-process SMTP server, and returns everything that server has received so far.
func (e *testEnv) deliver() []smtptest.Received {
	e.t.Helper()
	if e.smtp == nil {
		e.smtp = smtptest.NewServer(e.t)
	}
	tmpl, err := mail.LoadTemplates()
	if err != nil {
		e.t.Fatal(err)
	}
	sender, err := mail.NewSMTPSender(e.smtp.URL(), slog.New(slog.DiscardHandler))
	if err != nil {
		e.t.Fatal(err)
	}
	defer sender.Close()
	w := mail.NewWorker(outbox.New(e.st, outbox.Options{From: e.cfg.MailFrom}), sender, tmpl, mail.WorkerConfig{From: e.cfg.MailFrom, BackoffFunc: func(int) time.Duration { return 0 }}, slog.New(slog.DiscardHandler))
	for i := 0; i < 1000; i++ {
		n, err := w.RunOnce(context.Background())
		if err != nil {
			e.t.Fatalf("mail worker: %v", err)
		}
		if n == 0 {
			break
		}
	}
	return e.smtp.Messages()
}

// syncWriter makes a buffer safe for concurrent log writes.
type syncWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
