package api

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/zimmerwald/zimmerwald/models"
)

// TestOrganiserOfOneConferenceSeesNothingOfAnother: an organiser (and a reviewer) of conference
// A reads and changes nothing of conference B over HTTP — delegates, the CSV export, sessions,
// ballots, announcements, the outbox, statements review, organisations, check-in — and gets 404
// as if nothing were there, while the same calls work on A; the audit log stays for admins. On
// SQLite and PostgreSQL.
func TestOrganiserOfOneConferenceSeesNothingOfAnother(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		a, b := e.conference(), e.conference()
		admin := e.staffToken(models.StaffAdmin)
		orgA := e.scopedToken(models.StaffOrganiser, a) // with the export permission
		revA := e.scopedToken(models.StaffReviewer, a)

		// B's records, made by B's admin.
		ob := e.organisation(b, "Hidden Union of B", false, 5)
		d := e.delegate(b, ob, "Bea", models.DelegateSubmitted, models.VisibilityOrganisers)
		sess := e.addSession(t, admin, b, sessionBody("Draft of B", "Room B", 5, 10))["id"].(string)
		ballot := e.do("POST", "/api/v1/conferences/"+b.Slug+"/ballots", admin, map[string]any{"kind": "motion", "question": "Ceasefire?"}).want(t, 201).json(t)["id"].(string)
		st := e.do("POST", "/api/v1/conferences/"+b.Slug+"/statements", admin, map[string]any{"title": "Peace", "summary": "Short.",
			"body": "Peace now.", "language": "en", "organisation_id": ob.ID}).want(t, 201).json(t)["id"].(string)
		e.do("POST", "/api/v1/statements/"+st+"/submit", admin, nil).want(t, 200)
		room := e.do("GET", "/api/v1/conferences/"+b.Slug+"/rooms", admin, nil).want(t, 200).json(t)["items"].([]any)[0].(map[string]any)["id"].(string)

		bs := "/api/v1/conferences/" + b.Slug
		for _, tc := range []struct {
			method, path string
			body         any
		}{
			{"GET", bs + "/delegates", nil},
			{"GET", bs + "/delegates.csv", nil},
			{"GET", "/api/v1/delegates/" + d.ID, nil},
			{"POST", "/api/v1/delegates/" + d.ID + "/decision", map[string]any{"decision": "approve"}},
			{"PATCH", bs, map[string]any{"title": "Taken over"}},
			{"PATCH", bs + "/organisations/" + ob.ID, map[string]any{"delegate_quota": 50}},
			{"GET", bs + "/organisations/" + ob.ID + "/delegation", nil},
			{"POST", bs + "/sessions", sessionBody("Intruder", "Room X", 6, 10)},
			{"GET", "/api/v1/sessions/" + sess, nil},
			{"PATCH", "/api/v1/sessions/" + sess, map[string]any{"title": "Renamed"}},
			{"DELETE", "/api/v1/sessions/" + sess, nil},
			{"PATCH", "/api/v1/rooms/" + room, map[string]any{"name": "Renamed"}},
			{"GET", bs + "/agenda/conflicts", nil},
			{"POST", bs + "/agenda/releases", nil},
			{"POST", bs + "/ballots", map[string]any{"kind": "motion", "question": "Q?"}},
			{"GET", "/api/v1/ballots/" + ballot, nil},
			{"POST", "/api/v1/ballots/" + ballot + "/close", nil},
			{"GET", bs + "/announcements", nil},
			{"POST", bs + "/announcements", map[string]any{"subject": "Hello", "body": "Hello all.", "audience": map[string]any{}}},
			{"GET", bs + "/outbox", nil},
			{"GET", "/api/v1/statements/" + st, nil},
			{"POST", "/api/v1/statements/" + st + "/decision", map[string]any{"decision": "accept"}},
			{"POST", "/api/v1/statements/" + st + "/comments", map[string]any{"body": "Looks fine."}},
			{"POST", bs + "/checkins", map[string]any{"code": "ABCD-EFGH"}},
			{"GET", bs + "/presence", nil},
		} {
			for who, token := range map[string]string{"organiser of A": orgA, "reviewer of A": revA} {
				got := e.do(tc.method, tc.path, token, tc.body)
				want := 404
				if who == "reviewer of A" && got.Code == 403 {
					want = 403 // an organisers' operation: refused whatever the conference
				}
				if got.Code != want {
					t.Errorf("%s %s as %s: got %d, want %d: %s", tc.method, tc.path, who, got.Code, want, got.Body)
				}
				if strings.Contains(string(got.Body), "Bea") || strings.Contains(string(got.Body), d.Email) {
					t.Errorf("%s %s as %s: the answer names B's delegate: %s", tc.method, tc.path, who, got.Body)
				}
			}
		}
		// B's public lists show A's organiser only what the public sees.
		for _, path := range []string{bs + "/sessions", bs + "/organisations", bs + "/statements", bs + "/ballots"} {
			body := string(e.do("GET", path, orgA, nil).Body)
			if strings.Contains(body, sess) || strings.Contains(body, "Hidden Union") || strings.Contains(body, st) || strings.Contains(body, ballot) {
				t.Errorf("GET %s as organiser of A shows B's staff side: %s", path, body)
			}
		}
		e.do("GET", "/api/v1/audit", orgA, nil).want(t, 403)

		// Nothing of B changed.
		if got, _ := e.st.Delegate(context.Background(), d.ID); got.Status != models.DelegateSubmitted {
			t.Errorf("B's delegate is %s after A's organiser tried, want submitted", got.Status)
		}
		e.do("GET", "/api/v1/sessions/"+sess, admin, nil).want(t, 200).has(t, "Draft of B")
		if n := len(e.allOutbox(b)); n != 0 {
			t.Errorf("B's outbox has %d messages after A's staff tried, want 0", n)
		}

		// The same operations work on A.
		as := "/api/v1/conferences/" + a.Slug
		oa := e.organisation(a, "Union of A", true, 5)
		da := e.delegate(a, oa, "Ada", models.DelegateSubmitted, models.VisibilityOrganisers)
		e.do("GET", as+"/delegates", orgA, nil).want(t, 200).has(t, da.ID)
		e.do("GET", as+"/delegates", revA, nil).want(t, 200).has(t, da.ID)
		e.do("GET", as+"/delegates.csv", orgA, nil).want(t, 200).has(t, da.Email)
		e.do("POST", "/api/v1/delegates/"+da.ID+"/decision", orgA, map[string]any{"decision": "approve"}).want(t, 200)
		e.addSession(t, orgA, a, sessionBody("Session of A", "Room A", 5, 10))
		e.do("GET", as+"/outbox", orgA, nil).want(t, 200)
	})
}

// TestConferenceRolesAreSetByAdmins: a new organiser works on no conference; an admin gives it
// one with PUT /accounts/{id}/roles, and its token (the account's scope) follows at once;
// taking the conference away closes it again. Admins take no roles; the change is audited.
func TestConferenceRolesAreSetByAdmins(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		a, b := e.conference(), e.conference()
		admin := e.staffToken(models.StaffAdmin)
		acc := e.do("POST", "/api/v1/accounts", admin, map[string]any{"email": "new-org@staff.test", "password": testPassword, "role": "organiser"}).
			want(t, 201).json(t)
		if cs := acc["conferences"].([]any); len(cs) != 0 {
			t.Fatalf("a new account works on %v, want no conference", cs)
		}
		id := acc["id"].(string)
		tok := e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "new-org@staff.test", "password": testPassword}).want(t, 200).json(t)["token"].(string)
		e.do("GET", "/api/v1/conferences/"+a.Slug+"/delegates", tok, nil).want(t, 404)

		got := e.do("PUT", "/api/v1/accounts/"+id+"/roles", admin, map[string]any{"roles": []map[string]string{{"conference": a.Slug, "role": "organiser"}}}).
			want(t, 200).json(t)
		if cs := got["conferences"].([]any); len(cs) != 1 || cs[0].(map[string]any)["conference"] != a.Slug {
			t.Fatalf("roles after the change: %v", cs)
		}
		e.do("GET", "/api/v1/conferences/"+a.Slug+"/delegates", tok, nil).want(t, 200)
		e.do("GET", "/api/v1/conferences/"+b.Slug+"/delegates", tok, nil).want(t, 404)
		list := e.do("GET", "/api/v1/accounts", admin, nil).want(t, 200)
		if !strings.Contains(string(list.Body), `"conference":"`+a.Slug+`"`) {
			t.Errorf("the accounts list does not show the role on %s: %s", a.Slug, list.Body)
		}
		if e.auditCount("account.roles", id) != 1 {
			t.Error("the roles change is not audited")
		}

		// A reviewer there may review but not organise.
		e.do("PUT", "/api/v1/accounts/"+id+"/roles", admin, map[string]any{"roles": []map[string]string{{"conference": a.Slug, "role": "reviewer"}}}).want(t, 200)
		e.do("GET", "/api/v1/conferences/"+a.Slug+"/delegates", tok, nil).want(t, 200)
		e.do("GET", "/api/v1/conferences/"+a.Slug+"/outbox", tok, nil).want(t, 403)
		// Taken away: nothing again.
		e.do("PUT", "/api/v1/accounts/"+id+"/roles", admin, map[string]any{"roles": []any{}}).want(t, 200)
		e.do("GET", "/api/v1/conferences/"+a.Slug+"/delegates", tok, nil).want(t, 404)

		// Refusals.
		p := e.do("PUT", "/api/v1/accounts/"+id+"/roles", admin, map[string]any{"roles": []map[string]string{{"conference": "no-such-conference", "role": "organiser"}}}).
			want(t, 422).problem(t)
		if p.ErrorCodes["roles.0.conference"] != string(models.FieldUnknownReference) {
			t.Errorf("unknown conference: %+v", p)
		}
		e.do("PUT", "/api/v1/accounts/"+id+"/roles", admin, map[string]any{"roles": []map[string]string{{"conference": a.Slug, "role": "admin"}}}).want(t, 422)
		adminAcc := e.account(models.StaffAdmin)
		e.do("PUT", "/api/v1/accounts/"+adminAcc.ID+"/roles", admin, map[string]any{"roles": []map[string]string{{"conference": a.Slug, "role": "organiser"}}}).want(t, 422)
		e.do("PUT", "/api/v1/accounts/"+models.NewID()+"/roles", admin, map[string]any{"roles": []any{}}).want(t, 404)
		e.do("PUT", "/api/v1/accounts/"+id+"/roles", tok, map[string]any{"roles": []any{}}).want(t, 403)
	})
}

// TestReviewersSeeOnlyWhatReviewNeeds: a reviewer's delegate list and registrant answers carry
// no sealed need, visa, attendance, country, legal name or email field, and the CSV export is
// refused to a reviewer even with the export permission; an organiser still sees the record
// whole. On SQLite and PostgreSQL.
func TestReviewersSeeOnlyWhatReviewNeeds(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		c := e.conference()
		o := e.organisation(c, "Union", true, 5)
		d := e.delegate(c, o, "Quiet Reader", models.DelegateSubmitted, models.VisibilityOrganisers)
		d.LegalName, d.NeedsVisaLetter, d.Country, d.Attendance = "Irina Legalname", true, "RU", models.AttendRemote
		d.AccessibilityNeeds, d.InterpretationNeeds = "step-free access", "Russian to French"
		if err := e.st.UpdateDelegate(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		rev := e.staffToken(models.StaffReviewer)
		hidden := []string{"email", "legal_name", "interpretation_needs", "accessibility_needs", "needs_visa_letter", "attendance",
			"country", "visibility", "decision_reason", "notify_announcements", "notify_agenda", "mail_language", "openpgp_key"}
		check := func(what string, rec map[string]any) {
			t.Helper()
			if rec["display_name"] != "Quiet Reader" || rec["status"] != "submitted" {
				t.Errorf("%s: the reviewer lacks what review needs: %v", what, rec)
			}
			for _, k := range hidden {
				if _, ok := rec[k]; ok {
					t.Errorf("%s: a reviewer's answer carries %q", what, k)
				}
			}
		}
		list := e.do("GET", "/api/v1/conferences/"+c.Slug+"/delegates", rev, nil).want(t, 200)
		var page struct{ Items []map[string]any }
		if err := json.Unmarshal(list.Body, &page); err != nil || len(page.Items) != 1 {
			t.Fatalf("reviewer's list: %v %s", err, list.Body)
		}
		check("list", page.Items[0])
		one := e.do("GET", "/api/v1/delegates/"+d.ID, rev, nil).want(t, 200)
		check("registrant", one.json(t))
		for _, r := range []*response{list, one} {
			for _, secret := range []string{d.Email, "Irina Legalname", "step-free", "Russian to French", "remote"} {
				if strings.Contains(string(r.Body), secret) {
					t.Errorf("a reviewer's answer holds %q: %s", secret, r.Body)
				}
			}
		}
		e.do("GET", "/api/v1/conferences/"+c.Slug+"/delegates.csv", e.exporterToken(models.StaffReviewer), nil).want(t, 403)

		org := e.staffToken(models.StaffOrganiser)
		full := e.do("GET", "/api/v1/delegates/"+d.ID, org, nil).want(t, 200).json(t)
		if full["legal_name"] != "Irina Legalname" || full["needs_visa_letter"] != true || full["attendance"] != "remote" || full["email"] != d.Email {
			t.Errorf("an organiser's read lost fields: %v", full)
		}
		orgList := e.do("GET", "/api/v1/conferences/"+c.Slug+"/delegates", org, nil).want(t, 200).json(t)["items"].([]any)[0].(map[string]any)
		if orgList["needs_visa_letter"] != true || orgList["attendance"] != "remote" {
			t.Errorf("an organiser's list lost the review fields: %v", orgList)
		}
		if _, ok := orgList["email"]; ok {
			t.Errorf("an organiser's list carries the email: %v", orgList)
		}
	})
}

// has fails the test unless the answer's body holds every one of subs.
func (r *response) has(t testing.TB, subs ...string) *response {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(string(r.Body), s) {
			t.Fatalf("the answer lacks %q: %s", s, r.Body)
		}
	}
	return r
}

// problem decodes the answer as a problem document.
func (r *response) problem(t testing.TB) Problem {
	t.Helper()
	var p Problem
	r.decode(t, &p)
	return p
}
