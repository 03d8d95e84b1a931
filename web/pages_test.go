package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/zimmerwald/zimmerwald/models"
	"github.com/zimmerwald/zimmerwald/models/modelstest"
	"github.com/zimmerwald/zimmerwald/web"
)

// demo loads the demo conference and returns it.
func (e *env) demo() *models.Conference {
	e.t.Helper()
	ctx := context.Background()
	if _, err := e.st.LoadDemo(ctx); err != nil {
		e.t.Fatal(err)
	}
	c, err := e.st.ConferenceBySlug(ctx, models.DemoSlug)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// inlineHandler matches an inline event handler attribute such as onclick=.
var inlineHandler = regexp.MustCompile(`<[^>]+\son[a-z]+=`)

// uk labels that only the Ukrainian pages show, one per kind of page.
var ukLabels = map[string]string{"nav": "Програма", "register": "Зареєструватися"}

// TestEveryPageInEveryLanguage: for the demo data, every page answers 200 in every language,
// says so in <html lang>, carries the language switcher, and a personal page is never cacheable.
func TestEveryPageInEveryLanguage(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		c := e.demo()
		ctx := context.Background()
		var vera *models.Delegate
		ds, _ := e.st.ListDelegates(ctx, models.DelegateFilter{ConferenceID: c.ID, Page: models.Page{Limit: 50}})
		for i := range ds {
			if ds[i].DisplayName == "Mykola" {
				vera = &ds[i]
			}
		}
		if vera == nil {
			t.Fatal("demo delegate not found")
		}
		staff := e.staff(models.StaffOrganiser)
		me := e.delegateBrowser(vera)
		anon := e.browser()
		slug := c.Slug
		var firstStatement string
		if sts, err := e.st.ListStatements(ctx, models.StatementFilter{ConferenceID: c.ID, Statuses: []models.StatementStatus{models.StatementAccepted, models.StatementAdopted}, Page: models.Page{Limit: 5}}); err == nil && len(sts) > 0 {
			firstStatement = sts[0].ID
		}
		pages := []struct {
			b        *browser
			path     string
			personal bool
		}{
			{anon, "/", false},
			{anon, "/c/" + slug, false},
			{anon, "/c/" + slug + "/register", true},
			{anon, "/c/" + slug + "/register/sent", false},
			{anon, "/c/" + slug + "/login", true},
			{anon, "/c/" + slug + "/login/sent", false},
			{anon, "/c/" + slug + "/agenda", false},
			{anon, "/c/" + slug + "/agenda?tz=Asia/Tokyo", false},
			{anon, "/c/" + slug + "/participants", false},
			{anon, "/c/" + slug + "/statements", false},
			{anon, "/confirm?token=abc", true},
			{anon, "/login?token=abc", true},
			{anon, "/staff/login", true},
			{anon, "/setup?token=abc", true},
			{me, "/me", true},
			{me, "/me/delete", true},
			{staff, "/staff", true},
			{staff, "/staff/c/" + slug, true},
			{staff, "/staff/c/" + slug + "/registrations", true},
			{staff, "/staff/c/" + slug + "/registrations?status=approved", true},
			{staff, "/staff/c/" + slug + "/agenda", true},
			{staff, "/staff/c/" + slug + "/statements", true},
			{staff, "/staff/c/" + slug + "/announcements", true},
			{staff, "/staff/c/" + slug + "/outbox", true},
		}
		if firstStatement != "" {
			pages = append(pages, struct {
				b        *browser
				path     string
				personal bool
			}{anon, "/statements/" + firstStatement, false})
		}
		for _, lang := range web.Languages {
			for _, pg := range pages {
				sep := "?"
				if strings.Contains(pg.path, "?") {
					sep = "&"
				}
				p := pg.b.get(pg.path + sep + "lang=" + lang)
				if p.Code != http.StatusOK {
					t.Errorf("%s in %s: got %d, want 200:\n%.600s", pg.path, lang, p.Code, p.Body)
					continue
				}
				if !strings.Contains(p.Body, `<html lang="`+lang+`">`) || !strings.Contains(p.Body, `hreflang="uk"`) {
					t.Errorf("%s in %s: no <html lang> or language switcher", pg.path, lang)
				}
				// The CSP forbids inline scripts and styles: the pages must not need them.
				if strings.Contains(p.Body, " style=") || strings.Contains(p.Body, "<script>") || strings.Contains(p.Body, " on") && inlineHandler.MatchString(p.Body) ||
					!strings.Contains(p.Header.Get("Content-Security-Policy"), "script-src 'self'") {
					t.Errorf("%s: inline script or style, or no CSP", pg.path)
				}
				if cc := p.Header.Get("Cache-Control"); pg.personal && cc != "no-store" {
					t.Errorf("%s: Cache-Control %q, want no-store", pg.path, cc)
				}
				if lang == "uk" && !strings.Contains(p.Body, "Конференції") && !strings.Contains(p.Body, ukLabels["nav"]) && !strings.Contains(p.Body, "Організаторам") {
					t.Errorf("%s in uk shows no Ukrainian label", pg.path)
				}
			}
		}
		if strings.Contains(e.logs.String(), "render page") {
			t.Fatalf("a template failed while rendering:\n%s", e.logs.String())
		}
	})
}

// TestPublicPagesHidePrivateDelegates: the participants page of the demo shows only approved,
// public delegates, and names no organisation that is not listed.
func TestPublicPagesHidePrivateDelegates(t *testing.T) {
	e := sqliteEnv(t)
	c := e.demo()
	p := e.browser().get("/c/"+c.Slug+"/participants").want(t, 200)
	p.has(t, "Anna K.", "Mykola", "Jean-Marc")
	p.lacks(t, "Comrade Vera", "Oksana P.", "Lea", "Observer 7", "Feminist Anti-War Resistance", "@example.org")
	home := e.browser().get("/c/"+c.Slug).want(t, 200)
	home.has(t, "Sotsialnyi Rukh", "5 September 2027").lacks(t, "Feminist Anti-War Resistance")
}

// TestCrossOriginPostRefused: a form posted from another site is refused with 403 and changes
// nothing, while the same form from the site itself goes through.
func TestCrossOriginPostRefused(t *testing.T) {
	e := sqliteEnv(t)
	c := e.conference()
	o := e.organisation(c, "Union", true)
	form := registrationForm("csrf@example.org", "Csrf", o.ID)
	for name, set := range map[string]func(*http.Request){
		"Origin of another site":        func(r *http.Request) { r.Header.Set("Origin", "https://evil.example") },
		"Sec-Fetch-Site cross-site":     func(r *http.Request) { r.Header.Set("Sec-Fetch-Site", "cross-site") },
		"Sec-Fetch-Site same-site":      func(r *http.Request) { r.Header.Set("Sec-Fetch-Site", "same-site") },
		"null Origin (sandboxed frame)": func(r *http.Request) { r.Header.Set("Origin", "null") },
	} {
		for _, path := range []string{"/c/" + c.Slug + "/register", "/staff/login", "/logout", "/me/delete"} {
			req, _ := http.NewRequest(http.MethodPost, e.URL+path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			set(req)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "sent from another site") {
				t.Errorf("%s to %s: got %d, want 403 with an explanation", name, path, res.StatusCode)
			}
		}
	}
	if n, _ := e.st.CountDelegates(context.Background(), models.DelegateFilter{ConferenceID: c.ID}); n != 0 {
		t.Fatalf("a cross-origin post registered %d delegates", n)
	}
	e.browser().post("/c/"+c.Slug+"/register", form).want(t, 200).has(t, "Check your mail")
}

// TestSessionCookie: the session cookie is HttpOnly, SameSite=Lax, Path=/, lives as long as the
// API token, is Secure when the product is served over https, and logout deletes it.
func TestSessionCookie(t *testing.T) {
	for _, base := range []string{"", "https://zw.example"} {
		t.Run("base "+base, func(t *testing.T) {
			extra := map[string]string{}
			if base != "" {
				extra["ZW_BASE_URL"] = base
			}
			e := newEnv(t, modelstest.SQLite(t), extra)
			email := e.account(models.StaffOrganiser)
			// Posted without Origin, as a non-browser client would: allowed by the CSRF check.
			req := httptest.NewRequest(http.MethodPost, e.URL+"/staff/login", strings.NewReader(url.Values{"email": {email}, "password": {testPassword}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			res, err := http.DefaultTransport.RoundTrip(toClient(req))
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("login: got %d, want 303", res.StatusCode)
			}
			var session *http.Cookie
			for _, c := range res.Cookies() {
				if c.Name == "zw_session" {
					session = c
				}
			}
			if session == nil || session.Value == "" {
				t.Fatal("no session cookie")
			}
			want := int(e.cfg.SessionMaxAge / time.Second)
			if !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Path != "/" ||
				session.MaxAge < want-60 || session.MaxAge > want || session.Secure != (base != "") {
				t.Fatalf("cookie %+v: want HttpOnly, SameSite=Lax, Path=/, Max-Age ≈ %d, Secure=%v", session, want, base != "")
			}
			out := httptest.NewRequest(http.MethodPost, e.URL+"/logout", nil)
			out.AddCookie(session)
			res, err = http.DefaultTransport.RoundTrip(toClient(out))
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			cleared := false
			for _, c := range res.Cookies() {
				cleared = cleared || c.Name == "zw_session" && c.MaxAge < 0
			}
			if !cleared {
				t.Fatal("logout did not delete the session cookie")
			}
		})
	}
}

// toClient turns a server-side test request into one a client can send.
func toClient(r *http.Request) *http.Request {
	r.RequestURI = ""
	u, _ := url.Parse(r.URL.String())
	r.URL = u
	return r
}

// TestStaffPagesNeedStaff: console pages send visitors without a session to the login page, and
// a delegate session cannot use them.
func TestStaffPagesNeedStaff(t *testing.T) {
	e := sqliteEnv(t)
	c := e.conference()
	d := e.delegate(c, nil, "Someone", models.DelegateApproved, models.VisibilityOrganisers)
	anon := e.browser()
	anon.noFollow = true
	p := anon.get("/staff/c/" + c.Slug + "/registrations")
	if p.Code != http.StatusSeeOther || !strings.HasPrefix(p.Header.Get("Location"), "/staff/login?next=") {
		t.Fatalf("anonymous console visit: got %d to %q, want 303 to the login page", p.Code, p.Header.Get("Location"))
	}
	del := e.delegateBrowser(d)
	del.get("/staff/c/"+c.Slug+"/registrations").want(t, http.StatusForbidden)
	del.post("/staff/c/"+c.Slug+"/registrations/"+d.ID+"/decision", url.Values{"decision": {"approve"}}).want(t, http.StatusForbidden)
	if got, _ := e.st.Delegate(context.Background(), d.ID); got.Status != models.DelegateApproved {
		t.Fatal("a delegate changed a registration")
	}
	// A forged "next" never leaves the console.
	b := e.browser()
	b.noFollow = true
	p = b.post("/staff/login", url.Values{"email": {e.account(models.StaffOrganiser)}, "password": {testPassword}, "next": {"//evil.example/x"}})
	if p.Code != http.StatusSeeOther || p.Header.Get("Location") != "/staff" {
		t.Fatalf("login with a foreign next: got %d to %q, want /staff", p.Code, p.Header.Get("Location"))
	}
	e.browser().post("/staff/login", url.Values{"email": {"who@example.org"}, "password": {"wrong password!"}}).
		want(t, http.StatusUnauthorized).has(t, "Wrong email or password").lacks(t, "wrong password!")
}

// TestUnknownPagesAndBadInput: unknown paths, conferences and IDs answer 404 pages, and no input
// makes a page fail with 500.
func TestUnknownPagesAndBadInput(t *testing.T) {
	e := sqliteEnv(t)
	c := e.conference()
	b := e.browser()
	for _, path := range []string{"/nope", "/c/no-such-conference", "/c/no-such/register", "/statements/" + models.NewID(),
		"/statements/%00", "/c/" + c.Slug + "/nope"} {
		b.get(path).want(t, http.StatusNotFound)
	}
	b.get("/c/"+c.Slug+"/agenda?tz=Not/AZone").want(t, 200).has(t, "Unknown time zone")
	b.get("/c/"+c.Slug+"/participants?cursor=not-a-cursor").want(t, http.StatusBadRequest)
	b.post("/confirm", url.Values{"token": {strings.Repeat("x", 5000)}}).want(t, http.StatusBadRequest)
	b.post("/confirm", url.Values{}).want(t, http.StatusBadRequest)
	b.post("/c/"+c.Slug+"/register", url.Values{"email": {strings.Repeat("a", 70000)}}).want(t, http.StatusBadRequest)
	if p := b.post("/c/"+c.Slug+"/register", url.Values{"display_name": {"\xff\xfe\r\n"}, "consent": {"yes"}, "email": {"x@example.org"}}); p.Code >= 500 {
		t.Fatalf("invalid UTF-8 in a form: got %d", p.Code)
	}
	if strings.Contains(e.logs.String(), "status=500") {
		t.Fatalf("a request ended in 500:\n%s", e.logs.String())
	}
}

// TestSetupFirstAdmin: the one-time setup link creates the first admin, who can then log in to
// the console; the link works once and short passwords are refused.
func TestSetupFirstAdmin(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		secret, err := e.st.IssueToken(ctx, &models.AuthToken{Kind: models.TokenSetup, ExpiresAt: time.Now().Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		b := e.browser()
		b.get("/setup?lang=en&token="+url.QueryEscape(secret)).want(t, 200).has(t, `name="token" value="`+secret+`"`)
		b.post("/setup", url.Values{"token": {secret}, "email": {"admin@example.org"}, "password": {"short"}}).
			want(t, http.StatusUnprocessableEntity).has(t, `id="e-password"`, `value="admin@example.org"`).lacks(t, `value="short"`)
		b.post("/setup", url.Values{"token": {secret}, "email": {"admin@example.org"}, "password": {testPassword}}).want(t, 200)
		if n, _ := e.st.CountAccounts(ctx); n != 1 {
			t.Fatalf("%d accounts after setup, want 1", n)
		}
		b.post("/setup", url.Values{"token": {secret}, "email": {"second@example.org"}, "password": {testPassword}}).want(t, http.StatusForbidden)
		b.post("/staff/login", url.Values{"email": {"admin@example.org"}, "password": {testPassword}}).want(t, 200).has(t, "Organiser console")
	})
}
