package web_test

import (
	"context"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/zimmerwald/zimmerwald/models"
)

// consolePages maps every staff operation of the API (a route behind s.staff(...) in
// api/routes.go) to the console route that does the same without a token.
var consolePages = map[string]string{
	"GET /api/v1/accounts":                                 "GET /staff/accounts",
	"POST /api/v1/accounts":                                "POST /staff/accounts",
	"PUT /api/v1/accounts/:id/roles":                       "POST /staff/accounts/{id}/roles",
	"GET /api/v1/audit":                                    "GET /staff/audit",
	"GET /api/v1/tokens":                                   "GET /staff/tokens",
	"GET /api/v1/settings":                                 "GET /staff/totp",
	"PATCH /api/v1/settings":                               "POST /staff/totp/require",
	"POST /api/v1/tokens":                                  "POST /staff/tokens",
	"DELETE /api/v1/tokens/:id":                            "POST /staff/tokens/{id}/revoke",
	"POST /api/v1/conferences":                             "POST /staff/conferences",
	"PATCH /api/v1/conferences/:slug":                      "POST /staff/c/{slug}/settings",
	"POST /api/v1/conferences/:slug/organisations":         "POST /staff/c/{slug}/organisations",
	"PATCH /api/v1/conferences/:slug/organisations/:id":    "POST /staff/c/{slug}/organisations/{id}",
	"GET /api/v1/conferences/:slug/delegates":              "GET /staff/c/{slug}/registrations",
	"GET /api/v1/conferences/:slug/delegates.csv":          "GET /staff/c/{slug}/delegates.csv",
	"GET /api/v1/delegates/:id":                            "GET /staff/c/{slug}/registrations/{id}",
	"POST /api/v1/delegates/:id/decision":                  "POST /staff/c/{slug}/registrations/{id}/decision",
	"POST /api/v1/conferences/:slug/rooms":                 "POST /staff/c/{slug}/rooms",
	"PATCH /api/v1/rooms/:id":                              "POST /staff/c/{slug}/rooms/{id}",
	"DELETE /api/v1/rooms/:id":                             "POST /staff/c/{slug}/rooms/{id}/delete",
	"POST /api/v1/conferences/:slug/sessions":              "POST /staff/c/{slug}/sessions",
	"PATCH /api/v1/sessions/:id":                           "POST /staff/c/{slug}/sessions/{id}",
	"DELETE /api/v1/sessions/:id":                          "POST /staff/c/{slug}/sessions/{id}/delete",
	"GET /api/v1/conferences/:slug/agenda/conflicts":       "GET /staff/c/{slug}/agenda",
	"POST /api/v1/conferences/:slug/agenda/releases":       "POST /staff/c/{slug}/releases",
	"POST /api/v1/statements/:id/decision":                 "POST /staff/c/{slug}/statements/{id}/decision",
	"POST /api/v1/statements/:id/comments":                 "POST /staff/c/{slug}/statements/{id}/comments",
	"POST /api/v1/amendments/:id/decision":                 "POST /staff/c/{slug}/statements/{id}/amendments",
	"POST /api/v1/statements/:id/ballot":                   "POST /staff/c/{slug}/statements/{id}/ballot",
	"POST /api/v1/statements/:id/ballot/close":             "POST /staff/c/{slug}/statements/{id}/ballot/close",
	"GET /api/v1/conferences/:slug/announcements":          "GET /staff/c/{slug}/announcements",
	"POST /api/v1/conferences/:slug/announcements":         "POST /staff/c/{slug}/announcements",
	"POST /api/v1/conferences/:slug/announcements/preview": "POST /staff/c/{slug}/announcements",
	"GET /api/v1/conferences/:slug/outbox":                 "GET /staff/c/{slug}/outbox",
	"POST /api/v1/conferences/:slug/outbox/:id/retry":      "POST /staff/c/{slug}/outbox/{id}/retry",
	// The plenary (DESIGN "The plenary (wave 2)").
	"GET /api/v1/conferences/:slug/organisations/:id/delegation": "GET /staff/c/{slug}/delegations",
	"PUT /api/v1/conferences/:slug/organisations/:id/delegation": "POST /staff/c/{slug}/delegations/{id}",
	"POST /api/v1/conferences/:slug/ballots":                     "POST /staff/c/{slug}/ballots",
	"POST /api/v1/ballots/:id/close":                             "POST /staff/c/{slug}/ballots/{id}/close",
	"POST /api/v1/sessions/:id/items":                            "POST /staff/c/{slug}/sessions/{id}/items",
	"PATCH /api/v1/items/:id":                                    "POST /staff/c/{slug}/items/{id}",
	"POST /api/v1/items/:id/speakers/next":                       "POST /staff/c/{slug}/items/{id}/chair/{action}",
	"POST /api/v1/items/:id/speakers/extend":                     "POST /staff/c/{slug}/items/{id}/chair/{action}",
	"POST /api/v1/items/:id/speakers/end":                        "POST /staff/c/{slug}/items/{id}/chair/{action}",
	"POST /api/v1/items/:id/speakers/close":                      "POST /staff/c/{slug}/items/{id}/chair/{action}",
	"POST /api/v1/items/:id/speakers/reopen":                     "POST /staff/c/{slug}/items/{id}/chair/{action}",
	"POST /api/v1/conferences/:slug/checkins":                    "POST /staff/c/{slug}/checkins",
	"GET /api/v1/conferences/:slug/presence":                     "GET /staff/c/{slug}/plenary",
}

// TestEveryStaffOperationHasAPage lists the staff routes of the API and fails for one that has
// no console route (or whose console route does not exist).
func TestEveryStaffOperationHasAPage(t *testing.T) {
	api, err := os.ReadFile("../api/routes.go")
	if err != nil {
		t.Fatal(err)
	}
	web, err := os.ReadFile("web.go")
	if err != nil {
		t.Fatal(err)
	}
	route := regexp.MustCompile(`v1\.(GET|POST|PUT|PATCH|DELETE)\("([^"]+)",\s*s\.staff\(`)
	staff := route.FindAllStringSubmatch(string(api), -1)
	if len(staff) < 20 {
		t.Fatalf("found %d staff routes in api/routes.go: the pattern no longer matches", len(staff))
	}
	pages := map[string]bool{}
	for _, m := range regexp.MustCompile(`m\.HandleFunc\("([A-Z]+ [^"]+)"`).FindAllStringSubmatch(string(web), -1) {
		pages[m[1]] = true
	}
	for _, m := range staff {
		op := m[1] + " /api/v1" + m[2]
		page, ok := consolePages[op]
		if !ok {
			t.Errorf("staff operation %s has no console page (add one and list it in consolePages)", op)
			continue
		}
		if !pages[page] {
			t.Errorf("staff operation %s: console route %q is not in Pages.routes", op, page)
		}
	}
}

// TestConsoleOrganisationsAndRegistrants: organisers create, verify and edit organisations and
// copy an invitation link, read a registrant's sealed fields (audited), and export CSV only with
// the export permission; reviewers see no personal fields.
func TestConsoleOrganisationsAndRegistrants(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		c := e.conference()
		staff := e.staff(models.StaffOrganiser)
		base := "/staff/c/" + c.Slug
		staff.post(base+"/organisations", url.Values{"name": {"Hidden Union"}, "country": {"UA"}, "kind": {"union"}, "delegate_quota": {"3"},
			"listed_present": {"1"}}).want(t, 200).has(t, "Saved.", "Hidden Union", "not named publicly")
		orgs, _ := e.st.ListOrganisations(ctx, models.OrganisationFilter{ConferenceID: c.ID})
		if len(orgs) != 1 || orgs[0].Status != models.OrgVerified || orgs[0].DelegateQuota != 3 || orgs[0].Listed {
			t.Fatalf("created organisation: %+v", orgs)
		}
		o := orgs[0]
		staff.get(base+"/organisations").has(t, "/c/"+c.Slug+"/register?organisation="+o.ID)
		// A proposed organisation is verified from the page; quota and listing change.
		o.Status = models.OrgProposed
		if err := e.st.UpdateOrganisation(ctx, &o); err != nil {
			t.Fatal(err)
		}
		staff.get(base+"/organisations?lang=ru").has(t, "Подтвердить", "предложена")
		staff.post(base+"/organisations/"+o.ID, url.Values{"delegate_quota": {"5"}, "listed_present": {"1"}, "listed": {"1"}, "status": {"verified"}}).want(t, 200)
		got, _ := e.st.Organisation(ctx, c.ID, o.ID)
		if got.Status != models.OrgVerified || got.DelegateQuota != 5 || !got.Listed {
			t.Fatalf("after the update: %+v", got)
		}
		staff.post(base+"/organisations/"+o.ID, url.Values{"delegate_quota": {"many"}}).want(t, 422)

		d := e.delegate(c, &o, "Olena", models.DelegateSubmitted, models.VisibilityOrganisers)
		d.AccessibilityNeeds, d.LegalName, d.NeedsVisaLetter = "step-free access", "Olena Petrenko", true
		if err := e.st.UpdateDelegate(ctx, d); err != nil {
			t.Fatal(err)
		}
		staff.get(base+"/registrations").has(t, base+"/registrations/"+d.ID)
		staff.get(base+"/registrations/"+d.ID+"?lang=en").want(t, 200).has(t, "Olena Petrenko", "step-free access", d.Email, "audit log")
		evs, _ := e.st.ListAudit(ctx, models.AuditFilter{Action: "delegate.read", TargetID: d.ID, Page: models.Page{Limit: 10}})
		if len(evs) != 1 {
			t.Fatalf("registrant page: %d delegate.read audit events, want 1", len(evs))
		}
		e.staff(models.StaffReviewer).get(base+"/registrations/"+d.ID).want(t, 200).has(t, "Olena").lacks(t, "Olena Petrenko", d.Email)
		other := e.conference()
		staff.get("/staff/c/"+other.Slug+"/registrations/"+d.ID).want(t, 404)

		// The export needs the permission: an admin creates an exporting organiser on the accounts page.
		staff.get(base+"/delegates.csv").want(t, 403)
		admin := e.staff(models.StaffAdmin)
		admin.post("/staff/accounts", url.Values{"email": {"exporter@staff.test"}, "password": {testPassword}, "role": {"organiser"}, "can_export": {"1"}}).
			want(t, 200).has(t, "exporter@staff.test")
		// A new organiser works on no conference until an admin gives it one (roles per conference).
		acc, err := e.st.AccountByEmail(ctx, "exporter@staff.test")
		if err != nil {
			t.Fatal(err)
		}
		exp0 := e.browser()
		exp0.post("/staff/login", url.Values{"email": {"exporter@staff.test"}, "password": {testPassword}}).want(t, 200)
		exp0.get(base+"/delegates.csv").want(t, 404)
		admin.post("/staff/accounts/"+acc.ID+"/roles", url.Values{"role_" + c.Slug: {"organiser"}}).want(t, 200).
			has(t, `<option value="organiser" selected>`)
		exp := e.browser()
		exp.post("/staff/login", url.Values{"email": {"exporter@staff.test"}, "password": {testPassword}}).want(t, 200)
		csv := exp.get(base+"/delegates.csv").want(t, 200).has(t, "display_name", "Olena Petrenko")
		if !strings.HasPrefix(csv.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("export content type %q", csv.Header.Get("Content-Type"))
		}
		staff.get("/staff/accounts").want(t, 403)
		admin.get("/staff/audit?action=delegates.export").want(t, 200).has(t, "delegates.export")
	})
}

// TestConsoleRoomsSettingsTokens: rooms are added, renamed and removed; the settings form
// changes the conference; API tokens are issued (secret shown once) and revoked.
func TestConsoleRoomsSettingsTokens(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		c := e.conference()
		staff := e.staff(models.StaffOrganiser)
		base := "/staff/c/" + c.Slug
		staff.post(base+"/rooms", url.Values{"name": {"Hall A"}, "capacity": {"80"}}).want(t, 200).has(t, "Hall A")
		rooms, _ := e.st.ListRooms(ctx, c.ID)
		if len(rooms) != 1 || rooms[0].Capacity != 80 {
			t.Fatalf("rooms: %+v", rooms)
		}
		staff.post(base+"/rooms/"+rooms[0].ID, url.Values{"name": {"Hall B"}, "online_url": {"ftp://x"}}).want(t, 422)
		staff.post(base+"/rooms/"+rooms[0].ID, url.Values{"name": {"Hall B"}}).want(t, 200).has(t, "Hall B")
		staff.post(base+"/rooms/"+rooms[0].ID+"/delete", nil).want(t, 200)
		if rooms, _ = e.st.ListRooms(ctx, c.ID); len(rooms) != 0 {
			t.Fatalf("after delete: %+v", rooms)
		}

		p := staff.get(base+"/settings?lang=de").want(t, 200)
		p.has(t, `value="2027-09-05"`, "Zeitzone", "Zurich (UTC")
		f := url.Values{"title": {"Renamed"}, "timezone": {"Europe/Kyiv"}, "starts_on": {"2027-09-05"}, "ends_on": {"2027-09-09"},
			"languages_present": {"1"}, "languages": {"en", "uk"}, "registration_closes_at": {"2027-08-01T12:00"},
			"quota_policy": {"organisation"}, "vote_rule": {"delegate"}, "blind_review_present": {"1"}}
		staff.post(base+"/settings", f).want(t, 200).has(t, "Renamed")
		got, _ := e.st.ConferenceBySlug(ctx, c.Slug)
		if got.Title != "Renamed" || got.Timezone != "Europe/Kyiv" || strings.Join(got.Languages, ",") != "en,uk" || got.VoteRule != models.VotePerDelegate {
			t.Fatalf("after saving the settings: %+v", got)
		}
		if got.RegistrationClosesAt == nil || got.RegistrationClosesAt.UTC().Hour() != 9 {
			t.Fatalf("registration closes at %v, want 12:00 in Kyiv (09:00 UTC)", got.RegistrationClosesAt)
		}
		f.Set("ends_on", "2027-09-01")
		staff.post(base+"/settings", f).want(t, 422).has(t, "Renamed")

		tok := staff.post("/staff/tokens", url.Values{"name": {"badge printer"}, "expires_in_days": {"30"}}).want(t, 201)
		m := regexp.MustCompile(`id="token-secret" value="([^"]+)"|value="([^"]+)"[^>]*id="token-secret"`).FindStringSubmatch(tok.Body)
		if m == nil {
			t.Fatalf("no token secret on the page:\n%s", tok.Body)
		}
		list := staff.get("/staff/tokens").has(t, "badge printer")
		id := regexp.MustCompile(`/staff/tokens/([0-9a-f-]+)/revoke`).FindStringSubmatch(list.Body)
		if id == nil {
			t.Fatal("no revoke form")
		}
		staff.post("/staff/tokens/"+id[1]+"/revoke", nil).want(t, 200).lacks(t, "badge printer")

		admin := e.staff(models.StaffAdmin)
		admin.post("/staff/conferences", url.Values{"slug": {"follow-up"}, "title": {"Follow-up"}, "timezone": {"Europe/Zurich"},
			"starts_on": {"2028-01-10"}, "ends_on": {"2028-01-11"}, "languages": {"en", "fr"}}).want(t, 200).has(t, "Follow-up")
		staff.post("/staff/conferences", url.Values{"slug": {"nope"}}).want(t, 403)
	})
}

// TestConsoleStatementReview: on a statement's console page organisers decide amendments,
// comment, add a translation and open and close the vote.
func TestConsoleStatementReview(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		c := e.demo()
		sts, err := e.st.ListStatements(ctx, models.StatementFilter{ConferenceID: c.ID, Status: models.StatementAccepted, Page: models.Page{Limit: 10}})
		if err != nil || len(sts) == 0 {
			t.Fatalf("demo accepted statements: %v %d", err, len(sts))
		}
		var st models.Statement
		var am models.Amendment
		for _, s := range sts {
			if ams, _ := e.st.Amendments(ctx, s.ID); len(ams) > 0 {
				st, am = s, ams[0]
			}
		}
		if am.ID == "" {
			t.Fatal("the demo has no amendment")
		}
		staff := e.staff(models.StaffOrganiser)
		page := "/staff/c/" + c.Slug + "/statements/" + st.ID
		staff.get("/staff/c/"+c.Slug+"/statements?status=accepted&lang=en").has(t, page)
		staff.get(page+"?lang=uk").want(t, 200).has(t, "refuse the production", "Українська")
		staff.post(page+"/amendments", url.Values{"amendment_id": {am.ID}, "decision": {"accept"}}).want(t, 200)
		if got, _ := e.st.Amendment(ctx, am.ID); got.Status != models.AmendmentAccepted {
			t.Fatalf("amendment after accepting: %s", got.Status)
		}
		staff.post(page+"/amendments", url.Values{"amendment_id": {am.ID}, "decision": {"accept"}}).want(t, 409)
		staff.post(page+"/comments", url.Values{"body": {"Check the French."}}).want(t, 200).has(t, "Check the French.")
		staff.post(page+"/translations", url.Values{"language": {"fr"}, "title": {"Pour un cessez-le-feu"}, "body": {"Nous appelons."}}).want(t, 200)
		staff.get(page+"?text=fr").has(t, "Pour un cessez-le-feu")
		staff.post(page+"/ballot", url.Values{"secret": {"1"}}).want(t, 200)
		staff.post(page+"/ballot/close", nil).want(t, 200)
		if got, _ := e.st.Statement(ctx, st.ID); got.Status != models.StatementNotAdopted {
			t.Fatalf("after a vote nobody cast: %s, want not_adopted", got.Status)
		}
	})
}
