package web_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/models"
)

// TestBrowserContentInEveryLanguage (issue 13), at desktop and phone width with axe-core: an
// organiser gives a session its Ukrainian title and description (and the statement it debates)
// on the session's console page, and after the release the public session page shows them to a Ukrainian reader and
// the default to others; a statement's page lists its languages, switches between them and
// says when the reader's language is missing; the console shows a statement's versions with
// their diffs.
func TestBrowserContentInEveryLanguage(t *testing.T) {
	axe := axeScript(t)
	e := sqliteEnv(t)
	c := e.demo()
	bg := context.Background()
	ss, _ := e.st.ListSessions(bg, models.SessionFilter{ConferenceID: c.ID, Statuses: []models.SessionStatus{models.SessionPublished}})
	views, _, err := e.dom.ListStatements(bg, domain.Anonymous("test", "ip:test"), domain.StatementQuery{Slug: c.Slug, Page: models.Page{Limit: 50}})
	if err != nil || len(ss) == 0 {
		t.Fatalf("demo: %d sessions, %v", len(ss), err)
	}
	i := slices.IndexFunc(views, func(v domain.StatementView) bool { return len(v.Languages) >= 3 })
	if i < 0 {
		t.Fatal("the demo has no public statement with two translations")
	}
	st := views[i]
	missing := ""
	for _, l := range []string{"en", "fr", "de", "uk", "ru"} {
		if !slices.Contains(st.Languages, l) {
			missing = l
			break
		}
	}
	sess := ss[0]
	org := e.staff(models.StaffOrganiser)
	token := e.staffToken(models.StaffOrganiser)
	amended := acceptDemoAmendment(t, e, c, org)

	for _, w := range widths {
		t.Run(w.name, func(t *testing.T) {
			ctx := chrome(t)
			do(t, ctx, viewport(w.width, w.mobile))
			signIn(t, ctx, e, org)
			title, desc := "Відкриття ("+w.name+")", "Про відкриття конференції"
			edit := e.URL + "/staff/c/" + c.Slug + "/sessions/" + sess.ID
			do(t, ctx, chromedp.Navigate(edit+"?lang=uk"), waitFor(`#f-translations`),
				chromedp.Click(css(`#f-translations summary[lang=uk]`)), waitFor(`#title_uk`))
			checkPage(t, ctx, axe, w.name+" session edit", w.width)
			do(t, ctx, chromedp.SetValue(css(`#title_uk`), title), chromedp.SetValue(css(`#description_uk`), desc),
				chromedp.SetValue(css(`#statement_ids`), st.ID))
			submit(t, ctx, chromedp.Click(css(`form[action$="/sessions/`+sess.ID+`"] button[type=submit]`)))
			waitPath(t, ctx, "/staff/c/"+c.Slug+"/agenda")
			got, err := e.st.Session(bg, sess.ID)
			if err != nil || got.Translations["uk"].Title != title || got.Translations["uk"].Description != desc || got.Title != sess.Title {
				t.Fatalf("saved session: %+v, %v", got, err)
			}
			if !slices.Equal(got.StatementIDs, []string{st.ID}) {
				t.Errorf("statements debated: %v, want the one chosen (%s)", got.StatementIDs, st.ID)
			}
			// The form shows the saved translation again, its language open.
			do(t, ctx, chromedp.Navigate(edit+"?lang=en"), waitFor(`#title_uk`))
			if v := value(t, ctx, `#title_uk`); v != title {
				t.Errorf("edit form: title_uk %q, want %q", v, title)
			}
			publishRelease(t, e, token, c.Slug)
			page := e.URL + "/c/" + c.Slug + "/sessions/" + sess.ID
			do(t, ctx, chromedp.Navigate(page+"?lang=uk"), waitFor(`main h1`))
			if h := text(t, ctx, `main h1`); h != title {
				t.Errorf("Ukrainian session page: %q, want %q", h, title)
			}
			checkPage(t, ctx, axe, w.name+" session page uk", w.width)
			do(t, ctx, chromedp.Navigate(page+"?lang=de"), waitFor(`main h1`))
			if h := text(t, ctx, `main h1`); h != sess.Title {
				t.Errorf("German session page: %q, want the default %q", h, sess.Title)
			}

			// The statement: its languages, the switch, the notice for a missing one.
			do(t, ctx, chromedp.Navigate(e.URL+"/statements/"+st.ID+"?lang="+missing), waitFor(`#texts`))
			if !strings.Contains(text(t, ctx, `#untranslated`), "(") {
				t.Errorf("no notice that the statement is not in %s", missing)
			}
			if n := read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#texts a").length`)); n != len(st.Languages) {
				t.Errorf("switch lists %d languages, want %d", n, len(st.Languages))
			}
			checkPage(t, ctx, axe, w.name+" statement untranslated", w.width)
			to := st.Languages[len(st.Languages)-1]
			submit(t, ctx, chromedp.Click(css(`#texts a[hreflang="`+to+`"]`)))
			waitURL(t, ctx, func(u *url.URL) bool { return u.Query().Get("text") == to })
			do(t, ctx, waitFor(`article.statement`))
			if lang := read(t, ctx, chromedp.Evaluate[string](`document.querySelector("article.statement").lang`)); lang != to {
				t.Errorf("after switching to %s the text is in %s", to, lang)
			}
			if cur := read(t, ctx, chromedp.Evaluate[string](`document.querySelector("#texts a[aria-current]").hreflang`)); cur != to {
				t.Errorf("current language marked %q, want %q", cur, to)
			}
			if n := read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#untranslated").length`)); n != 0 {
				t.Error("the missing-language notice stays on a translated text")
			}
			checkPage(t, ctx, axe, w.name+" statement "+to, w.width)

			// The review page's versions, the diff opened, and the statement picked for a session.
			signIn(t, ctx, e, org)
			do(t, ctx, chromedp.Navigate(e.URL+"/staff/c/"+c.Slug+"/statements/"+amended.ID+"?lang=uk"), waitFor(`#v-2 summary`),
				chromedp.Click(css(`#v-2 summary`)), waitFor(`#v-2 pre.diff`))
			checkPage(t, ctx, axe, w.name+" statement versions", w.width)
		})
	}
}

// publishRelease publishes the agenda through the API with an organiser's token.
func publishRelease(t *testing.T, e *env, token, slug string) {
	t.Helper()
	req, _ := http.NewRequest("POST", e.URL+"/api/v1/conferences/"+slug+"/agenda/releases", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("publish release: %d", res.StatusCode)
	}
}
