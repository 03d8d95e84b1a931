package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/zimmerwald/zimmerwald/models"
)

// sessionBlock returns the HTML of one session of the agenda page (from its title to the next
// session).
func sessionBlock(t *testing.T, p *page, title string) string {
	t.Helper()
	i := strings.Index(p.Body, "<strong>"+title) // in the list, not the timetable
	if i < 0 {
		t.Fatalf("agenda lacks %q", title)
	}
	start := strings.LastIndex(p.Body[:i], `<li class="session`)
	end := strings.Index(p.Body[i:], "</li>")
	return p.Body[start : i+end]
}

// TestAgendaInReaderTimeZone: the demo agenda shows days and rooms in the conference's time zone
// by default; ?tz= converts every time on the server and is remembered in a cookie; people who
// are not public are never named.
func TestAgendaInReaderTimeZone(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		c := e.demo()
		b := e.browser()
		p := b.get("/c/"+c.Slug+"/agenda?lang=en").want(t, 200)
		p.has(t, "Agenda release 1", "All times in Zurich (UTC&#43;0", "Sunday, 5 September 2027", "Main hall", "Small hall",
			"/c/"+c.Slug+"/agenda.ics", "/c/"+c.Slug+"/schedule.xml")
		p.lacks(t, "Comrade Vera", "Reserve: youth meeting", "Lea")
		for path, kind := range map[string]string{"/agenda.ics": "BEGIN:VCALENDAR", "/schedule.xml": "<schedule", "/schedule.json": `"schedule"`} {
			b.get("/c/"+c.Slug+path).want(t, 200).has(t, kind) // the links the page offers work
		}
		opening := sessionBlock(t, p, "Opening plenary")
		if !strings.Contains(opening, ">18:00</time>–<time") || !strings.Contains(opening, ">19:30</time>") {
			t.Fatalf("opening plenary not at 18:00–19:30 Zurich time:\n%s", opening)
		}
		if !strings.Contains(opening, "Anna K.") || !strings.Contains(opening, "Mykola") {
			t.Fatalf("public speakers not named:\n%s", opening)
		}
		p = b.get("/c/"+c.Slug+"/agenda?tz=Asia/Tokyo").want(t, 200)
		p.has(t, "All times in Tokyo (UTC&#43;09:00)", "Monday, 6 September 2027")
		if opening := sessionBlock(t, p, "Opening plenary"); !strings.Contains(opening, ">01:00</time>–<time") {
			t.Fatalf("opening plenary not at 01:00 Tokyo time:\n%s", opening)
		}
		if b.cookie("zw_tz") != "Asia/Tokyo" {
			t.Fatalf("time zone cookie %q", b.cookie("zw_tz"))
		}
		again := b.get("/c/"+c.Slug+"/agenda").want(t, 200)
		if opening := sessionBlock(t, again, "Opening plenary"); !strings.Contains(opening, ">01:00</time>") {
			t.Fatal("the chosen time zone was not remembered")
		}
		// Each day holds only what starts on it in the reader's zone: the 18:00 Zurich opening is
		// on the second day in Tokyo.
		day2 := again.Body[strings.Index(again.Body, "Monday, 6 September 2027"):]
		if !strings.Contains(day2[:strings.Index(day2, "</section>")], "Opening plenary") {
			t.Fatal("the opening plenary is not under 6 September in Tokyo time")
		}
	})
}

// TestAgendaBuilder: an organiser adds a session through the builder form (times read in the
// conference's time zone), sees conflicts next to the sessions, gets field errors for bad input,
// edits a session and publishes a release that the public agenda then shows.
func TestAgendaBuilder(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		c := e.demo()
		ctx := context.Background()
		staff := e.staff(models.StaffOrganiser)
		base := "/staff/c/" + c.Slug
		p := staff.get(base+"/agenda?lang=en").want(t, 200)
		// Nothing to publish yet: the changelog preview says so and offers no button (issue 13).
		p.has(t, "Reserve: youth meeting", `id="no-pending"`, "conflict", `class="has-conflict"`).lacks(t, "Publish a release")
		form := url.Values{"title": {"Evening film"}, "kind": {"meeting"}, "status": {"published"}, "room": {"Garden room"},
			"starts_at": {"2027-09-06T20:00"}, "ends_at": {"2027-09-06T21:30"}, "capacity": {"30"}, "languages": {"en", "de"}, "interpretation": {"uk"}}
		staff.post(base+"/sessions", form).want(t, 200).has(t, "Saved.", "Evening film")
		ss, err := e.st.ListSessions(ctx, models.SessionFilter{ConferenceID: c.ID})
		if err != nil {
			t.Fatal(err)
		}
		var film *models.Session
		for i := range ss {
			if ss[i].Title == "Evening film" {
				film = &ss[i]
			}
		}
		if film == nil {
			t.Fatal("the session was not created")
		}
		if want := time.Date(2027, 9, 6, 18, 0, 0, 0, time.UTC); !film.StartsAt.Equal(want) || film.Capacity != 30 || film.RoomName != "Garden room" ||
			strings.Join(film.Interpretation, ",") != "uk" {
			t.Fatalf("created session starts %s (want %s), capacity %d, room %q", film.StartsAt, want, film.Capacity, film.RoomName)
		}
		bad := url.Values{"title": {""}, "kind": {"meeting"}, "starts_at": {"tomorrow"}, "ends_at": {"2027-09-06T21:30"}, "capacity": {"-3"}}
		staff.post(base+"/sessions", bad).want(t, http.StatusUnprocessableEntity).has(t, `id="e-starts_at"`, `id="e-capacity"`)
		backwards := url.Values{"title": {"Backwards"}, "kind": {"meeting"}, "starts_at": {"2027-09-06T21:30"}, "ends_at": {"2027-09-06T20:00"}}
		staff.post(base+"/sessions", backwards).want(t, http.StatusUnprocessableEntity).has(t, `value="Backwards"`)
		edit := staff.get(base+"/sessions/"+film.ID).want(t, 200)
		edit.has(t, `value="Evening film"`, `value="2027-09-06T20:00"`, `value="Garden room"`)
		form.Set("title", "Evening film: Zimmerwald 1915")
		staff.post(base+"/sessions/"+film.ID, form).want(t, 200).has(t, "Evening film: Zimmerwald 1915")
		// The changelog preview lists what the release will announce, before publishing.
		pending := staff.get(base+"/agenda?lang=en").want(t, 200)
		pending.has(t, "What the next release announces", "Publish a release", `<span class="tag">New</span> <strong>Evening film: Zimmerwald 1915</strong>`)
		staff.get(base+"/agenda?lang=uk").has(t, "Що оголосить наступна версія", "Нове")
		staff.get(base + "/agenda?lang=en")
		rel := staff.post(base+"/releases", nil).want(t, 200)
		rel.has(t, "Release 2 is published.")
		e.browser().get("/c/"+c.Slug+"/agenda?lang=en").want(t, 200).has(t, "Agenda release 2", "Evening film: Zimmerwald 1915")
		// Nothing changed since: the API refuses an empty release and the page says why.
		staff.post(base+"/releases", nil).want(t, http.StatusConflict)
	})
}

// TestBrowserAgendaTimeZone: choosing another time zone in the agenda's select shows the
// sessions at the reader's local times, converted by the server.
func TestBrowserAgendaTimeZone(t *testing.T) {
	ctx := chrome(t)
	e := sqliteEnv(t)
	c := e.demo()
	first := `li.session`
	do(t, ctx,
		chromedp.Navigate(e.URL+"/c/"+c.Slug+"/agenda?lang=en"),
		waitFor(first),
	)
	before := text(t, ctx, first+` .when`)
	// Choosing a zone sends the form by itself (site.js); without JavaScript the reader presses
	// "Show", which sends the same GET (TestAgendaInReaderTimeZone).
	do(t, ctx, chromedp.SetValue(css(`#tz`), "America/New_York"))
	waitURL(t, ctx, func(u *url.URL) bool { return u.Query().Get("tz") == "America/New_York" })
	do(t, ctx, waitFor(`#tz-note[data-zone="America/New_York"]`))
	after := text(t, ctx, first+` .when`)
	do(t, ctx, screenshot("agenda-new-york"))
	if before != "18:00–19:30" || after != "12:00–13:30" {
		t.Fatalf("opening plenary: %q in Zurich, %q in New York; want 18:00–19:30 and 12:00–13:30", before, after)
	}
}

// TestBrowserConsoleAgenda takes a screenshot of the agenda builder with its conflicts.
func TestBrowserConsoleAgenda(t *testing.T) {
	ctx := chrome(t)
	e := sqliteEnv(t)
	c := e.demo()
	email := e.account(models.StaffOrganiser)
	do(t, ctx,
		chromedp.Navigate(e.URL+"/staff/login?lang=en&next=/staff/c/"+c.Slug+"/agenda"),
		waitFor(`#password`),
		chromedp.SendKeys(css(`#email`), email),
		chromedp.SendKeys(css(`#password`), testPassword),
	)
	submit(t, ctx, chromedp.Click(css(`main form button[type=submit]`)))
	do(t, ctx, waitFor(`tr.has-conflict`), screenshot("console-agenda"))
	if conflicts := text(t, ctx, `tr.has-conflict ul.conflicts`); conflicts == "" {
		t.Fatal("no conflict shown next to the conflicting session")
	}
}
