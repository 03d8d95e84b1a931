package main

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// A page that redirects to its login form must count as an error, not as the fast 200 of the
// login form it leads to.
func TestLoadCountsRedirectsAsUnexpected(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /me", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/login", http.StatusSeeOther) })
	mux.HandleFunc("GET /login", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("log in")) })
	mux.HandleFunc("GET /ok", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	client := newClient(4)
	get := func(path string) func(int) *http.Request {
		return func(int) *http.Request { req, _ := http.NewRequest("GET", srv.URL+path, nil); return req }
	}

	r := load(client, 20, 4, get("/me"))
	if got := r.Status[http.StatusSeeOther]; got != 20 {
		t.Errorf("303 answers: got %d, want 20 (statuses %v)", got, r.Status)
	}
	if got := r.Unexpected(http.StatusOK); got != 20 {
		t.Errorf("unexpected answers: got %d, want 20", got)
	}
	if got := load(client, 20, 4, get("/ok")).Unexpected(http.StatusOK); got != 0 {
		t.Errorf("unexpected answers of a 200 page: got %d, want 0", got)
	}
}
