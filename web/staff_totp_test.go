package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/models"
)

// TestConsoleTOTPEnrolment: in the console a staff member sets up the second factor (secret and
// recovery codes shown once, a wrong code refused next to the field), and the login page then
// wants the code.
func TestConsoleTOTPEnrolment(t *testing.T) {
	e := sqliteEnv(t)
	b := e.staff(models.StaffOrganiser)
	b.get("/staff/totp?lang=en").want(t, 200).has(t, "Set up two-factor sign-in")
	p := b.post("/staff/totp", url.Values{}).want(t, 200).has(t, `id="totp-recovery"`, "otpauth://totp/")
	m := regexp.MustCompile(`<code id="totp-secret">([A-Z2-7]+)</code>`).FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatalf("no secret on the page")
	}
	b.post("/staff/totp/confirm", url.Values{"code": {"000000"}}).want(t, http.StatusUnprocessableEntity).has(t, `id="e-code"`)
	code, _ := totp.GenerateCode(m[1], time.Now())
	b.post("/staff/totp/confirm", url.Values{"code": {code}}).want(t, 200).has(t, `id="totp-on"`)
}

// TestConsoleRequiresSecondFactor: an admin requires a second factor for every staff account
// from the console; an organiser then may only enrol, and sees no such switch.
func TestConsoleRequiresSecondFactor(t *testing.T) {
	e := sqliteEnv(t)
	admin := e.staff(models.StaffAdmin)
	organiser := e.staff(models.StaffOrganiser)
	organiser.get("/staff/totp?lang=en").want(t, 200).lacks(t, `action="/staff/totp/require"`)
	admin.get("/staff/totp?lang=en").want(t, 200).has(t, `action="/staff/totp/require"`).lacks(t, "checked")
	// Saved: from now on the admin, too, must enrol before anything else (the switch waits).
	admin.post("/staff/totp/require", url.Values{"require": {"yes"}}).want(t, 200).has(t, "Saved.", "requires a second factor")
	organiser.post("/staff/totp/require", url.Values{"require": {""}}).want(t, http.StatusForbidden)
	if on, err := e.dom.GetSettings(context.Background(), &domain.Actor{Role: "admin", Account: &models.Account{ID: models.NewID(), Role: models.StaffAdmin}}); err != nil || !on.RequireStaffTOTP {
		t.Fatalf("settings: %+v, %v; want a second factor required", on, err)
	}
}
