package api

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/zimmerwald/zimmerwald/models"
)

// statementRoles are the callers of the matrix: staff roles, a delegate of the statement's
// organisation ("member") and one of another organisation ("other").
var statementRoles = []string{"anonymous", "admin", "organiser", "reviewer", "member", "other"}

// codes spells a row of the matrix in statementRoles order.
func codes(anonymous, admin, organiser, reviewer, member, other int) map[string]int {
	return map[string]int{"anonymous": anonymous, "admin": admin, "organiser": organiser, "reviewer": reviewer, "member": member, "other": other}
}

var uuidPattern = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

func TestStatementRoutesRoleMatrix(t *testing.T) {
	e := sqliteEnv(t)
	w := newStmtWorld(t, e)
	ctx := context.Background()
	st := func(status models.StatementStatus) func() string {
		return func() string { return "/api/v1/statements/" + w.fixture(t, status).ID }
	}
	signed := func() string {
		s := w.fixture(t, models.StatementAccepted)
		if err := e.st.Cosign(ctx, &models.Cosignature{StatementID: s.ID, OrganisationID: w.orgB.ID, Named: true}); err != nil {
			t.Fatal(err)
		}
		return "/api/v1/statements/" + s.ID
	}
	balloted := func() string {
		s := w.fixture(t, models.StatementAccepted)
		if err := e.st.OpenBallot(ctx, &models.Ballot{ConferenceID: s.ConferenceID, Kind: models.BallotStatement, StatementID: &s.ID,
			Weighting: models.VotePerOrganisation, Majority: models.MajoritySimple, Options: models.StringList{"yes", "no", "abstain"}}); err != nil {
			t.Fatal(err)
		}
		return "/api/v1/statements/" + s.ID
	}
	amendment := func() string {
		s := w.fixture(t, models.StatementAccepted)
		a := &models.Amendment{StatementID: s.ID, DelegateID: &w.signer.ID, OrganisationID: &w.orgB.ID, BaseVersion: 1, Text: "New."}
		if err := e.st.CreateAmendment(ctx, a); err != nil {
			t.Fatal(err)
		}
		return "/api/v1/amendments/" + a.ID
	}
	list := func() string { return w.path() }
	matrix := []struct {
		method string
		path   func() string
		suffix string
		body   string
		want   map[string]int
	}{
		{"GET", list, "", "", codes(200, 200, 200, 200, 200, 200)},
		{"POST", list, "", `{"title":"New","body":"Text","language":"en","organisation_id":"` + w.orgA.ID + `"}`, codes(401, 201, 201, 403, 201, 403)},
		// A delegate's draft is their organisation's alone: staff do not see it (issue 13).
		{"GET", st(models.StatementDraft), "", "", codes(404, 404, 404, 404, 200, 404)},
		{"GET", st(models.StatementAccepted), "", "", codes(200, 200, 200, 200, 200, 200)},
		{"PATCH", st(models.StatementDraft), "", `{"summary":"Edited"}`, codes(401, 404, 404, 404, 200, 404)},
		{"PATCH", st(models.StatementAccepted), "", `{"session_id":""}`, codes(401, 200, 200, 200, 403, 403)},
		{"POST", st(models.StatementDraft), "/submit", "", codes(401, 404, 404, 404, 200, 404)},
		{"POST", st(models.StatementSubmitted), "/withdraw", "", codes(401, 200, 200, 403, 200, 404)},
		{"POST", st(models.StatementAccepted), "/translations", `{"language":"uk","title":"Заява","body":"Текст"}`, codes(401, 201, 201, 403, 201, 403)},
		{"GET", st(models.StatementAccepted), "/versions", "", codes(200, 200, 200, 200, 200, 200)},
		{"GET", st(models.StatementDraft), "/versions", "", codes(404, 404, 404, 404, 200, 404)},
		{"POST", st(models.StatementSubmitted), "/cosignatures", `{"named":true}`, codes(401, 403, 403, 403, 403, 201)},
		{"DELETE", signed, "/cosignatures", "", codes(401, 403, 403, 403, 403, 204)},
		{"POST", st(models.StatementSubmitted), "/decision", `{"decision":"accept"}`, codes(401, 200, 200, 200, 403, 403)},
		{"GET", st(models.StatementSubmitted), "/comments", "", codes(401, 200, 200, 200, 200, 404)},
		{"POST", st(models.StatementSubmitted), "/comments", `{"body":"Good."}`, codes(401, 201, 201, 201, 403, 403)},
		{"GET", st(models.StatementAccepted), "/amendments", "", codes(200, 200, 200, 200, 200, 200)},
		{"POST", st(models.StatementAccepted), "/amendments", `{"text":"Better.","rationale":"Why not."}`, codes(401, 403, 403, 403, 201, 201)},
		{"POST", amendment, "/decision", `{"decision":"reject"}`, codes(401, 200, 200, 200, 403, 403)},
		{"POST", st(models.StatementAccepted), "/ballot", `{"secret":true}`, codes(401, 201, 201, 403, 403, 403)},
		{"POST", balloted, "/ballot/close", "", codes(401, 200, 200, 403, 403, 403)},
		{"POST", balloted, "/votes", `{"choice":"yes"}`, codes(401, 403, 403, 403, 201, 201)},
	}
	seen := map[string]bool{}
	for _, m := range matrix {
		for _, role := range statementRoles {
			path := m.path() + m.suffix
			var body any
			if m.body != "" {
				body = m.body
			}
			r := e.do(m.method, path, w.tok[role], body)
			route := m.method + " " + uuidPattern.ReplaceAllString(strings.Replace(path, w.conf.Slug, ":slug", 1), ":id")
			seen[route] = true
			if r.Code != m.want[role] {
				t.Errorf("%s as %s: got %d, want %d: %s", route, role, r.Code, m.want[role], r.Body)
			}
			if r.Code >= 500 {
				t.Errorf("%s as %s: server error", route, role)
			}
		}
	}
	// Every statements route of the router is in the matrix.
	for _, rt := range e.srv.engine.Routes() {
		if !strings.Contains(rt.Path, "statements") && !strings.HasPrefix(rt.Path, "/api/v1/amendments") {
			continue
		}
		if !seen[rt.Method+" "+rt.Path] {
			t.Errorf("route %s %s is missing from the matrix", rt.Method, rt.Path)
		}
	}
	if r := e.do("PUT", "/api/v1/statements/"+w.fixture(t, models.StatementAccepted).ID, w.admin, "{}"); r.Code != 405 {
		t.Errorf("PUT /statements/:id: got %d, want 405", r.Code)
	}
}

func TestStatementPublicViewRevealsNoHiddenDelegate(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		w := newStmtWorld(t, e)
		// Organisation C (not listed) by a delegate visible to participants only.
		r := e.do("POST", w.path(), w.tC, map[string]any{"title": "From the underground", "body": "Text.", "language": "ru"}).want(t, 201)
		idC := r.json(t)["id"].(string)
		e.do("POST", "/api/v1/statements/"+idC+"/submit", w.tC, nil).want(t, 200)
		e.do("POST", "/api/v1/statements/"+idC+"/decision", w.rev, map[string]any{"decision": "accept"}).want(t, 200)
		// Organisation A by a delegate visible to organisers only, co-signed by C, named.
		r = e.do("POST", w.path(), w.tA2, map[string]any{"title": "Quietly written", "body": "Text.", "language": "en"}).want(t, 201)
		idA := r.json(t)["id"].(string)
		e.do("POST", "/api/v1/statements/"+idA+"/submit", w.tA2, nil).want(t, 200)
		e.do("POST", "/api/v1/statements/"+idA+"/cosignatures", w.tC, map[string]any{"named": true}).want(t, 201)
		e.do("POST", "/api/v1/statements/"+idA+"/decision", w.rev, map[string]any{"decision": "accept"}).want(t, 200)
		draftA := w.draft(t, "Still a draft")

		secrets := []string{w.hidden.DisplayName, w.hidden.ID, w.orgC.Name, w.orgC.ID, w.colleague.DisplayName, w.colleague.ID, draftA}
		for _, path := range []string{w.path(), w.path() + "?lang=uk", "/api/v1/statements/" + idC, "/api/v1/statements/" + idA,
			"/api/v1/statements/" + idA + "/amendments", "/api/v1/statements/" + idC + "/versions"} {
			body := string(e.do("GET", path, "", nil).want(t, 200).Body)
			for _, s := range secrets {
				if strings.Contains(body, s) {
					t.Errorf("public %s reveals %q: %s", path, s, body)
				}
			}
		}
		var pub statementResponse
		e.do("GET", "/api/v1/statements/"+idA, "", nil).decode(t, &pub)
		if pub.Organisation == nil || pub.Organisation.Name != w.orgA.Name || pub.Author != nil || len(pub.Cosigners) != 0 || pub.UnnamedCosigners != 1 {
			t.Errorf("public view of A's statement: got organisation %+v, author %+v, co-signers %+v + %d", pub.Organisation, pub.Author, pub.Cosigners, pub.UnnamedCosigners)
		}
		// Staff see who wrote it; a delegate of another organisation sees a participants-only author but not an organisers-only one.
		var staff, other statementResponse
		e.do("GET", "/api/v1/statements/"+idA, w.org, nil).decode(t, &staff)
		if staff.Author == nil || staff.Author.ID != w.colleague.ID || len(staff.Cosignatures) != 1 {
			t.Errorf("organiser view: got author %+v, cosignatures %+v", staff.Author, staff.Cosignatures)
		}
		e.do("GET", "/api/v1/statements/"+idA, w.tB, nil).decode(t, &other)
		if other.Author != nil {
			t.Errorf("delegate view of an organisers-only author: got %+v", other.Author)
		}
		var otherC statementResponse
		e.do("GET", "/api/v1/statements/"+idC, w.tB, nil).decode(t, &otherC)
		if otherC.Author == nil || otherC.Author.ID != w.hidden.ID || otherC.Organisation != nil {
			t.Errorf("delegate view of a participants-only author in an unlisted organisation: got %+v, %+v", otherC.Author, otherC.Organisation)
		}
		// Lists: the author's organisation sees its draft, nobody else does, staff included.
		for tok, want := range map[string]bool{w.tA: true, w.tB: false, "": false, w.rev: false} {
			if got := strings.Contains(string(e.do("GET", w.path(), tok, nil).want(t, 200).Body), draftA); got != want {
				t.Errorf("list shows the draft: got %v, want %v (token %.6s)", got, want, tok)
			}
		}
		// An open ballot's roll call names listed organisations only.
		e.do("POST", "/api/v1/statements/"+idA+"/ballot", w.org, map[string]any{"secret": false}).want(t, 201)
		for _, tok := range []string{w.tA, w.tB, w.tC} {
			e.do("POST", "/api/v1/statements/"+idA+"/votes", tok, map[string]any{"choice": "yes"}).want(t, 201)
		}
		closed := e.do("POST", "/api/v1/statements/"+idA+"/ballot/close", w.org, nil).want(t, 200)
		final := e.do("GET", "/api/v1/statements/"+idA, "", nil).want(t, 200)
		for _, b := range []string{string(closed.Body), string(final.Body)} {
			if strings.Contains(b, w.orgC.ID) || !strings.Contains(b, w.orgB.Name) || !strings.Contains(b, `"yes":3`) {
				t.Errorf("closed ballot: got %s, want B in the roll call, not C, and 3 yes", b)
			}
		}
	})
}

func TestBlindReviewHidesAuthorFromReviewers(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		w := newStmtWorld(t, e)
		e.do("PATCH", "/api/v1/conferences/"+w.conf.Slug, w.org, map[string]any{"blind_review": true}).want(t, 200)
		id := w.draft(t, "Judge me by my words")
		e.do("POST", "/api/v1/statements/"+id+"/submit", w.tA, nil).want(t, 200)
		for _, path := range []string{"/api/v1/statements/" + id, w.path(), w.path() + "?organisation_id=" + w.orgA.ID, "/api/v1/statements/" + id + "/amendments"} {
			body := string(e.do("GET", path, w.rev, nil).want(t, 200).Body)
			for _, s := range []string{w.orgA.ID, w.orgA.Name, w.author.ID, w.author.DisplayName} {
				if strings.Contains(body, s) {
					t.Errorf("reviewer GET %s reveals %q: %s", path, s, body)
				}
			}
		}
		if got := e.do("GET", "/api/v1/statements/"+id, w.org, nil).want(t, 200).json(t); got["organisation_id"] != w.orgA.ID {
			t.Errorf("organiser view under blind review: got organisation_id %v, want %s", got["organisation_id"], w.orgA.ID)
		}
		e.do("POST", "/api/v1/statements/"+id+"/decision", w.rev, map[string]any{"decision": "accept"}).want(t, 200)
	})
}

func TestStatementSessionLink(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		w := newStmtWorld(t, e)
		sess := &models.Session{ConferenceID: w.conf.ID, Title: "Plenary", Kind: models.KindPlenary, Status: models.SessionDraft,
			StartsAt: w.conf.StartsOn.Add(9 * 3600e9), EndsAt: w.conf.StartsOn.Add(11 * 3600e9)}
		if err := e.st.CreateSession(context.Background(), sess); err != nil {
			t.Fatal(err)
		}
		id := w.draft(t, "For the plenary")
		e.do("POST", "/api/v1/statements/"+id+"/submit", w.tA, nil).want(t, 200)
		e.do("POST", "/api/v1/statements/"+id+"/decision", w.rev, map[string]any{"decision": "accept", "session_id": models.NewID()}).want(t, 422)
		got := e.do("POST", "/api/v1/statements/"+id+"/decision", w.rev, map[string]any{"decision": "accept", "session_id": sess.ID}).want(t, 200).json(t)
		if got["session_id"] != sess.ID {
			t.Errorf("decision with session: got session_id %v, want %s", got["session_id"], sess.ID)
		}
		got = e.do("PATCH", "/api/v1/statements/"+id, w.rev, map[string]any{"session_id": ""}).want(t, 200).json(t)
		if got["session_id"] != nil {
			t.Errorf("unlinked: got session_id %v", got["session_id"])
		}
		e.do("PATCH", "/api/v1/statements/"+id, w.org, map[string]any{"session_id": sess.ID}).want(t, 200)
	})
}
