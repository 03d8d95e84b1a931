package api

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/zimmerwald/zimmerwald/models"
)

func TestLoginRateLimited(t *testing.T) {
	e := sqliteEnv(t)
	a := e.account("organiser")
	codes := map[int]int{}
	for i := 0; i < 8; i++ {
		codes[e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": a.Email, "password": "wrong wrong wrong"}).Code]++
	}
	if codes[401] == 0 || codes[429] == 0 {
		t.Fatalf("got %v, want 401s then 429s", codes)
	}
	r := e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": a.Email, "password": testPassword})
	if r.Code != 429 || r.Header.Get("Retry-After") == "" {
		t.Errorf("right password while limited: got %d (Retry-After %q), want 429 with Retry-After", r.Code, r.Header.Get("Retry-After"))
	}
}

func TestUnknownAndKnownAccountsAnswerAlike(t *testing.T) {
	e := sqliteEnv(t)
	a := e.account("organiser")
	known := e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": a.Email, "password": "not the password"})
	unknown := e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "nobody@staff.test", "password": "not the password"})
	kj, uj := known.json(t), unknown.json(t)
	if known.Code != unknown.Code || kj["detail"] != uj["detail"] || kj["title"] != uj["title"] {
		t.Errorf("known %d %v, unknown %d %v: want identical answers", known.Code, kj, unknown.Code, uj)
	}
}

func TestTokensExpireAndLogoutRevokes(t *testing.T) {
	e := sqliteEnv(t)
	tok := e.staffToken("admin")
	e.do("GET", "/api/v1/accounts", tok, nil).want(t, 200)
	e.do("POST", "/api/v1/auth/logout", tok, nil).want(t, 204)
	e.do("GET", "/api/v1/accounts", tok, nil).want(t, 401)

	tok = e.staffToken("admin")
	real := time.Now
	e.st.SetClock(func() time.Time { return real().Add(e.cfg.SessionIdleTimeout + time.Minute) })
	e.do("GET", "/api/v1/accounts", tok, nil).want(t, 401)
	e.st.SetClock(real)

	// The token is stored only as its SHA-256: the hash finds it, the secret itself is nowhere.
	if _, err := e.st.ValidToken(context.Background(), tok, 0, models.TokenStaffSession); err != nil {
		t.Fatalf("token lookup: %v", err)
	}
}

func TestDisabledAccountLosesAccess(t *testing.T) {
	e := sqliteEnv(t)
	a := e.account("organiser")
	r := e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": a.Email, "password": testPassword}).want(t, 200)
	tok := r.json(t)["token"].(string)
	c := e.conference()
	e.do("PATCH", "/api/v1/conferences/"+c.Slug, tok, map[string]string{"venue": "Bern"}).want(t, 200)
	now := time.Now()
	a.DisabledAt = &now
	if err := e.st.UpdateAccount(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	e.do("PATCH", "/api/v1/conferences/"+c.Slug, tok, map[string]string{"venue": "Bern"}).want(t, 401)
	e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": a.Email, "password": testPassword}).want(t, 401)
}

// TestAPITokens: a staff member creates a named API token that works with their role, lists it
// without its secret, and revokes it; another account cannot revoke it.
func TestAPITokens(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		org := e.staffToken("organiser")
		c := e.conference()
		r := e.do("POST", "/api/v1/tokens", org, map[string]any{"name": "badge printer", "expires_in_days": 30}).want(t, 201).json(t)
		secret, id := r["token"].(string), r["id"].(string)
		if len(secret) < 40 || r["name"] != "badge printer" {
			t.Fatalf("got %v", r)
		}
		e.do("PATCH", "/api/v1/conferences/"+c.Slug, secret, map[string]string{"venue": "Bern"}).want(t, 200)
		e.do("GET", "/api/v1/accounts", secret, nil).want(t, 403) // the organiser's role, no more
		list := e.do("GET", "/api/v1/tokens", org, nil).want(t, 200)
		if strings.Contains(string(list.Body), secret) || !strings.Contains(string(list.Body), "badge printer") {
			t.Errorf("list: got %s, want the token named and its secret absent", list.Body)
		}
		other := e.staffToken("organiser")
		e.do("DELETE", "/api/v1/tokens/"+id, other, nil).want(t, 404)
		e.do("DELETE", "/api/v1/tokens/"+id, org, nil).want(t, 204)
		e.do("PATCH", "/api/v1/conferences/"+c.Slug, secret, map[string]string{"venue": "Bern"}).want(t, 401)
		e.do("POST", "/api/v1/tokens", org, map[string]any{"name": "x", "expires_in_days": 1000}).want(t, 422)
		e.do("POST", "/api/v1/tokens", e.delegateToken(e.delegate(c, nil, "D", "approved", "public")), map[string]any{"name": "x"}).want(t, 403)
	})
}
