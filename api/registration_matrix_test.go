package api

import (
	"fmt"
	"testing"

	"github.com/zimmerwald/zimmerwald/models"
)

// Every registration route × method × role has an expected answer (pretix's permission matrix).
// Roles: anonymous, the delegate whose record a route names ("self"), another delegate, reviewer,
// organiser and admin (staff without the export permission), and an organiser with it.
func TestRegistrationPermissionMatrix(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		c := e.conference()
		o := e.organisation(c, "Union", true, 0)
		roles := []string{"anonymous", "self", "other", "reviewer", "organiser", "admin", "exporter"}
		// Each role gets its own delegates for the routes that change them, so runs do not interact.
		selfOf := map[string]*models.Delegate{}
		tokens := map[string]string{"anonymous": "", "reviewer": e.staffToken("reviewer"), "organiser": e.staffToken("organiser"),
			"admin": e.staffToken("admin"), "exporter": e.exporterToken("organiser")}
		self := e.delegate(c, o, "Self", models.DelegateSubmitted, models.VisibilityPublic)
		tokens["self"] = e.delegateToken(self)
		tokens["other"] = e.delegateToken(e.delegate(c, o, "Other", models.DelegateSubmitted, models.VisibilityPublic))
		for _, r := range roles {
			selfOf[r] = e.delegate(c, o, "Target "+r, models.DelegateSubmitted, models.VisibilityPublic)
		}
		if got := e.do("GET", "/api/v1/me", tokens["other"], nil).want(t, 200).json(t)["id"]; got == self.ID {
			t.Fatal("another delegate's GET /me shows self")
		}
		conf := "/api/v1/conferences/" + c.Slug
		all := func(code int) map[string]int {
			m := map[string]int{}
			for _, r := range roles {
				m[r] = code
			}
			return m
		}
		staffOnly := func(staff int) map[string]int {
			return map[string]int{"anonymous": 401, "self": 403, "other": 403, "reviewer": staff, "organiser": staff, "admin": staff, "exporter": staff}
		}
		delegatesOnly := func(ok int) map[string]int {
			return map[string]int{"anonymous": 401, "self": ok, "other": ok, "reviewer": 403, "organiser": 403, "admin": 403, "exporter": 403}
		}
		decideWant := map[string]int{"anonymous": 401, "self": 403, "other": 403, "reviewer": 403, "organiser": 200, "admin": 200, "exporter": 200}
		matrix := []struct {
			method, path string
			body         func(role string) any
			want         map[string]int
		}{
			{"POST", conf + "/delegates", func(r string) any { return regBody(r+"-new@example.org", "New "+r, o) }, all(202)},
			{"POST", "/api/v1/delegates/confirm", func(string) any { return map[string]string{"token": "unknown-token"} }, all(404)},
			{"POST", "/api/v1/auth/magic-link", func(string) any { return map[string]string{"conference": c.Slug, "email": self.Email} }, all(202)},
			{"POST", "/api/v1/auth/magic-link/verify", func(string) any { return map[string]string{"token": "unknown-token"} }, all(404)},
			{"GET", conf + "/participants", nil, all(200)},
			{"GET", conf + "/delegates", nil, staffOnly(200)},
			{"GET", conf + "/delegates.csv", nil, map[string]int{"anonymous": 401, "self": 403, "other": 403, "reviewer": 403, "organiser": 403, "admin": 200, "exporter": 200}},
			{"GET", "/api/v1/delegates/" + self.ID, nil, staffOnly(200)},
			{"POST", "/api/v1/delegates/%s/decision", func(string) any { return map[string]string{"decision": "approve"} },
				decideWant},
			{"GET", "/api/v1/me", nil, delegatesOnly(200)},
			{"PATCH", "/api/v1/me", func(string) any { return map[string]string{"country": "CH"} }, delegatesOnly(200)},
			{"GET", "/api/v1/me/export", nil, delegatesOnly(200)},
			{"PUT", "/api/v1/me", nil, all(405)},
			{"DELETE", "/api/v1/delegates/" + self.ID, nil, all(405)},
			{"DELETE", "/api/v1/me", nil, delegatesOnly(204)}, // last: it erases the delegates
		}
		for _, m := range matrix {
			for _, role := range roles {
				want, ok := m.want[role]
				if !ok {
					t.Fatalf("%s %s: no expectation for %s", m.method, m.path, role)
				}
				path := m.path
				if m.method == "POST" && path == "/api/v1/delegates/%s/decision" {
					path = fmt.Sprintf(path, selfOf[role].ID)
				}
				var body any
				if m.body != nil {
					body = m.body(role)
				}
				if got := e.do(m.method, path, tokens[role], body); got.Code != want {
					t.Errorf("%s %s as %s: got %d, want %d: %s", m.method, m.path, role, got.Code, want, got.Body)
				}
			}
		}
		// Staff decided only their own targets; the delegates' targets were never touched.
		for role, d := range selfOf {
			back, err := e.st.Delegate(t.Context(), d.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := models.DelegateSubmitted
			if decideWant[role] == 200 {
				want = models.DelegateApproved
			}
			if back.Status != want {
				t.Errorf("decision target of %s: got %s, want %s", role, back.Status, want)
			}
		}
	})
}
