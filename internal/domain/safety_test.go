package domain

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/zimmerwald/zimmerwald/internal/config"
	"github.com/zimmerwald/zimmerwald/internal/password"
	"github.com/zimmerwald/zimmerwald/models"
	"github.com/zimmerwald/zimmerwald/models/modelstest"
)

// TestLoginLimiterNormalisesAndNeverLocksTheOwnerOut: wrong passwords for one account from many
// clients, its address spelt with spaces and capitals, are counted as one account (like the
// account lookup) and slowed down; the owner, from elsewhere, still logs in. One client beyond
// its own limit is refused.
func TestLoginLimiterNormalisesAndNeverLocksTheOwnerOut(t *testing.T) {
	st := modelstest.SQLite(t)
	var mu sync.Mutex
	var pauses []time.Duration
	s := New(Options{Store: st, Config: config.Defaults(), LoginPause: func(_ context.Context, d time.Duration) error {
		mu.Lock()
		defer mu.Unlock()
		pauses = append(pauses, d)
		return nil
	}})
	ctx := context.Background()
	hash, err := password.Hash("the right long password")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CreateAccount(ctx, &models.Account{Email: "reviewer@example.org", PasswordHash: hash, Role: models.StaffReviewer}); err != nil {
		t.Fatal(err)
	}
	spellings := []string{"reviewer@example.org", " reviewer@example.org", "  Reviewer@example.org", "REVIEWER@example.org   ", "\treviewer@Example.org"}
	for i := range 12 {
		_, err := s.Login(ctx, Anonymous("r", fmt.Sprintf("stranger-%d", i)), spellings[i%len(spellings)]+" ", "a wrong password")
		if e, ok := models.Classify(err); !ok || e.Code != models.CodeWrongCredentials {
			t.Fatalf("attempt %d: got %v, want wrong_credentials (slowed down, not refused)", i, err)
		}
	}
	if len(pauses) < 12-5 {
		t.Errorf("got %d slowed attempts of 12 for one account under five spellings, want at least 7", len(pauses))
	}
	if sess, err := s.Login(ctx, Anonymous("r", "the owner at home"), " Reviewer@example.org ", "the right long password"); err != nil || sess.Token == "" {
		t.Fatalf("the owner after strangers' attempts: got %v, want a session", err)
	}
	var refused bool
	for range 7 {
		_, err := s.Login(ctx, Anonymous("r", "one client"), "nobody@example.org", "a wrong password")
		if e, ok := models.Classify(err); ok && e.Code == models.CodeRateLimited {
			refused = true
		}
	}
	if !refused {
		t.Error("one client with 7 attempts in a row was never refused")
	}
}

// TestSetupChecksItsTokenFirstAndIsLimited: POST /setup with a wrong token is refused before the
// credentials are even looked at (so before any argon2 hash), and a client is limited.
func TestSetupChecksItsTokenFirstAndIsLimited(t *testing.T) {
	st := modelstest.SQLite(t)
	s := New(Options{Store: st, Config: config.Defaults()})
	ctx := context.Background()
	if _, err := st.IssueToken(ctx, &models.AuthToken{Kind: models.TokenSetup, ExpiresAt: st.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	_, err := s.CreateFirstAdmin(ctx, Anonymous("r", "guesser"), FirstAdmin{Token: "wrong", Email: "not an address", Password: "short"})
	if e, ok := models.Classify(err); !ok || e.Code != models.CodeTokenInvalid {
		t.Fatalf("wrong token with bad credentials: got %v, want token_invalid before any field check", err)
	}
	limited := false
	for range config.Defaults().RegistrationRateBurst + 1 {
		_, err := s.CreateFirstAdmin(ctx, Anonymous("r", "guesser"), FirstAdmin{Token: "wrong", Email: "a@example.org", Password: "a long enough password"})
		if e, ok := models.Classify(err); ok && e.Code == models.CodeRateLimited {
			limited = true
		}
	}
	if !limited {
		t.Error("setup guesses from one client were never rate-limited")
	}
}
