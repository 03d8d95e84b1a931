package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestOnlineLinkReachesOnlyParticipants checks who gets a session's online link (its room's or
// its own): approved speakers, chairs and those signed up, and approved remote delegates for
// plenaries, in GET /sessions/{id}, /me and the personal feed; nobody else, and no public output.
func TestOnlineLinkReachesOnlyParticipants(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		h := newHybridAgenda(t, e)
		c, staff, roomLink, ownLink := h.conf, h.staff, h.roomLink, h.ownLink
		speaker, chair, attendee, remote, onSite, pendingRemote := h.speaker, h.chair, h.attendee, h.remote, h.onSite, h.pendingRemote
		plenaryID, workshopID := h.plenaryID, h.workshopID

		for _, tc := range []struct {
			who     string
			token   string
			session string
			want    string
		}{
			{"speaker", e.delegateToken(speaker), plenaryID, roomLink},
			{"chair", e.delegateToken(chair), plenaryID, roomLink},
			{"remote delegate, plenary", e.delegateToken(remote), plenaryID, roomLink},
			{"staff", staff, workshopID, ownLink},
			{"signed up", e.delegateToken(attendee), workshopID, ownLink},
			{"remote delegate, workshop", e.delegateToken(remote), workshopID, ""},
			{"on site, not signed up", e.delegateToken(onSite), plenaryID, ""},
			{"remote but not approved", e.delegateToken(pendingRemote), plenaryID, ""},
			{"speaker not approved", e.delegateToken(h.pendingSpeaker), plenaryID, ""},
			{"anonymous", "", plenaryID, ""},
			{"anonymous", "", workshopID, ""},
		} {
			got, _ := e.do("GET", "/api/v1/sessions/"+tc.session, tc.token, nil).want(t, 200).json(t)["online_url"].(string)
			if got != tc.want {
				t.Errorf("%s: online_url %q, want %q", tc.who, got, tc.want)
			}
		}
		me := e.do("GET", "/api/v1/me", e.delegateToken(remote), nil).want(t, 200)
		if !strings.Contains(string(me.Body), roomLink) || strings.Contains(string(me.Body), ownLink) {
			t.Errorf("/me of the remote delegate: %s", me.Body)
		}
		if strings.Contains(string(e.do("GET", "/api/v1/me", e.delegateToken(onSite), nil).want(t, 200).Body), "meet.example.org") {
			t.Error("/me of an on-site delegate who takes no part carries an online link")
		}
		e.publishRelease(t, staff, c)
		feed := e.do("POST", "/api/v1/me/feed", e.delegateToken(remote), nil).want(t, 201).json(t)["url"].(string)
		ics := e.do("GET", strings.TrimPrefix(feed, "http://zw.test"), "", nil).want(t, 200)
		if unfolded := strings.ReplaceAll(string(ics.Body), "\r\n ", ""); !strings.Contains(unfolded, "CONFERENCE;VALUE=URI;FEATURE=VIDEO,AUDIO:"+roomLink) {
			t.Errorf("the personal feed lacks the online link:\n%s", ics.Body)
		}

		// Every public output, read anonymously: no online link anywhere. Then again once the
		// reminders went out (their logs, the staff delivery view).
		scanPublicOutputs(t, e, c.Slug, []string{plenaryID, workshopID, h.cancelledID, h.draftID, remote.ID}, "meet.example.org")
		e.st.SetClock(func() time.Time { return time.Date(2027, time.September, 6, 7, 45, 0, 0, time.UTC) }) // 09:45 in Zurich
		n, err := e.srv.dom.RemindOnline(ctx, 30*time.Minute)
		e.st.SetClock(time.Now)
		if err != nil || n != 3 {
			t.Fatalf("RemindOnline: %d, %v; want the speaker, the chair and the remote delegate", n, err)
		}
		e.deliver()
		scanPublicOutputs(t, e, c.Slug, []string{plenaryID, workshopID, h.cancelledID, h.draftID, remote.ID}, "meet.example.org")
		if body := e.do("GET", "/api/v1/conferences/"+c.Slug+"/outbox", staff, nil).want(t, 200).Body; strings.Contains(string(body), "meet.example.org") {
			t.Error("the delivery view carries an online link")
		}
		if strings.Contains(e.logs.String(), "meet.example.org") {
			t.Error("a log line carries an online link")
		}
	})
}

// scanPublicOutputs asks every GET route of the router anonymously, with each of ids for its
// parameters, and fails if any answer carries needle. The live stream is read up to its first
// event. At least the agenda and the sessions must have answered 200, so the scan cannot pass by
// reading nothing.
func scanPublicOutputs(t *testing.T, e *testEnv, slug string, ids []string, needle string) {
	t.Helper()
	ok := map[string]bool{}
	for _, r := range e.srv.engine.Routes() {
		if r.Method != http.MethodGet {
			continue
		}
		for _, id := range ids {
			path := strings.ReplaceAll(r.Path, ":slug", slug)
			path = strings.ReplaceAll(path, ":id", id)
			for _, p := range []string{":token", ":n", ":sid", ":lang"} {
				path = strings.ReplaceAll(path, p, "x")
			}
			var code int
			var body string
			if strings.HasSuffix(r.Path, "/live/stream") {
				code, body = firstEvent(e, path)
			} else {
				w := serve(e, http.MethodGet, path)
				code, body = w.Code, w.Body.String()
			}
			if strings.Contains(body, needle) {
				t.Errorf("public GET %s (%d) carries %q", path, code, needle)
			}
			if code == http.StatusOK {
				ok[r.Path] = true
			}
		}
	}
	for _, p := range []string{"/api/v1/conferences/:slug/agenda", "/api/v1/sessions/:id", "/api/v1/conferences/:slug/sessions", "/api/v1/conferences/:slug/live/stream", "/api/v1/conferences/:slug/rooms"} {
		if !ok[p] {
			t.Errorf("the scan never read %s", p)
		}
	}
}

// firstEvent reads a live stream until its first event and hangs up.
func firstEvent(e *testEnv, path string) (int, string) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := &untilEvent{ResponseRecorder: httptest.NewRecorder(), cancel: cancel}
	req := httptest.NewRequestWithContext(ctx, http.MethodGet, path, nil)
	req.RemoteAddr = "192.0.2.10:4242"
	e.srv.Handler().ServeHTTP(w, req)
	return w.Code, w.Body.String()
}

// untilEvent records an event stream and cancels its request once a whole event was written.
type untilEvent struct {
	*httptest.ResponseRecorder
	cancel context.CancelFunc
}

func (u *untilEvent) Write(p []byte) (int, error) {
	n, err := u.ResponseRecorder.Write(p)
	if strings.Contains(u.Body.String(), "\n\n") {
		u.cancel()
	}
	return n, err
}
