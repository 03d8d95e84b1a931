package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/zimmerwald/zimmerwald/models"
)

// registrationForm is a complete registration as the form sends it.
func registrationForm(email, name, orgID string) url.Values {
	return url.Values{
		"email": {email}, "display_name": {name}, "organisation_id": {orgID}, "role": {"delegate"}, "country": {"ua"},
		"languages": {"uk", "en"}, "attendance": {"remote"}, "visibility": {"participants"},
		"interpretation_needs": {"uk → en"}, "accessibility_needs": {"step-free access"},
		"legal_name": {"Olena Kovalenko"}, "needs_visa_letter": {"yes"}, "consent": {"yes"},
	}
}

// TestRegisterConfirmAndMe goes through registration without a browser: the form is accepted
// and answered with the "check your mail" page, the mailed link opens a page that does not yet
// use the token, pressing its button logs the delegate in and lands on their page with their data.
func TestRegisterConfirmAndMe(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		c := e.conference()
		o := e.organisation(c, "Sotsialnyi Rukh", true)
		b := e.browser()
		b.get("/c/"+c.Slug+"/register").want(t, 200).has(t, "Sotsialnyi Rukh", `name="consent"`, `name="legal_name"`)
		email := "olena@example.org"
		sent := b.post("/c/"+c.Slug+"/register", registrationForm(email, "Olena K.", o.ID)).want(t, 200)
		if sent.URL.Path != "/c/"+c.Slug+"/register/sent" {
			t.Fatalf("after registering: got %s, want the sent page", sent.URL.Path)
		}
		sent.has(t, "Check your mail")
		d, err := e.st.DelegateByEmail(context.Background(), c.ID, email)
		if err != nil {
			t.Fatal(err)
		}
		if d.DisplayName != "Olena K." || d.Country != "UA" || d.Attendance != "remote" || d.Visibility != "participants" ||
			!d.NeedsVisaLetter || d.LegalName != "Olena Kovalenko" || d.AccessibilityNeeds != "step-free access" ||
			d.OrganisationID == nil || *d.OrganisationID != o.ID || strings.Join(d.Languages, ",") != "uk,en" {
			t.Fatalf("stored registration does not match the form: %+v", d)
		}
		link := e.mailedLink(c, "confirm", email)
		if !strings.HasPrefix(link, "/confirm?token=") || !strings.HasSuffix(link, "&lang=uk") {
			t.Fatalf("confirmation link %q, want one in the mail's language (uk, the first chosen)", link)
		}
		landing := b.get(link).want(t, 200).has(t, `data-autosubmit`, `name="token"`)
		if landing.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("landing page Cache-Control %q, want no-store", landing.Header.Get("Cache-Control"))
		}
		if d, _ := e.st.Delegate(context.Background(), d.ID); d.Status != models.DelegatePending {
			t.Fatalf("opening the link changed the status to %s before the button was pressed", d.Status)
		}
		token, _ := url.ParseQuery(strings.TrimPrefix(link, "/confirm?"))
		me := b.post("/confirm", url.Values{"token": {token.Get("token")}}).want(t, 200)
		if me.URL.Path != "/me" {
			t.Fatalf("after confirming: got %s, want /me", me.URL.Path)
		}
		me.has(t, "Olena K.", "olena@example.org", "Подано", "step-free access") // the link opened the pages in Ukrainian
		if d, _ := e.st.Delegate(context.Background(), d.ID); d.Status != models.DelegateSubmitted {
			t.Fatalf("after confirming: status %s, want submitted", d.Status)
		}
		if logs := e.logs.String(); strings.Contains(logs, email) || strings.Contains(logs, token.Get("token")) || strings.Contains(logs, "Olena") {
			t.Fatal("the server log holds personal data or a token")
		}
		// The link works once.
		again := e.browser().post("/confirm", url.Values{"token": {token.Get("token")}})
		again.want(t, http.StatusNotFound).has(t, "invalid, used or expired")
	})
}

// TestRegisterSameAnswerForKnownAddress: registering an address that is already registered
// gives the same page as a new one (SECURITY 3).
func TestRegisterSameAnswerForKnownAddress(t *testing.T) {
	e := sqliteEnv(t)
	c := e.conference()
	o := e.organisation(c, "Union", true)
	first := e.browser().post("/c/"+c.Slug+"/register", registrationForm("same@example.org", "A", o.ID)).want(t, 200)
	second := e.browser().post("/c/"+c.Slug+"/register", registrationForm("same@example.org", "B", o.ID)).want(t, 200)
	other := e.browser().post("/c/"+c.Slug+"/register", registrationForm("new@example.org", "C", o.ID)).want(t, 200)
	if first.Body != second.Body || second.Body != other.Body || first.URL.Path != second.URL.Path {
		t.Fatal("the answers for a known and a new address differ")
	}
}

// TestRegisterErrorsKeepInput: bad input re-shows the form with the API's field errors next to
// the fields, status 422, and everything typed kept (but never a password).
func TestRegisterErrorsKeepInput(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		c := e.conference()
		o := e.organisation(c, "Union", true)
		cases := []struct {
			name  string
			edit  func(url.Values)
			field string
			text  string
		}{
			{"no consent", func(f url.Values) { f.Del("consent") }, "consent", "only with your consent"},
			{"bad email", func(f url.Values) { f.Set("email", "not-an-address") }, "email", "Enter one email address"},
			{"bad country", func(f url.Values) { f.Set("country", "U1") }, "country", "two-letter country code"},
			{"visa without name", func(f url.Values) { f.Set("legal_name", "") }, "legal_name", "Needed for a visa letter"},
			{"unknown organisation", func(f url.Values) { f.Set("organisation_id", models.NewID()) }, "organisation_id", "Choose an organisation"},
			{"bad role", func(f url.Values) { f.Set("role", "admin") }, "role", "is not one of the offered choices"},
			{"new organisation without name", func(f url.Values) { f.Set("organisation_id", "new") }, "new_organisation.name", "Please fill this in"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				f := registrationForm("keep@example.org", "Kept Name", o.ID)
				tc.edit(f)
				p := e.browser().post("/c/"+c.Slug+"/register", f).want(t, http.StatusUnprocessableEntity)
				p.has(t, `id="e-`+tc.field+`"`, tc.text, `value="Kept Name"`, "step-free access", `value="remote" checked`)
				if p.Header.Get("Cache-Control") != "no-store" {
					t.Errorf("form with personal input: Cache-Control %q", p.Header.Get("Cache-Control"))
				}
			})
		}
		// The API's messages are shown in the page language when they are known.
		f := registrationForm("keep@example.org", "Kept Name", o.ID)
		f.Del("consent")
		b := e.browser()
		b.setCookie("lang", "uk")
		b.post("/c/"+c.Slug+"/register", f).want(t, http.StatusUnprocessableEntity).
			has(t, `<html lang="uk">`, "ми зберігаємо реєстрацію лише з вашої згоди").lacks(t, "only with your consent")
		if n, _ := e.st.CountDelegates(context.Background(), models.DelegateFilter{ConferenceID: c.ID}); n != 0 {
			t.Fatalf("invalid registrations stored %d delegates", n)
		}
	})
}

// TestLoginLink: asking for a login link answers the same page for a known and an unknown
// address, the mailed link lands on /me, and logging out ends the session at the API.
func TestLoginLink(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		c := e.conference()
		d := e.delegate(c, nil, "Vera", models.DelegateApproved, models.VisibilityOrganisers)
		b := e.browser()
		known := b.post("/c/"+c.Slug+"/login", url.Values{"email": {d.Email}}).want(t, 200)
		unknown := e.browser().post("/c/"+c.Slug+"/login", url.Values{"email": {"nobody@example.org"}}).want(t, 200)
		if known.Body != unknown.Body || known.URL.Path != "/c/"+c.Slug+"/login/sent" {
			t.Fatalf("known and unknown addresses answered differently (%s)", known.URL.Path)
		}
		link := e.mailedLink(c, "login", d.Email)
		if !strings.HasPrefix(link, "/login?token=") {
			t.Fatalf("login link %q", link)
		}
		b.get(link).want(t, 200).has(t, `action="/login"`)
		q, _ := url.ParseQuery(strings.TrimPrefix(link, "/login?"))
		b.post("/login", url.Values{"token": {q.Get("token")}}).want(t, 200).has(t, "Vera")
		token := b.cookie("zw_session")
		b.post("/logout", nil).want(t, 200)
		if b.cookie("zw_session") != "" {
			t.Fatal("logout kept the session cookie")
		}
		stale := e.browser()
		stale.setCookie("zw_session", token)
		stale.get("/me").want(t, http.StatusUnauthorized)
	})
}

// TestRegisterThroughInvitationLink: an organisation that is not listed publicly is absent from
// the form, except for those who open its invitation link; they register into it.
func TestRegisterThroughInvitationLink(t *testing.T) {
	e := sqliteEnv(t)
	c := e.conference()
	hidden := e.organisation(c, "Quiet Resistance Circle", false)
	b := e.browser()
	page := b.get("/c/"+c.Slug+"/register").want(t, 200)
	if strings.Contains(page.Body, "Quiet Resistance Circle") {
		t.Fatal("an unlisted organisation is offered on the open form")
	}
	if strings.Contains(b.get("/c/"+c.Slug+"/register?organisation="+models.NewID()).want(t, 200).Body, "Quiet Resistance") {
		t.Fatal("an unknown ID revealed the organisation")
	}
	b.get("/c/"+c.Slug+"/register?organisation="+hidden.ID).want(t, 200).has(t, "Quiet Resistance Circle", `value="`+hidden.ID+`" selected`)
	b.post("/c/"+c.Slug+"/register", registrationForm("invited@example.org", "Invited", hidden.ID)).want(t, 200).has(t, "Check your mail")
	d, err := e.st.DelegateByEmail(context.Background(), c.ID, "invited@example.org")
	if err != nil || d.OrganisationID == nil || *d.OrganisationID != hidden.ID {
		t.Fatalf("the invited registration is not in the organisation: %+v, %v", d, err)
	}
}
