package api

import (
	"net/http/httptest"
	"testing"
	"time"
)

// TestAgendaFreshnessWindow: a server with a freshness window keeps answering the release it
// checked within the window; one without sees a new release at once.
func TestAgendaFreshnessWindow(t *testing.T) {
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
	cached := NewServer(Options{Store: e.st, Config: e.cfg, AgendaFreshness: time.Hour})
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
