package api

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestReadFreshnessWindow: a server with a freshness window keeps answering the release it
// checked within the window; one without sees a new release at once.
func TestReadFreshnessWindow(t *testing.T) {
	e := sqliteEnv(t)
	c := e.conference()
	org := e.staffToken("organiser")
	publish := func(title string) {
		r := e.do("POST", "/api/v1/conferences/"+c.Slug+"/sessions", org, map[string]any{"title": title, "kind": "plenary", "room": "Hall",
			"starts_at": "2027-09-05T09:00:00Z", "ends_at": "2027-09-05T10:00:00Z"}).want(t, 201)
		id := r.json(t)["id"].(string)
		e.do("PATCH", "/api/v1/sessions/"+id, org, map[string]string{"status": "published"}).want(t, 200)
		e.do("POST", "/api/v1/conferences/"+c.Slug+"/agenda/releases", org, map[string]string{}).want(t, 201)
	}
	cached := NewServer(Options{Store: e.st, Config: e.cfg, ReadFreshness: time.Hour})
	etag := func(s *Server) string {
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/api/v1/conferences/"+c.Slug+"/agenda", nil))
		if w.Code != 200 {
			t.Fatalf("agenda: got %d: %s", w.Code, w.Body)
		}
		return w.Header().Get("ETag")
	}
	publish("Opening plenary")
	first := etag(cached)
	publish("Closing plenary")
	if got := etag(cached); got != first {
		t.Errorf("within the window: got %s, want the checked %s", got, first)
	}
	if got := etag(e.srv); got == first {
		t.Errorf("without a window: got the old release %s", got)
	}
}

// TestConferenceReadFreshness: within the window a conference is served from memory, but a change
// made through this server is seen at once.
func TestConferenceReadFreshness(t *testing.T) {
	e := sqliteEnv(t)
	c := e.conference()
	s := NewServer(Options{Store: e.st, Config: e.cfg, ReadFreshness: time.Hour})
	get := func() string {
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/api/v1/conferences/"+c.Slug, nil))
		return w.Body.String()
	}
	if !strings.Contains(get(), `"venue":""`) {
		t.Fatal("unexpected venue")
	}
	c.Venue = "Bern" // changed behind the server's back: not seen within the window
	if err := e.st.UpdateConference(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(get(), "Bern") {
		t.Error("a change by another process was seen within the window")
	}
	tok := newEnv(t, e.st)
	tok.srv = s
	admin := tok.staffToken("admin")
	w := httptest.NewRecorder()
	req := httptest.NewRequest("PATCH", "/api/v1/conferences/"+c.Slug, strings.NewReader(`{"venue":"Zimmerwald"}`))
	req.Header.Set("Authorization", "Bearer "+admin)
	s.Handler().ServeHTTP(w, req)
	if w.Code != 200 {
		t.Fatalf("patch: %d %s", w.Code, w.Body)
	}
	if !strings.Contains(get(), "Zimmerwald") {
		t.Error("a change through this server was not seen at once")
	}
}
