package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestHEADOnEveryGETRoute asks every GET route of the router (parameters filled with a real
// conference's slug or a placeholder) with HEAD: the status is GET's, never 404 or 405 because of
// the method, and the body is empty.
func TestHEADOnEveryGETRoute(t *testing.T) {
	e := sqliteEnv(t)
	c := e.conference()
	routes := e.srv.engine.Routes()
	n := 0
	for _, r := range routes {
		if r.Method != http.MethodGet {
			continue
		}
		n++
		path := strings.ReplaceAll(r.Path, ":slug", c.Slug)
		for _, p := range []string{":id", ":token", ":n", ":sid", ":lang"} {
			path = strings.ReplaceAll(path, p, "x")
		}
		head := serve(e, http.MethodHead, path)
		if strings.HasSuffix(r.Path, "/live/stream") { // a GET never ends: HEAD answers the headers alone
			if head.Code != http.StatusOK || head.Header().Get("Content-Type") != "text/event-stream" || head.Body.Len() != 0 {
				t.Errorf("HEAD %s: %d %q, %d bytes; want 200 text/event-stream and no body", r.Path, head.Code, head.Header().Get("Content-Type"), head.Body.Len())
			}
			continue
		}
		get := serve(e, http.MethodGet, path)
		if head.Code != get.Code {
			t.Errorf("HEAD %s: status %d, GET %d", r.Path, head.Code, get.Code)
		}
		if head.Body.Len() != 0 {
			t.Errorf("HEAD %s: %d bytes of body", r.Path, head.Body.Len())
		}
		if got, want := head.Header().Get("Content-Type"), get.Header().Get("Content-Type"); got != want {
			t.Errorf("HEAD %s: Content-Type %q, GET %q", r.Path, got, want)
		}
	}
	if n < 20 {
		t.Fatalf("only %d GET routes", n)
	}
	if r := serve(e, http.MethodHead, "/api/v1/conferences/"+c.Slug); r.Code != 200 {
		t.Errorf("HEAD of a conference: %d, want 200", r.Code)
	}
}

func serve(e *testEnv, method, path string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, nil)
	req.RemoteAddr = "192.0.2.10:4242"
	w := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(w, req)
	return w
}
