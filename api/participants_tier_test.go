package api

import (
	"strings"
	"testing"

	"github.com/zimmerwald/zimmerwald/models"
)

// TestParticipantsTier: with an approved delegate's token the participants list also shows the
// delegates who chose visibility participants, marked so and privately cached; anonymous
// callers, staff, delegates not approved and approved delegates of another conference see the
// public list only; visibility organisers is never shown.
func TestParticipantsTier(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		c, other := e.conference(), e.conference()
		union := e.organisation(c, "Union", true, 0)
		e.delegate(c, union, "Anna", models.DelegateApproved, models.VisibilityPublic)
		e.delegate(c, union, "Bohdan", models.DelegateApproved, models.VisibilityParticipants)
		e.delegate(c, union, "Olha", models.DelegateApproved, models.VisibilityOrganisers)
		e.delegate(c, union, "Petro", models.DelegateSubmitted, models.VisibilityParticipants)
		reader := e.delegate(c, union, "Reader", models.DelegateApproved, models.VisibilityOrganisers)
		waiting := e.delegate(c, union, "Waiting", models.DelegateSubmitted, models.VisibilityPublic)
		stranger := e.delegate(other, e.organisation(other, "Other", true, 0), "Stranger", models.DelegateApproved, models.VisibilityPublic)
		path := "/api/v1/conferences/" + c.Slug + "/participants"

		names := func(token string) (string, *response) {
			r := e.do("GET", path, token, nil).want(t, 200)
			var got listResponse[map[string]any]
			r.decode(t, &got)
			var out []string
			for _, it := range got.Items {
				out = append(out, it["display_name"].(string)+":"+it["visibility"].(string))
			}
			return strings.Join(out, ","), r
		}
		public := "Anna:public"
		for who, token := range map[string]string{"anonymous": "", "organiser": e.staffToken("organiser"),
			"submitted delegate": e.delegateToken(waiting), "delegate of another conference": e.delegateToken(stranger)} {
			if got, r := names(token); got != public || r.Header.Get("Cache-Control") == "private, no-store" {
				t.Errorf("%s: got %s (Cache-Control %q), want %s", who, got, r.Header.Get("Cache-Control"), public)
			}
		}
		got, r := names(e.delegateToken(reader))
		if got != "Anna:public,Bohdan:participants" {
			t.Errorf("approved delegate: got %s, want Anna and Bohdan", got)
		}
		if r.Header.Get("Cache-Control") != "private, no-store" {
			t.Errorf("approved delegate's list: Cache-Control %q, want private, no-store", r.Header.Get("Cache-Control"))
		}
		e.do("GET", path, "not-a-token", nil).want(t, 401)
	})
}
