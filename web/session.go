package web

import (
	"net/http"
	"strings"
	"time"
)

// Cookies of the web front. The session cookie holds the API bearer token; the kind cookie only
// says which menu to show (the API decides what the token may do).
const (
	sessionCookie = "zw_session"
	kindCookie    = "zw_kind"
	tzCookie      = "zw_tz"
)

// Session kinds, as kept in the kind cookie.
const (
	kindStaff    = "staff"
	kindDelegate = "delegate"
)

// sessionToken returns the bearer token of the visitor's session cookie ("" when logged out).
func sessionToken(r *http.Request) string {
	c, err := r.Cookie(sessionCookie)
	if err != nil || len(c.Value) > 512 {
		return ""
	}
	return c.Value
}

// sessionKind returns "staff", "delegate" or "" (logged out).
func sessionKind(r *http.Request) string {
	if sessionToken(r) == "" {
		return ""
	}
	c, err := r.Cookie(kindCookie)
	if err != nil || (c.Value != kindStaff && c.Value != kindDelegate) {
		return ""
	}
	return c.Value
}

// secure reports whether cookies must be Secure: the product is served over https.
func (p *Pages) secure() bool { return strings.HasPrefix(p.cfg.BaseURL, "https://") }

// cookie builds a cookie of the web front: HttpOnly, SameSite=Lax (a link from a mail must land
// logged in), Path=/, Secure over https. maxAge < 0 deletes it.
func (p *Pages) cookie(name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: p.secure()}
}

// startSession stores a bearer token valid until expires (the configured maximum age when zero).
func (p *Pages) startSession(w http.ResponseWriter, token, kind string, expires time.Time) {
	maxAge := int(p.cfg.SessionMaxAge / time.Second)
	if !expires.IsZero() {
		maxAge = int(time.Until(expires) / time.Second)
	}
	if maxAge <= 0 {
		maxAge = 1
	}
	http.SetCookie(w, p.cookie(sessionCookie, token, maxAge))
	http.SetCookie(w, p.cookie(kindCookie, kind, maxAge))
}

// endSession deletes the session cookies.
func (p *Pages) endSession(w http.ResponseWriter) {
	http.SetCookie(w, p.cookie(sessionCookie, "", -1))
	http.SetCookie(w, p.cookie(kindCookie, "", -1))
}

// private marks an answer that holds personal data: no cache may keep it.
func private(w http.ResponseWriter) { w.Header().Set("Cache-Control", "no-store") }
