package web_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/zimmerwald/zimmerwald/models"
)

// TestConsoleRolesPerConference: a new organiser works on no conference; an admin gives it one
// on the accounts page; then its console lists that conference only, and every page of the
// other answers 404. A reviewer's registration pages show no visa request, attendance or
// country. On SQLite and PostgreSQL.
func TestConsoleRolesPerConference(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		a, b := e.conference(), e.conference()
		ob := e.organisation(b, "Union of B", true)
		d := e.delegate(b, ob, "Visa Seeker", models.DelegateSubmitted, models.VisibilityOrganisers)
		d.NeedsVisaLetter, d.Country, d.Attendance = true, "BY", models.AttendRemote
		if err := e.st.UpdateDelegate(ctx, d); err != nil {
			t.Fatal(err)
		}
		e.scoped = func(id string) bool { return true } // accounts made from here on keep the roles the test gives
		admin := e.staff(models.StaffAdmin)
		admin.post("/staff/accounts", url.Values{"email": {"scoped@staff.test"}, "password": {testPassword}, "role": {"organiser"}}).want(t, 200)
		acc, err := e.st.AccountByEmail(ctx, "scoped@staff.test")
		if err != nil {
			t.Fatal(err)
		}
		org := e.browser()
		org.post("/staff/login", url.Values{"email": {"scoped@staff.test"}, "password": {testPassword}}).want(t, 200)
		org.get("/staff").want(t, 200).lacks(t, a.Title, b.Title)
		org.get("/staff/c/"+a.Slug+"/registrations").want(t, 404)

		admin.post("/staff/accounts/"+acc.ID+"/roles", url.Values{"role_" + a.Slug: {"organiser"}, "role_" + b.Slug: {""}}).want(t, 200)
		org.get("/staff").want(t, 200).has(t, a.Title).lacks(t, b.Title)
		org.get("/staff/c/"+a.Slug+"/registrations").want(t, 200)
		for _, path := range []string{"", "/registrations", "/registrations/" + d.ID, "/organisations", "/agenda", "/announcements", "/outbox", "/statements", "/delegates.csv"} {
			org.get("/staff/c/"+b.Slug+path).want(t, 404).lacks(t, "Visa Seeker")
		}
		org.post("/staff/c/"+b.Slug+"/registrations/"+d.ID+"/decision", url.Values{"decision": {"approve"}}).want(t, 404)
		if got, _ := e.st.Delegate(ctx, d.ID); got.Status != models.DelegateSubmitted {
			t.Errorf("B's registration is %s after A's organiser tried to decide it", got.Status)
		}

		// A reviewer of B reviews without the visa request, attendance or country.
		admin.post("/staff/accounts/"+acc.ID+"/roles", url.Values{"role_" + b.Slug: {"reviewer"}}).want(t, 200)
		org.get("/staff/c/"+b.Slug+"/registrations").want(t, 200).has(t, "Visa Seeker").lacks(t, "visa letter", "(BY)")
		org.get("/staff/c/"+b.Slug+"/registrations/"+d.ID+"?lang=en").want(t, 200).has(t, "Visa Seeker").lacks(t, "Attendance", "Remote", "BY")
		full := e.browser() // an account made now gets no conference: the test scopes them all
		full.post("/staff/login", url.Values{"email": {e.account(models.StaffOrganiser)}, "password": {testPassword}}).want(t, 200)
		full.get("/staff/c/"+b.Slug+"/registrations").want(t, 404)
	})
}
