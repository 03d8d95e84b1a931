package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/zimmerwald/zimmerwald/models"
)

// Quotas: approving beyond the quota is a 409; a freed place goes to the first on the waiting
// list, who is mailed; each decision is mailed in the delegate's language and audited.
func TestDecisionQuotaAndWaitlist(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		c := e.conference()
		o := e.organisation(c, "Union", true, 2)
		ds := make([]*models.Delegate, 5)
		for i, name := range []string{"Anna", "Boris", "Chloe", "Dmytro", "Eva"} {
			ds[i] = e.delegate(c, o, name, models.DelegateSubmitted, models.VisibilityPublic)
		}
		ds[2].Languages = models.StringList{"de"}
		if err := e.st.UpdateDelegate(ctx, ds[2]); err != nil {
			t.Fatal(err)
		}
		org1 := e.staffToken("organiser")
		decide := func(d *models.Delegate, decision string, want int) map[string]any {
			t.Helper()
			return e.do("POST", "/api/v1/delegates/"+d.ID+"/decision", org1, map[string]string{"decision": decision, "reason": "note for " + d.DisplayName}).want(t, want).json(t)
		}
		if got := decide(ds[0], "approve", 200); got["status"] != "approved" || got["email"] != nil {
			t.Errorf("got %v, want approved without personal fields", got)
		}
		decide(ds[1], "approve", 200)
		full := decide(ds[2], "approve", 409)
		if errs, _ := full["errors"].(map[string]any); errs["decision"] == nil {
			t.Errorf("quota refusal: got %v, want an errors.decision message", full)
		}
		if w := decide(ds[2], "waitlist", 200); w["status"] != "waitlisted" || w["waitlist_position"] != float64(1) {
			t.Errorf("got %v, want waitlisted at position 1", w)
		}
		decide(ds[3], "waitlist", 200)
		decide(ds[3], "waitlist", 409) // no change: an illegal move
		e.do("POST", "/api/v1/delegates/"+ds[4].ID+"/decision", org1, map[string]string{"decision": "promote"}).want(t, 422)
		e.do("POST", "/api/v1/delegates/"+models.NewID()+"/decision", org1, map[string]string{"decision": "approve"}).want(t, 404)
		e.do("POST", "/api/v1/delegates/not-an-id/decision", org1, map[string]string{"decision": "approve"}).want(t, 404)
		pending := e.delegate(c, o, "Pending", models.DelegatePending, models.VisibilityPublic)
		decide(pending, "reject", 409)

		decide(ds[0], "reject", 200) // frees a place: Chloe (first on the list) is promoted
		status := func(d *models.Delegate) models.DelegateStatus {
			back, err := e.st.Delegate(ctx, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			return back.Status
		}
		if status(ds[2]) != models.DelegateApproved || status(ds[3]) != models.DelegateWaitlist {
			t.Fatalf("after a place freed: got %s and %s, want approved and waitlisted", status(ds[2]), status(ds[3]))
		}
		if n := e.countDelegates(c, models.DelegateApproved); n != 2 {
			t.Errorf("got %d approved, want the quota of 2", n)
		}

		// Boris withdraws (erases himself): Dmytro is next.
		e.do("DELETE", "/api/v1/me", e.delegateToken(ds[1]), nil).want(t, 204)
		if status(ds[3]) != models.DelegateApproved {
			t.Errorf("after a withdrawal: got %s, want Dmytro approved", status(ds[3]))
		}
		if got := e.auditCount("delegate.decide", ds[2].ID); got != 1 {
			t.Errorf("got %d decide audit events for Chloe, want 1 (the refused approval is not one)", got)
		}
		if got := e.auditCount("delegate.promote", ds[2].ID); got != 1 {
			t.Errorf("got %d promote audit events for Chloe, want 1", got)
		}

		got := e.deliver()
		chloe := mailsTo(t, got, ds[2].Email)
		if len(chloe) != 2 {
			t.Fatalf("got %d mails to Chloe, want 2 (waitlisted, promoted)", len(chloe))
		}
		find := func(ms []parsedMail, part string) *parsedMail {
			for i := range ms {
				if strings.Contains(ms[i].Subject+"\n"+ms[i].Text, part) {
					return &ms[i]
				}
			}
			return nil
		}
		if m := find(chloe, "note for Chloe"); m == nil || !strings.HasPrefix(m.Subject, "Ihre Anmeldung") {
			t.Errorf("no German decision mail with the reason to Chloe: %+v", chloe)
		}
		anna := mailsTo(t, got, ds[0].Email)
		if len(anna) != 2 || find(anna, "could not be accepted") == nil || find(anna, "has been approved") == nil {
			t.Errorf("got %d mails to Anna, want an approval and a rejection", len(anna))
		}
		if len(mailsTo(t, got, ds[1].Email)) != 0 {
			t.Error("mail queued for an erased delegate was still sent")
		}
		if dm := mailsTo(t, got, ds[3].Email); len(dm) != 2 {
			t.Errorf("got %d mails to Dmytro, want 2 (waitlisted, promoted)", len(dm))
		}
	})
}

// The public list shows approved, public delegates only, names listed organisations only, and is
// byte-identical whether or not non-public delegates exist.
func TestParticipantsShowOnlyPublicDelegates(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		c := e.conference()
		listed := e.organisation(c, "Listed Union", true, 0)
		hidden := e.organisation(c, "Secret Movement", false, 0)
		e.delegate(c, listed, "Anna", models.DelegateApproved, models.VisibilityPublic)
		e.delegate(c, hidden, "Mykola", models.DelegateApproved, models.VisibilityPublic)
		path := "/api/v1/conferences/" + c.Slug + "/participants"
		before := e.do("GET", path, "", nil).want(t, 200)
		for _, d := range []struct {
			name   string
			status models.DelegateStatus
			vis    models.Visibility
		}{
			{"HiddenParticipants", models.DelegateApproved, models.VisibilityParticipants},
			{"HiddenOrganisers", models.DelegateApproved, models.VisibilityOrganisers},
			{"HiddenSubmitted", models.DelegateSubmitted, models.VisibilityPublic},
			{"HiddenWaitlisted", models.DelegateWaitlist, models.VisibilityPublic},
			{"HiddenRejected", models.DelegateRejected, models.VisibilityPublic},
			{"HiddenPending", models.DelegatePending, models.VisibilityPublic},
		} {
			e.delegate(c, listed, d.name, d.status, d.vis)
			e.delegate(c, hidden, d.name+"2", d.status, d.vis)
		}
		gone := e.delegate(c, listed, "HiddenErased", models.DelegateApproved, models.VisibilityPublic)
		e.do("DELETE", "/api/v1/me", e.delegateToken(gone), nil).want(t, 204)
		after := e.do("GET", path, "", nil).want(t, 200)
		if !bytes.Equal(before.Body, after.Body) {
			t.Errorf("the public list changed when non-public delegates were added:\n%s\n%s", before.Body, after.Body)
		}
		var got listResponse[map[string]any]
		after.decode(t, &got)
		if len(got.Items) != 2 || got.Items[0]["display_name"] != "Anna" || got.Items[0]["organisation"] != "Listed Union" ||
			got.Items[1]["display_name"] != "Mykola" || got.Items[1]["organisation"] != nil {
			t.Errorf("got %s, want Anna (Listed Union) and Mykola without organisation", after.Body)
		}
		for _, leak := range []string{"Hidden", "Secret", "@", "withdrawn", `"id"`} {
			if strings.Contains(string(after.Body), leak) {
				t.Errorf("public list contains %q: %s", leak, after.Body)
			}
		}
		p1 := e.do("GET", path+"?limit=1", "", nil).want(t, 200)
		var page1 listResponse[map[string]any]
		p1.decode(t, &page1)
		p2 := e.do("GET", path+"?limit=1&cursor="+page1.NextCursor, "", nil).want(t, 200).json(t)
		if items := p2["items"].([]any); len(items) != 1 || items[0].(map[string]any)["display_name"] != "Mykola" {
			t.Errorf("second page: got %v, want Mykola", p2)
		}
		e.do("GET", path+"?cursor=bogus", "", nil).want(t, 400)
		e.do("GET", path+"?limit=-1", "", nil).want(t, 400)
		e.do("GET", "/api/v1/conferences/nope/participants", "", nil).want(t, 404)
	})
}

// Staff lists filter and never show personal fields; reading one delegate's personal fields is
// for organisers and audited; reviewers see the record without them.
func TestStaffListAndAuditedRead(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		c := e.conference()
		o1 := e.organisation(c, "One", true, 0)
		o2 := e.organisation(c, "Two", true, 0)
		a := e.delegate(c, o1, "Alexandra", models.DelegateSubmitted, models.VisibilityOrganisers)
		e.delegate(c, o1, "Bohdan", models.DelegateApproved, models.VisibilityPublic)
		e.delegate(c, o2, "Alex_2%", models.DelegateSubmitted, models.VisibilityPublic)
		base := "/api/v1/conferences/" + c.Slug + "/delegates"
		org := e.staffToken("organiser")
		names := func(q string) []string {
			t.Helper()
			var got listResponse[map[string]any]
			r := e.do("GET", base+q, org, nil).want(t, 200)
			if strings.Contains(string(r.Body), "@delegates.test") || strings.Contains(string(r.Body), `"email"`) {
				t.Errorf("staff list shows personal fields: %s", r.Body)
			}
			r.decode(t, &got)
			var out []string
			for _, it := range got.Items {
				out = append(out, it["display_name"].(string))
			}
			return out
		}
		for q, want := range map[string]string{
			"":                          "Alexandra,Bohdan,Alex_2%",
			"?status=submitted":         "Alexandra,Alex_2%",
			"?organisation_id=" + o1.ID: "Alexandra,Bohdan",
			"?q=ALEX":                   "Alexandra,Alex_2%",
			"?q=_2%25":                  "Alex_2%",
			"?q=a_":                     "",
			"?status=submitted&q=alex&role=delegate&attendance=in_person": "Alexandra,Alex_2%",
		} {
			if got := strings.Join(names(q), ","); got != want {
				t.Errorf("GET %s: got %q, want %q", q, got, want)
			}
		}
		if got := names("?limit=2"); len(got) != 2 {
			t.Errorf("limit=2: got %v", got)
		}
		for _, q := range []string{"?status=boss", "?organisation_id=x", "?role=admin", "?limit=0", "?cursor=zzz"} {
			e.do("GET", base+q, org, nil).want(t, 400)
		}

		r := e.do("GET", "/api/v1/delegates/"+a.ID, org, nil).want(t, 200).json(t)
		if r["email"] != a.Email || r["legal_name"] == nil {
			t.Errorf("organiser read: got %v, want the personal fields", r)
		}
		if n := e.auditCount("delegate.read", a.ID); n != 1 {
			t.Errorf("got %d delegate.read events, want 1", n)
		}
		rv := e.do("GET", "/api/v1/delegates/"+a.ID, e.staffToken("reviewer"), nil).want(t, 200).json(t)
		if _, ok := rv["email"]; ok {
			t.Errorf("reviewer read: got %v, want no personal fields", rv)
		}
		if n := e.auditCount("delegate.read", a.ID); n != 1 {
			t.Errorf("a read without personal fields was audited: %d events", n)
		}
		e.do("GET", "/api/v1/delegates/"+models.NewID(), org, nil).want(t, 404)
		e.do("GET", "/api/v1/delegates/x'--", org, nil).want(t, 404)
	})
}

// The CSV export needs the export permission, is audited, carries the personal fields and
// defuses spreadsheet formulas.
func TestDelegatesCSVExport(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		c := e.conference()
		o := e.organisation(c, "Union", true, 0)
		d := e.delegate(c, o, "=HYPERLINK(\"http://evil\")", models.DelegateApproved, models.VisibilityPublic)
		e.delegate(c, nil, "Observer", models.DelegateSubmitted, models.VisibilityOrganisers)
		path := "/api/v1/conferences/" + c.Slug + "/delegates.csv"
		e.do("GET", path, e.staffToken("organiser"), nil).want(t, 403)
		if n := e.auditCount("delegates.export", c.ID); n != 0 {
			t.Errorf("a refused export was audited: %d", n)
		}
		r := e.do("GET", path, e.exporterToken("organiser"), nil).want(t, 200)
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") || r.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("got Content-Type %q, Cache-Control %q", ct, r.Header.Get("Cache-Control"))
		}
		rows, err := csv.NewReader(bytes.NewReader(r.Body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 3 || rows[0][4] != "email" || rows[1][4] != d.Email || rows[1][3] != `'=HYPERLINK("http://evil")` || rows[1][7] != "Union" {
			t.Errorf("got %v", rows)
		}
		if n := e.auditCount("delegates.export", c.ID); n != 1 {
			t.Errorf("got %d export audit events, want 1", n)
		}
		e.do("GET", "/api/v1/conferences/nope/delegates.csv", e.staffToken("admin"), nil).want(t, 404)
	})
}
