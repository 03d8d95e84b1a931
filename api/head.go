package api

import (
	"context"
	"net/http"
)

// answerHEAD serves HEAD as GET without the body, for every GET route of the API and of the web
// pages: the status and headers are those of GET.
func answerHEAD(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		get := r.Clone(context.WithValue(r.Context(), headKey{}, true))
		get.Method = http.MethodGet
		next.ServeHTTP(headWriter{w}, get)
	})
}

// headWriter passes the status and headers on and drops the body.
type headWriter struct{ http.ResponseWriter }

func (w headWriter) Write(p []byte) (int, error) { return len(p), nil }

// Unwrap gives http.ResponseController the underlying writer.
func (w headWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// headKey marks in the context a GET that answers a HEAD.
type headKey struct{}

// isHEAD reports whether r is a GET that answers a HEAD: a handler that would never end (an
// event stream) stops after its headers.
func isHEAD(r *http.Request) bool { v, _ := r.Context().Value(headKey{}).(bool); return v }
