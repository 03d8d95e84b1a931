package api

import (
	"testing"

	"github.com/zimmerwald/zimmerwald/models"
)

// TestStaffListReadsAreAudited: every staff read of a conference's delegate list, by any staff
// role, is an audit event; so is the CSV export (TestDelegatesCSVExport).
func TestStaffListReadsAreAudited(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		c := e.conference()
		e.delegate(c, nil, "Observer", "submitted", "organisers")
		path := "/api/v1/conferences/" + c.Slug + "/delegates"
		for i, role := range []models.StaffRole{"reviewer", "organiser", "admin"} {
			e.do("GET", path, e.staffToken(role), nil).want(t, 200)
			if n := e.auditCount("delegates.list", c.ID); n != i+1 {
				t.Errorf("after a %s's read: got %d delegates.list events, want %d", role, n, i+1)
			}
		}
		e.do("GET", path+"?status=boss", e.staffToken("reviewer"), nil).want(t, 400)
		if n := e.auditCount("delegates.list", c.ID); n != 3 {
			t.Errorf("a refused read was audited: %d events", n)
		}
	})
}
