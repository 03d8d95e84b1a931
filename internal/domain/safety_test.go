package domain

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/zimmerwald/zimmerwald/internal/config"
	"github.com/zimmerwald/zimmerwald/internal/fakeclock"
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
	// A still clock: no bucket refills while the slow password checks run.
	st.SetClock(fakeclock.New(time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)).Now)
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
		_, err := s.Login(ctx, Anonymous("r", fmt.Sprintf("stranger-%d", i)), spellings[i%len(spellings)]+" ", "a wrong password", "")
		if e, ok := models.Classify(err); !ok || e.Code != models.CodeWrongCredentials {
			t.Fatalf("attempt %d: got %v, want wrong_credentials (slowed down, not refused)", i, err)
		}
	}
	if len(pauses) < 12-5 {
		t.Errorf("got %d slowed attempts of 12 for one account under five spellings, want at least 7", len(pauses))
	}
	if sess, err := s.Login(ctx, Anonymous("r", "the owner at home"), " Reviewer@example.org ", "the right long password", ""); err != nil || sess.Token == "" {
		t.Fatalf("the owner after strangers' attempts: got %v, want a session", err)
	}
	var refused bool
	for range 7 {
		_, err := s.Login(ctx, Anonymous("r", "one client"), "nobody@example.org", "a wrong password", "")
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

// TestSecondFactorRecoveryReplayAndRequirement: a code works once; a recovery code works once;
// while an admin requires a second factor, a staff session without one can only enrol, and after
// enrolling it works again.
func TestSecondFactorRecoveryReplayAndRequirement(t *testing.T) {
	st := modelstest.SQLite(t)
	s := New(Options{Store: st, Config: config.Defaults()})
	ctx := context.Background()
	hash, _ := password.Hash("the right long password")
	staff := &models.Account{Email: "org@example.org", PasswordHash: hash, Role: models.StaffOrganiser}
	admin := &models.Account{Email: "admin@example.org", PasswordHash: hash, Role: models.StaffAdmin}
	for _, a := range []*models.Account{staff, admin} {
		if err := st.CreateAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	client := 0
	login := func(email, code string) error {
		client++
		_, err := s.Login(ctx, Anonymous("r", fmt.Sprint("c", client)), email, "the right long password", code)
		return err
	}
	adm := actor2(t, s, admin, "")
	on := true
	if got, err := s.UpdateSettings(ctx, adm, &on); err != nil || !got.RequireStaffTOTP {
		t.Fatalf("require a second factor: %+v %v", got, err)
	}
	org := actor2(t, s, staff, "")
	if !org.MustEnrol {
		t.Fatal("with the requirement on, a session without a second factor is not limited to enrolment")
	}
	if _, _, err := s.ListDelegates(ctx, org, DelegateQuery{Conference: "x"}); !isCode(err, models.CodeTOTPEnrolment) {
		t.Fatalf("staff read while enrolment is required: got %v, want totp_enrolment_required", err)
	}
	enr, err := s.StartTOTP(ctx, org)
	if err != nil {
		t.Fatal(err)
	}
	code, _ := totp.GenerateCode(enr.Secret, time.Now())
	if err := s.ConfirmTOTP(ctx, org, code); err != nil {
		t.Fatal(err)
	}
	if err := login(staff.Email, code); !isCode(err, models.CodeWrongCredentials) {
		t.Errorf("the confirming code used again: got %v, want wrong_credentials", err)
	}
	next, _ := totp.GenerateCode(enr.Secret, time.Now().Add(30*time.Second))
	if err := login(staff.Email, next); err != nil {
		t.Errorf("a fresh code: %v", err)
	}
	if err := login(staff.Email, next); !isCode(err, models.CodeWrongCredentials) {
		t.Errorf("a code replayed: got %v", err)
	}
	if err := login(staff.Email, enr.RecoveryCodes[3]); err != nil {
		t.Errorf("a recovery code: %v", err)
	}
	if err := login(staff.Email, enr.RecoveryCodes[3]); !isCode(err, models.CodeWrongCredentials) {
		t.Errorf("a recovery code used twice: got %v", err)
	}
	if a := actor2(t, s, staff, enr.RecoveryCodes[4]); a.MustEnrol {
		t.Error("after enrolling the session is still limited")
	}
}

// actor2 logs acc in (with a second factor code, or "") and authenticates the session.
func actor2(t *testing.T, s *Service, acc *models.Account, code string) *Actor {
	t.Helper()
	ctx := context.Background()
	sess, err := s.Login(ctx, Anonymous("r", "login-"+acc.ID+code), acc.Email, "the right long password", code)
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.Authenticate(ctx, sess.Token, "r", "x")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// isCode reports whether err is a domain error with code.
func isCode(err error, code models.Code) bool {
	e, ok := models.Classify(err)
	return ok && e.Code == code
}
