package api

import (
	"context"
	"testing"

	"github.com/zimmerwald/zimmerwald/models"
)

// TestRaisingAQuotaPromotesTheWaitingList: when an organiser raises an organisation's quota, its
// waitlisted delegates are approved in waitlist order, up to the new quota, and mailed.
func TestRaisingAQuotaPromotesTheWaitingList(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		c := e.conference()
		o := e.organisation(c, "Quota Union", true, 1)
		org := e.staffToken("organiser")
		var ds []*models.Delegate
		for _, name := range []string{"First", "Second", "Third"} {
			d := e.delegate(c, o, name, models.DelegateSubmitted, models.VisibilityOrganisers)
			ds = append(ds, d)
		}
		e.do("POST", "/api/v1/delegates/"+ds[0].ID+"/decision", org, map[string]string{"decision": "approve"}).want(t, 200)
		e.do("POST", "/api/v1/delegates/"+ds[1].ID+"/decision", org, map[string]string{"decision": "waitlist"}).want(t, 200)
		e.do("POST", "/api/v1/delegates/"+ds[2].ID+"/decision", org, map[string]string{"decision": "waitlist"}).want(t, 200)
		status := func(d *models.Delegate) models.DelegateStatus {
			got, err := e.st.Delegate(context.Background(), d.ID)
			if err != nil {
				t.Fatal(err)
			}
			return got.Status
		}
		e.do("PATCH", "/api/v1/conferences/"+c.Slug+"/organisations/"+o.ID, org, map[string]int{"delegate_quota": 2}).want(t, 200)
		if status(ds[1]) != models.DelegateApproved || status(ds[2]) != models.DelegateWaitlist {
			t.Fatalf("after raising the quota to 2: got %s and %s, want the first waitlisted approved", status(ds[1]), status(ds[2]))
		}
		promoted := 0
		for _, m := range e.outbox(c) {
			if m.Template == "waitlist_promoted" {
				promoted++
				if m.To != ds[1].Email {
					t.Errorf("promotion mail to the wrong delegate")
				}
			}
		}
		if promoted != 1 {
			t.Errorf("got %d promotion mails, want 1", promoted)
		}
	})
}
