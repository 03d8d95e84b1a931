package api

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/zimmerwald/zimmerwald/models"
)

// TestReleaseMailsOnlyThePeopleOfAMovedSession publishes a first release, moves one session and
// publishes again: the second release mails exactly that session's speaker, chair and signed-up
// delegates, once each, in their language, with only their change.
func TestReleaseMailsOnlyThePeopleOfAMovedSession(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		org := e.staffToken("organiser")
		conf := e.conference()
		person := func(name, lang string) *models.Delegate {
			d := e.delegate(conf, nil, name, models.DelegateApproved, models.VisibilityPublic)
			d.Languages = models.StringList{lang}
			if err := e.st.UpdateDelegate(ctx, d); err != nil {
				t.Fatal(err)
			}
			return d
		}
		p1, p3 := person("Speaker One", "en"), person("Speaker Three", "fr")
		speaker, chair := person("Speaker Two", "en"), person("Chair Two", "de")
		attendee, other := person("Lesya", "uk"), person("Other Listener", "en")
		optedOut := person("Quiet Listener", "en")
		optedOut.NotifyAgenda = false
		if err := e.st.UpdateDelegate(ctx, optedOut); err != nil {
			t.Fatal(err)
		}
		s1 := e.addSession(t, org, conf, sessionBody("Plenary on peace", "Hall", 6, 9, p1))["id"].(string)
		b2 := sessionBody("Commission on desertion", "Annex", 6, 11, speaker)
		b2["chair_ids"] = []string{chair.ID}
		s2 := e.addSession(t, org, conf, b2)["id"].(string)
		s3 := e.addSession(t, org, conf, sessionBody("Closing", "Hall", 8, 16, p3))["id"].(string)
		for _, id := range []string{s1, s2, s3} {
			e.publishSession(t, org, id)
		}
		e.do("POST", "/api/v1/sessions/"+s2+"/attendance", e.delegateToken(attendee), nil).want(t, 201)
		e.do("POST", "/api/v1/sessions/"+s2+"/attendance", e.delegateToken(optedOut), nil).want(t, 201)
		e.do("POST", "/api/v1/sessions/"+s1+"/attendance", e.delegateToken(other), nil).want(t, 201)

		first := e.publishRelease(t, org, conf)
		if first["number"] != float64(1) || len(first["changes"].([]any)) != 3 {
			t.Fatalf("first release: got %v, want number 1 with 3 added sessions", first)
		}
		before := e.deliver() // three sign-up mails, then the first release's mails
		counts := mailCounts(t, before)
		for _, d := range []*models.Delegate{p1, p3, speaker, chair} {
			if counts[strings.ToLower(d.Email)] != 1 {
				t.Errorf("first release: %s got %d mails, want 1", d.DisplayName, counts[strings.ToLower(d.Email)])
			}
		}
		if counts[strings.ToLower(attendee.Email)] != 2 || counts[strings.ToLower(optedOut.Email)] != 1 {
			t.Errorf("first release: got %v, want the attendee told and the opted-out attendee not", counts)
		}

		e.do("PATCH", "/api/v1/sessions/"+s2, org, map[string]any{"starts_at": zurichAt(7, 10, 0), "ends_at": zurichAt(7, 11, 0), "room": "Garden"}).want(t, 200)
		second := e.publishRelease(t, org, conf)
		changes := second["changes"].([]any)
		if second["number"] != float64(2) || len(changes) != 1 {
			t.Fatalf("second release: got %v, want number 2 with one change", second)
		}
		if ch := changes[0].(map[string]any); ch["kind"] != "moved" || ch["session_id"] != s2 || ch["room"] != "Garden" || ch["previous_room"] != "Annex" {
			t.Errorf("change: got %v", ch)
		}
		all := e.deliver()
		fresh := all[len(before):]
		got := mailCounts(t, fresh)
		want := map[string]int{strings.ToLower(speaker.Email): 1, strings.ToLower(chair.Email): 1, strings.ToLower(attendee.Email): 1}
		if len(got) != len(want) || len(fresh) != 3 {
			t.Fatalf("second release mailed %v, want exactly %v", got, want)
		}
		for addr, n := range want {
			if got[addr] != n {
				t.Errorf("%s: got %d mails, want %d", addr, got[addr], n)
			}
		}
		everyone := []*models.Delegate{p1, p3, speaker, chair, attendee, other, optedOut}
		for _, m := range fresh {
			subject, text := mailText(t, m)
			leaks := []string{"Plenary on peace", "Closing"}
			for _, d := range everyone {
				if !strings.EqualFold(d.Email, m.To[0]) {
					leaks = append(leaks, d.DisplayName, d.Email)
				}
			}
			switch strings.ToLower(m.To[0]) {
			case strings.ToLower(chair.Email):
				if !strings.Contains(text, "Verschoben") || !strings.Contains(text, "Di., 7. Sept., 10:00–11:00 CEST, Garden") {
					t.Errorf("German mail: %s", text)
				}
			case strings.ToLower(attendee.Email):
				if !strings.Contains(text, "вт, 7 вер., 10:00–11:00 CEST") {
					t.Errorf("Ukrainian mail: %s", text)
				}
			}
			for _, leak := range leaks {
				if strings.Contains(text, leak) || strings.Contains(subject, leak) {
					t.Errorf("mail to %s mentions %q:\n%s", m.To[0], leak, text)
				}
			}
		}
		e.do("POST", "/api/v1/conferences/"+conf.Slug+"/agenda/releases", org, nil).want(t, 409)
		list := e.do("GET", "/api/v1/conferences/"+conf.Slug+"/agenda/releases", "", nil).want(t, 200).json(t)["items"].([]any)
		if len(list) != 2 || list[0].(map[string]any)["number"] != float64(2) {
			t.Errorf("releases: got %v, want 2 then 1", list)
		}
		page := e.do("GET", "/api/v1/conferences/"+conf.Slug+"/agenda/releases?limit=1", "", nil).want(t, 200).json(t)
		next := e.do("GET", "/api/v1/conferences/"+conf.Slug+"/agenda/releases?limit=1&cursor="+page["next_cursor"].(string), "", nil).want(t, 200).json(t)
		if items := next["items"].([]any); len(items) != 1 || items[0].(map[string]any)["number"] != float64(1) {
			t.Errorf("second page: got %v, want release 1", next)
		}
		// A session in the published agenda is cancelled, not deleted, so that people hear of it.
		e.do("DELETE", "/api/v1/sessions/"+s3, org, nil).want(t, 409)
		e.do("PATCH", "/api/v1/sessions/"+s3, org, map[string]any{"status": "cancelled"}).want(t, 200)
		third := e.publishRelease(t, org, conf)
		if ch := third["changes"].([]any); len(ch) != 1 || ch[0].(map[string]any)["kind"] != "cancelled" || third["notified"] != float64(1) {
			t.Errorf("third release: got %v, want one cancellation mailed to its speaker", third)
		}
	})
}

// TestAgendaCachingAndETag checks the public agenda: 404 before a release, then the release with
// a strong ETag, public caching and 304; a second server on the same database (another process)
// serves a release made through the first at once.
func TestAgendaCachingAndETag(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		org := e.staffToken("organiser")
		conf := e.conference()
		other := newEnv(t, e.st)
		path := "/api/v1/conferences/" + conf.Slug + "/agenda"
		e.do("GET", path, "", nil).want(t, 404)
		e.do("GET", "/api/v1/conferences/nope/agenda", "", nil).want(t, 404)
		id := e.addSession(t, org, conf, sessionBody("Opening", "Hall", 5, 18))["id"].(string)
		e.publishSession(t, org, id)
		e.publishRelease(t, org, conf)

		r := e.do("GET", path, "", nil).want(t, 200)
		etag := r.Header.Get("ETag")
		if !strings.HasPrefix(etag, `"r1-`) || r.Header.Get("Cache-Control") != "public, max-age=60" {
			t.Fatalf("got ETag %q, Cache-Control %q", etag, r.Header.Get("Cache-Control"))
		}
		if got := r.json(t); got["release"].(map[string]any)["number"] != float64(1) || len(got["sessions"].([]any)) != 1 {
			t.Errorf("agenda: got %v", got)
		}
		again := other.do("GET", path, "", nil).want(t, 200)
		if again.Header.Get("ETag") != etag || string(again.Body) != string(r.Body) {
			t.Errorf("the other server answers differently: %s", again.Body)
		}
		for _, inm := range []string{etag, "W/" + etag, `"x", ` + etag, "*"} {
			req := httptest.NewRequest("GET", path, nil)
			req.Header.Set("If-None-Match", inm)
			w := httptest.NewRecorder()
			e.srv.Handler().ServeHTTP(w, req)
			if w.Code != 304 || w.Body.Len() != 0 || w.Header().Get("ETag") != etag {
				t.Errorf("If-None-Match %s: got %d with %d bytes", inm, w.Code, w.Body.Len())
			}
		}
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("If-None-Match", `"r0-stale"`)
		w := httptest.NewRecorder()
		e.srv.Handler().ServeHTTP(w, req)
		if w.Code != 200 {
			t.Errorf("stale ETag: got %d, want 200", w.Code)
		}

		// A release made through the other server is served here at once.
		e.do("PATCH", "/api/v1/sessions/"+id, org, map[string]any{"title": "Opening plenary"}).want(t, 200)
		other.do("POST", "/api/v1/conferences/"+conf.Slug+"/agenda/releases", org, nil).want(t, 201)
		r2 := e.do("GET", path, "", nil).want(t, 200)
		if r2.Header.Get("ETag") == etag || !strings.Contains(string(r2.Body), "Opening plenary") {
			t.Errorf("after release 2: got ETag %s and %s", r2.Header.Get("ETag"), r2.Body)
		}
	})
}

// TestNonPublicSpeakersNeverAppear puts public and non-public delegates on a session and checks
// every public answer: only public delegates are named, others appear as their listed
// organisation or not at all, and a delegate who stops being public disappears at once.
func TestNonPublicSpeakersNeverAppear(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		org := e.staffToken("organiser")
		conf := e.conference()
		listed := e.organisation(conf, "Listed Union", true, 10)
		secret := e.organisation(conf, "Secret Collective", false, 10)
		public := e.delegate(conf, listed, "Alice Public", models.DelegateApproved, models.VisibilityPublic)
		hidden := []*models.Delegate{
			e.delegate(conf, listed, "Hidden Listed", models.DelegateApproved, models.VisibilityOrganisers),
			e.delegate(conf, secret, "Hidden Unlisted", models.DelegateApproved, models.VisibilityParticipants),
			e.delegate(conf, nil, "Pending Public", models.DelegateSubmitted, models.VisibilityPublic),
			e.delegate(conf, secret, "Waiting Public", models.DelegateWaitlist, models.VisibilityPublic),
		}
		body := sessionBody("Panel", "Hall", 6, 10, append([]*models.Delegate{public}, hidden...)...)
		body["chair_ids"] = []string{hidden[0].ID}
		id := e.addSession(t, org, conf, body)["id"].(string)
		e.publishSession(t, org, id)
		e.publishRelease(t, org, conf)

		paths := []string{"/agenda", "/schedule.xml", "/schedule.json", "/agenda.ics", "/sessions", "/agenda/releases"}
		fetch := func() map[string]string {
			out := map[string]string{"/session": string(e.do("GET", "/api/v1/sessions/"+id, "", nil).want(t, 200).Body)}
			for _, p := range paths {
				out[p] = string(e.do("GET", "/api/v1/conferences/"+conf.Slug+p, "", nil).want(t, 200).Body)
			}
			return out
		}
		for path, body := range fetch() {
			for _, d := range hidden {
				if strings.Contains(body, d.DisplayName) || strings.Contains(body, d.ID) {
					t.Errorf("%s names non-public %q", path, d.DisplayName)
				}
			}
			if strings.Contains(body, "Secret Collective") || strings.Contains(body, public.ID) {
				t.Errorf("%s names an unlisted organisation or a delegate ID", path)
			}
			if path != "/agenda/releases" && (!strings.Contains(body, "Alice Public") || !strings.Contains(body, "Listed Union")) {
				t.Errorf("%s lacks the public speaker or the listed organisation:\n%s", path, body)
			}
		}
		// Staff still see everyone.
		if staff := string(e.do("GET", "/api/v1/sessions/"+id, org, nil).want(t, 200).Body); !strings.Contains(staff, "Hidden Unlisted") {
			t.Errorf("staff view lacks a speaker: %s", staff)
		}
		// Alice withdraws her consent to be named: no answer names her any more, without a new release.
		public.Visibility = models.VisibilityParticipants
		if err := e.st.UpdateDelegate(ctx, public); err != nil {
			t.Fatal(err)
		}
		for path, body := range fetch() {
			if strings.Contains(body, "Alice Public") {
				t.Errorf("%s still names Alice after she left the public list", path)
			}
		}
	})
}

// TestPersonalFeed gives a delegate a secret calendar address with their own sessions only.
func TestPersonalFeed(t *testing.T) {
	e := sqliteEnv(t)
	org := e.staffToken("organiser")
	conf := e.conference()
	me := e.delegate(conf, nil, "Me", models.DelegateApproved, models.VisibilityOrganisers)
	token := e.delegateToken(me)
	speaking := e.addSession(t, org, conf, sessionBody("I speak here", "Hall", 6, 9, me))["id"].(string)
	attending := e.addSession(t, org, conf, sessionBody("I listen here", "Hall", 6, 11))["id"].(string)
	elsewhere := e.addSession(t, org, conf, sessionBody("Not for me", "Annex", 6, 11))["id"].(string)
	for _, id := range []string{speaking, attending, elsewhere} {
		e.publishSession(t, org, id)
	}
	e.do("POST", "/api/v1/sessions/"+attending+"/attendance", token, nil).want(t, 201)
	e.do("POST", "/api/v1/me/feed", "", nil).want(t, 401)
	feed := e.do("POST", "/api/v1/me/feed", token, nil).want(t, 201).json(t)
	url := feed["url"].(string)
	path := strings.TrimPrefix(url, "http://zw.test")
	if !strings.HasPrefix(path, "/api/v1/feeds/") {
		t.Fatalf("feed url: got %q", url)
	}
	empty := string(e.do("GET", path, "", nil).want(t, 200).Body)
	if !strings.HasPrefix(empty, "BEGIN:VCALENDAR\r\n") || strings.Contains(empty, "BEGIN:VEVENT") {
		t.Errorf("before a release: got %q, want an empty calendar", empty)
	}
	e.publishRelease(t, org, conf)
	ics := string(e.do("GET", path, "", nil).want(t, 200).Body)
	if !strings.Contains(ics, "I speak here") || !strings.Contains(ics, "I listen here") || strings.Contains(ics, "Not for me") {
		t.Errorf("feed: got\n%s", ics)
	}
	e.do("GET", "/api/v1/feeds/"+models.NewID()+"/agenda.ics", "", nil).want(t, 404)
	rotated := e.do("POST", "/api/v1/me/feed", token, nil).want(t, 201).json(t)["url"].(string)
	e.do("GET", path, "", nil).want(t, 404)
	e.do("GET", strings.TrimPrefix(rotated, "http://zw.test"), "", nil).want(t, 200)
	e.do("DELETE", "/api/v1/me/feed", token, nil).want(t, 204)
	e.do("GET", strings.TrimPrefix(rotated, "http://zw.test"), "", nil).want(t, 404)
	if strings.Contains(e.logs.String(), strings.TrimPrefix(path, "/api/v1/feeds/")) {
		t.Error("the feed secret is in the logs")
	}
}
