package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

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
