package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/zimmerwald/zimmerwald/mail/pgptest"
	"github.com/zimmerwald/zimmerwald/models"
)

// TestMePage: a delegate sees and edits their own registration; bad input is re-shown with the
// API's field errors; mail preferences and visibility reach the store.
func TestMePage(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		c := e.conference()
		o := e.organisation(c, "Union", true)
		d := e.delegate(c, o, "Vera", models.DelegateApproved, models.VisibilityOrganisers)
		b := e.delegateBrowser(d)
		p := b.get("/me?lang=en").want(t, 200).has(t, "Vera", d.Email, "Approved", "Withdraw and erase", `value="organisers" checked`)
		if p.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("/me Cache-Control %q", p.Header.Get("Cache-Control"))
		}
		bad := url.Values{"display_name": {"  "}, "languages": {"en"}, "attendance": {"remote"}, "visibility": {"public"}}
		b.post("/me", bad).want(t, http.StatusUnprocessableEntity).has(t, `id="e-display_name"`, `value="public" checked`)
		good := url.Values{"display_name": {"Vera P."}, "country": {"de"}, "languages": {"de", "en"}, "attendance": {"remote"},
			"visibility": {"participants"}, "accessibility_needs": {"quiet room"}, "notify_agenda": {"yes"}}
		b.post("/me", good).want(t, 200).has(t, "Your changes are saved.", "Vera P.")
		got, _ := e.st.Delegate(context.Background(), d.ID)
		if got.DisplayName != "Vera P." || got.Country != "DE" || got.Visibility != "participants" || got.Attendance != "remote" ||
			got.AccessibilityNeeds != "quiet room" || got.NotifyAnnouncements || !got.NotifyAgenda || strings.Join(got.Languages, ",") != "de,en" {
			t.Fatalf("stored after the edit: %+v", got)
		}
		// An OpenPGP key on /me: an invalid one is refused next to the field, a valid one is kept sealed.
		keyed := url.Values{"display_name": {"Vera P."}, "languages": {"de"}, "attendance": {"remote"}, "visibility": {"participants"}, "openpgp_key": {"not a key"}}
		b.post("/me", keyed).want(t, http.StatusUnprocessableEntity).has(t, `id="e-openpgp_key"`, "OpenPGP public key")
		_, public := pgptest.KeyPair(t)
		keyed.Set("openpgp_key", public)
		b.post("/me", keyed).want(t, 200).has(t, "Your changes are saved.", "BEGIN PGP PUBLIC KEY BLOCK")
		if got, _ := e.st.Delegate(context.Background(), d.ID); got.OpenPGPKey != strings.TrimSpace(keyed.Get("openpgp_key")) || len(got.OpenPGPKeySealed) == 0 {
			t.Fatalf("the key was not stored sealed")
		}
		// Nobody without a session sees anything personal.
		e.browser().get("/me").want(t, http.StatusUnauthorized).lacks(t, "Vera")
	})
}

// TestMeExportAndErase: the delegate downloads their data as a file, then withdraws and erases
// it after a confirmation step; the session ends and the record is erased.
func TestMeExportAndErase(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		c := e.conference()
		d := e.delegate(c, nil, "Leaving Soon", models.DelegateSubmitted, models.VisibilityPublic)
		b := e.delegateBrowser(d)
		x := b.get("/me/export").want(t, 200)
		if !strings.HasPrefix(x.Header.Get("Content-Disposition"), "attachment") || x.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("export headers: %v", x.Header)
		}
		var doc struct {
			Delegate struct {
				DisplayName string `json:"display_name"`
				Email       string `json:"email"`
			} `json:"delegate"`
		}
		if err := json.Unmarshal([]byte(x.Body), &doc); err != nil || doc.Delegate.DisplayName != "Leaving Soon" || doc.Delegate.Email != d.Email {
			t.Fatalf("export: %v %+v", err, doc)
		}
		b.get("/me/delete?lang=en").want(t, 200).has(t, "This cannot be undone.")
		b.post("/me/delete", url.Values{}).want(t, http.StatusUnprocessableEntity).has(t, `id="e-confirm"`)
		if got, _ := e.st.Delegate(context.Background(), d.ID); got.ErasedAt != nil {
			t.Fatal("erased without confirmation")
		}
		b.post("/me/delete", url.Values{"confirm": {"yes"}}).want(t, 200).has(t, "Your data is erased")
		if b.cookie("zw_session") != "" {
			t.Fatal("the session cookie survived the erasure")
		}
		got, _ := e.st.Delegate(context.Background(), d.ID)
		if got.ErasedAt == nil || got.Email != "" || got.DisplayName == "Leaving Soon" {
			t.Fatalf("not erased: %+v", got)
		}
	})
}

// TestMeSessionsAndFeed: an approved delegate signs up for a session from the agenda, sees it on
// their page, leaves it again, and gets a personal calendar address.
func TestMeSessionsAndFeed(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		c := e.demo()
		ctx := context.Background()
		var mykola *models.Delegate
		ds, _ := e.st.ListDelegates(ctx, models.DelegateFilter{ConferenceID: c.ID, Page: models.Page{Limit: 50}})
		for i := range ds {
			if ds[i].DisplayName == "Mykola" {
				mykola, _ = e.st.Delegate(ctx, ds[i].ID)
			}
		}
		ss, err := e.st.ListSessions(ctx, models.SessionFilter{ConferenceID: c.ID, Statuses: []models.SessionStatus{models.SessionPublished}})
		if err != nil || len(ss) == 0 {
			t.Fatalf("demo sessions: %v", err)
		}
		var workshop *models.Session
		for i := range ss {
			if strings.HasPrefix(ss[i].Title, "Workshop: digital security") {
				workshop = &ss[i]
			}
		}
		b := e.delegateBrowser(mykola)
		b.get("/c/"+c.Slug+"/agenda?lang=en").want(t, 200).has(t, `action="/c/`+c.Slug+`/agenda/`+workshop.ID+`/attend"`)
		me := b.post("/c/"+c.Slug+"/agenda/"+workshop.ID+"/attend", nil).want(t, 200)
		if me.URL.Path != "/me" {
			t.Fatalf("after signing up: at %s", me.URL.Path)
		}
		me.has(t, "Workshop: digital security for delegates", "14:30–16:00")
		if !e.mailed(c, "session_signup", mykola.Email) {
			t.Fatal("no sign-up mail queued")
		}
		b.post("/me/sessions/"+workshop.ID+"/leave", nil).want(t, 200).lacks(t, "Workshop: digital security for delegates")
		feed := b.post("/me/feed", nil).want(t, 200)
		feed.has(t, e.cfg.BaseURL+"/api/v1/feeds/", "shown only this once")
		// The anonymous public sees no sign-up button.
		e.browser().get("/c/"+c.Slug+"/agenda").want(t, 200).lacks(t, "/attend")
	})
}
