package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zimmerwald/zimmerwald/api"
	"github.com/zimmerwald/zimmerwald/internal/config"
	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/internal/password"
	"github.com/zimmerwald/zimmerwald/models"
	"github.com/zimmerwald/zimmerwald/models/modelstest"
	"github.com/zimmerwald/zimmerwald/web"
)

// env is the whole product (API and pages, wired as cmd/zimmerwald wires them) on a real
// migrated database, served by a real HTTP server.
type env struct {
	t    testing.TB
	st   *models.Store
	cfg  config.Config
	ts   *httptest.Server
	URL  string
	logs *syncBuffer
	dom  *domain.Service
	// scoped reports the accounts a test gave conference roles of its own; the others work on
	// every conference of the test, as before roles per conference.
	scoped func(accountID string) bool
}

// testPassword is the password of every staff account the tests create.
const testPassword = "correct horse battery staple"

// newEnv starts the product on st. extra overrides configuration variables.
func newEnv(t testing.TB, st *models.Store, extra map[string]string) *env {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	vars := map[string]string{"ZW_BASE_URL": base, "ZW_PUBLIC_RATE_PER_MIN": "1000000", "ZW_PUBLIC_RATE_BURST": "1000000"}
	for k, v := range extra {
		vars[k] = v
	}
	cfg, err := config.FromEnv(func(k string) (string, bool) { v, ok := vars[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	dom := domain.New(domain.Options{Store: st, Config: cfg})
	pages, err := web.New(web.Options{Domain: dom, Store: st, Config: cfg, Logger: log})
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	srv := api.NewServer(api.Options{Domain: dom, Store: st, Config: cfg, Logger: log, Web: pages})
	ts.Config.Handler = srv.Handler()
	ts.Start()
	t.Cleanup(ts.Close)
	return &env{t: t, st: st, cfg: cfg, ts: ts, URL: ts.URL, logs: logs, dom: dom}
}

// sqliteEnv is the product on a fresh SQLite file.
func sqliteEnv(t testing.TB) *env { return newEnv(t, modelstest.SQLite(t), nil) }

// eachDB runs fn on SQLite and, when ZW_TEST_POSTGRES_URL is set, on PostgreSQL.
func eachDB(t *testing.T, fn func(t *testing.T, e *env)) {
	modelstest.Each(t, func(t *testing.T, st *models.Store) { fn(t, newEnv(t, st, nil)) })
}

// page is an answer of the server.
type page struct {
	Code   int
	Header http.Header
	Body   string
	URL    *url.URL // the last URL after redirects
}

// has fails the test unless the page contains every string.
func (p *page) has(t testing.TB, parts ...string) *page {
	t.Helper()
	for _, s := range parts {
		if !strings.Contains(p.Body, s) {
			t.Fatalf("page %s (status %d) lacks %q:\n%s", p.URL, p.Code, s, p.Body)
		}
	}
	return p
}

// lacks fails the test if the page contains any of the strings.
func (p *page) lacks(t testing.TB, parts ...string) *page {
	t.Helper()
	for _, s := range parts {
		if strings.Contains(p.Body, s) {
			t.Fatalf("page %s contains %q", p.URL, s)
		}
	}
	return p
}

// want fails the test unless the page has the status.
func (p *page) want(t testing.TB, status int) *page {
	t.Helper()
	if p.Code != status {
		t.Fatalf("%s: got status %d, want %d:\n%s", p.URL, p.Code, status, p.Body)
	}
	return p
}

// browser is an HTTP client with a cookie jar, like a visitor's browser without JavaScript. It
// follows redirects unless noFollow is set, and sends the Origin header browsers send with forms.
type browser struct {
	e        *env
	c        *http.Client
	noFollow bool
	header   http.Header
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	b := &browser{e: e, header: http.Header{}}
	b.c = &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		if b.noFollow {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	return b
}

func (b *browser) do(req *http.Request) *page {
	b.e.t.Helper()
	for k, v := range b.header {
		req.Header[k] = v
	}
	res, err := b.c.Do(req)
	if err != nil {
		b.e.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return &page{Code: res.StatusCode, Header: res.Header, Body: string(body), URL: res.Request.URL}
}

// get fetches a page.
func (b *browser) get(path string) *page {
	b.e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.e.URL+path, nil)
	return b.do(req)
}

// post submits a form from a page of the same origin.
func (b *browser) post(path string, form url.Values) *page {
	b.e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.e.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.e.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

// cookie returns the browser's cookie of name ("" when it has none).
func (b *browser) cookie(name string) string {
	u, _ := url.Parse(b.e.URL)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// setCookie gives the browser a cookie.
func (b *browser) setCookie(name, value string) {
	u, _ := url.Parse(b.e.URL)
	b.c.Jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
}

// account creates a staff account of role directly in the store and returns its email.
func (e *env) account(role models.StaffRole) string {
	e.t.Helper()
	hash, err := password.Hash(testPassword)
	if err != nil {
		e.t.Fatal(err)
	}
	a := &models.Account{Email: string(role) + "-" + models.NewID()[:8] + "@staff.test", PasswordHash: hash, Role: role}
	if err := e.st.CreateAccount(context.Background(), a); err != nil {
		e.t.Fatal(err)
	}
	modelstest.GrantEverywhere(e.t, e.st, e.scoped)
	return a.Email
}

// staff returns a browser logged in through the staff login page as a new account of role.
func (e *env) staff(role models.StaffRole) *browser {
	e.t.Helper()
	b := e.browser()
	b.post("/staff/login", url.Values{"email": {e.account(role)}, "password": {testPassword}, "next": {"/staff"}}).want(e.t, 200)
	if b.cookie("zw_session") == "" {
		e.t.Fatal("staff login set no session cookie")
	}
	return b
}

// conference creates a conference with registration open now.
func (e *env) conference(langs ...string) *models.Conference {
	e.t.Helper()
	if len(langs) == 0 {
		langs = []string{"en", "ru", "uk", "de", "fr"}
	}
	opens := time.Now().Add(-24 * time.Hour).UTC()
	closes := time.Now().Add(30 * 24 * time.Hour).UTC()
	c := &models.Conference{Slug: "zw-" + models.NewID()[:8], Title: "Peace Conference " + models.NewID()[:4], Acronym: "PC", Timezone: "Europe/Zurich",
		StartsOn: time.Date(2027, 9, 5, 0, 0, 0, 0, time.UTC), EndsOn: time.Date(2027, 9, 8, 0, 0, 0, 0, time.UTC), Venue: "Zimmerwald",
		Languages: models.StringList(langs), RegistrationOpensAt: &opens, RegistrationClosesAt: &closes}
	if err := e.st.CreateConference(context.Background(), c); err != nil {
		e.t.Fatal(err)
	}
	modelstest.GrantEverywhere(e.t, e.st, e.scoped)
	return c
}

// organisation creates a verified organisation in c.
func (e *env) organisation(c *models.Conference, name string, listed bool) *models.Organisation {
	e.t.Helper()
	o := &models.Organisation{ConferenceID: c.ID, Name: name, Country: "CH", Kind: models.OrgUnion, Status: models.OrgVerified, Listed: listed, DelegateQuota: 10}
	if err := e.st.CreateOrganisation(context.Background(), o); err != nil {
		e.t.Fatal(err)
	}
	return o
}

// delegate creates a delegate directly in the store.
func (e *env) delegate(c *models.Conference, o *models.Organisation, name string, status models.DelegateStatus, visibility models.Visibility) *models.Delegate {
	e.t.Helper()
	now := time.Now().UTC()
	d := &models.Delegate{ConferenceID: c.ID, Role: models.RoleDelegate, Status: status, DisplayName: name,
		Email: "d-" + models.NewID()[:8] + "@delegates.test", Languages: models.StringList{"en"}, Attendance: models.AttendInPerson,
		Visibility: visibility, NotifyAnnouncements: true, NotifyAgenda: true, ConsentAt: &now, ConfirmedAt: &now}
	if o != nil {
		d.OrganisationID = &o.ID
	}
	if err := e.st.CreateDelegate(context.Background(), d); err != nil {
		e.t.Fatal(err)
	}
	return d
}

// delegateBrowser returns a browser holding a delegate session for d, as a redeemed link gives.
func (e *env) delegateBrowser(d *models.Delegate) *browser {
	e.t.Helper()
	idle := time.Now().Add(time.Hour)
	secret, err := e.st.IssueToken(context.Background(), &models.AuthToken{Kind: models.TokenDelegateSession, DelegateID: &d.ID,
		ExpiresAt: time.Now().Add(24 * time.Hour), IdleExpiresAt: &idle})
	if err != nil {
		e.t.Fatal(err)
	}
	b := e.browser()
	b.setCookie("zw_session", secret)
	b.setCookie("zw_kind", "delegate")
	return b
}

// mailedLink returns the path and query of the link in the newest outbox message of template
// to address in conference c.
func (e *env) mailedLink(c *models.Conference, template, to string) string {
	e.t.Helper()
	rows, err := e.st.ListOutbox(context.Background(), models.OutboxFilter{ConferenceID: c.ID, Page: models.Page{Limit: models.MaxLimit}})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, r := range rows {
		if r.Template != template || r.To != to {
			continue
		}
		var data struct{ Link string }
		if err := json.Unmarshal(r.Data, &data); err != nil || data.Link == "" {
			e.t.Fatalf("outbox %s: no link in %s", r.ID, r.Data)
		}
		u, err := url.Parse(data.Link)
		if err != nil {
			e.t.Fatal(err)
		}
		if !strings.HasPrefix(data.Link, e.cfg.BaseURL) {
			e.t.Fatalf("link %q is not under the base URL %q", data.Link, e.cfg.BaseURL)
		}
		return u.RequestURI()
	}
	e.t.Fatalf("no %s mail to %s in the outbox (%d rows)", template, to, len(rows))
	return ""
}

// mailed reports whether the outbox of c holds a message of template to address.
func (e *env) mailed(c *models.Conference, template, to string) bool {
	e.t.Helper()
	return e.outboxRow(c, template, to) != nil
}

// outboxRow is the newest outbox message of template to address in c, or nil.
func (e *env) outboxRow(c *models.Conference, template, to string) *models.OutboxMessage {
	e.t.Helper()
	rows, err := e.st.ListOutbox(context.Background(), models.OutboxFilter{ConferenceID: c.ID, Page: models.Page{Limit: models.MaxLimit}})
	if err != nil {
		e.t.Fatal(err)
	}
	for i := range rows {
		if rows[i].Template == template && rows[i].To == to {
			return &rows[i]
		}
	}
	return nil
}

// syncBuffer is a log buffer safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
