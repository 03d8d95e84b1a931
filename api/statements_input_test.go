package api

import (
	"context"
	"strings"
	"testing"

	"github.com/zimmerwald/zimmerwald/models"
)

func TestStatementBadInputNeverFailsTheServer(t *testing.T) {
	e := sqliteEnv(t)
	w := newStmtWorld(t, e)
	ctx := context.Background()
	draft := "/api/v1/statements/" + w.fixture(t, models.StatementDraft).ID
	empty := &models.Statement{ConferenceID: w.conf.ID, OrganisationID: w.orgA.ID, Title: "Empty", Language: "en"}
	if err := e.st.CreateStatement(ctx, empty); err != nil {
		t.Fatal(err)
	}
	submitted := "/api/v1/statements/" + w.fixture(t, models.StatementSubmitted).ID
	accepted := "/api/v1/statements/" + w.fixture(t, models.StatementAccepted).ID
	rejected := "/api/v1/statements/" + w.fixture(t, models.StatementRejected).ID
	decided := &models.Amendment{StatementID: strings.TrimPrefix(accepted, "/api/v1/statements/"), BaseVersion: 1, Text: "x"}
	if err := e.st.CreateAmendment(ctx, decided); err != nil {
		t.Fatal(err)
	}
	e.do("POST", "/api/v1/amendments/"+decided.ID+"/decision", w.rev, `{"decision":"reject"}`).want(t, 200)
	long := strings.Repeat("x", 301)
	cases := []struct {
		name, method, path, token string
		body                      any
		status                    int
		field                     string
	}{
		{"malformed JSON", "POST", w.path(), w.tA, `{"title":`, 400, ""},
		{"invalid UTF-8", "POST", w.path(), w.tA, []byte{'{', '"', 't', '"', ':', '"', 0xff, '"', '}'}, 400, ""},
		{"title of the wrong type", "POST", w.path(), w.tA, `{"title":5}`, 400, "title"},
		{"no title", "POST", w.path(), w.tA, `{"body":"b","language":"en"}`, 422, "title"},
		{"blank title", "POST", w.path(), w.tA, `{"title":"   ","body":"b"}`, 422, "title"},
		{"title too long", "POST", w.path(), w.tA, `{"title":"` + long + `"}`, 422, "title"},
		{"CRLF in title", "POST", w.path(), w.tA, `{"title":"a\r\nBcc: x@y.z"}`, 422, "title"},
		{"bad language", "POST", w.path(), w.tA, `{"title":"t","language":"english!"}`, 422, "language"},
		{"staff without organisation", "POST", w.path(), w.org, `{"title":"t"}`, 422, "organisation_id"},
		{"staff with unknown organisation", "POST", w.path(), w.org, `{"title":"t","organisation_id":"` + models.NewID() + `"}`, 422, "organisation_id"},
		{"delegate for another organisation", "POST", w.path(), w.tA, `{"title":"t","organisation_id":"` + w.orgB.ID + `"}`, 403, ""},
		{"unknown conference", "POST", "/api/v1/conferences/nope/statements", w.tA, `{"title":"t"}`, 404, ""},
		{"bad status filter", "GET", w.path() + "?status=secret", "", nil, 400, "status"},
		{"bad lang filter", "GET", w.path() + "?lang=%3Cscript%3E", "", nil, 400, "lang"},
		{"bad cursor", "GET", w.path() + "?cursor=garbage", "", nil, 400, "cursor"},
		{"bad limit", "GET", w.path() + "?limit=-1", "", nil, 400, "limit"},
		{"unknown statement", "GET", "/api/v1/statements/" + models.NewID(), "", nil, 404, ""},
		{"not an ID", "GET", "/api/v1/statements/'%20OR%201=1--", "", nil, 404, ""},
		{"edit after submission", "PATCH", submitted, w.tA, `{"title":"t2"}`, 409, ""},
		{"unknown session", "PATCH", accepted, w.org, `{"session_id":"` + models.NewID() + `"}`, 422, "session_id"},
		{"session for a draft", "PATCH", draft, w.org, `{"session_id":"` + models.NewID() + `"}`, 404, ""}, // a delegate's draft does not exist for staff
		{"submit without body", "POST", "/api/v1/statements/" + empty.ID + "/submit", w.tA, nil, 422, "body"},
		{"submit twice", "POST", submitted + "/submit", w.tA, nil, 409, ""},
		{"withdraw rejected", "POST", rejected + "/withdraw", w.tA, nil, 409, ""},
		{"unknown decision", "POST", submitted + "/decision", w.rev, `{"decision":"approve"}`, 422, "decision"},
		{"changes without comment", "POST", submitted + "/decision", w.rev, `{"decision":"request_changes"}`, 422, "comment"},
		{"session with rejection", "POST", submitted + "/decision", w.rev, `{"decision":"reject","session_id":"x"}`, 422, "session_id"},
		{"decide a draft", "POST", draft + "/decision", w.rev, `{"decision":"accept"}`, 404, ""}, // a delegate's draft does not exist for staff
		{"empty comment", "POST", submitted + "/comments", w.rev, `{"body":""}`, 422, "body"},
		{"cosign another's draft", "POST", draft + "/cosignatures", w.tB, `{"named":true}`, 404, ""},
		{"cosign named of the wrong type", "POST", accepted + "/cosignatures", w.tB, `{"named":"yes"}`, 400, "named"},
		{"cosign a rejected statement", "POST", rejected + "/cosignatures", w.tB, `{"named":true}`, 409, ""},
		{"withdraw a signature never given", "DELETE", accepted + "/cosignatures", w.tC, nil, 404, ""},
		{"observer cosigns", "POST", accepted + "/cosignatures", "observer", `{}`, 403, ""},
		{"paragraph zero", "POST", accepted + "/amendments", w.tB, `{"paragraph":0,"text":"x"}`, 422, "paragraph"},
		{"paragraph past the end", "POST", accepted + "/amendments", w.tB, `{"paragraph":9,"text":"x"}`, 422, "paragraph"},
		{"paragraph of the wrong type", "POST", accepted + "/amendments", w.tB, `{"paragraph":"two","text":"x"}`, 400, "paragraph"},
		{"amendment without text", "POST", accepted + "/amendments", w.tB, `{"rationale":"r"}`, 422, "text"},
		{"amend a rejected statement", "POST", rejected + "/amendments", w.tA, `{"text":"x"}`, 409, ""},
		{"unknown amendment", "POST", "/api/v1/amendments/" + models.NewID() + "/decision", w.rev, `{"decision":"accept"}`, 404, ""},
		{"amendment decision bogus", "POST", "/api/v1/amendments/" + decided.ID + "/decision", w.rev, `{"decision":"maybe"}`, 422, "decision"},
		{"amendment decided twice", "POST", "/api/v1/amendments/" + decided.ID + "/decision", w.rev, `{"decision":"accept"}`, 409, ""},
		{"versions not numbers", "GET", accepted + "/versions?from=one&to=2", "", nil, 400, "from"},
		{"versions unknown", "GET", accepted + "/versions?from=1&to=9", "", nil, 404, ""},
		{"translation into the original", "POST", accepted + "/translations", w.tA, `{"language":"en","title":"t","body":"b"}`, 422, "language"},
		{"translation bad language", "POST", accepted + "/translations", w.tA, `{"language":"../../etc","title":"t","body":"b"}`, 422, "language"},
		{"translation without title", "POST", accepted + "/translations", w.tA, `{"language":"uk","body":"b"}`, 422, "title"},
		{"vote without a ballot", "POST", accepted + "/votes", w.tA, `{"choice":"yes"}`, 409, ""},
		{"vote maybe", "POST", accepted + "/votes", w.tA, `{"choice":"maybe"}`, 422, "choice"},
		{"ballot on a draft", "POST", draft + "/ballot", w.org, `{}`, 404, ""}, // a delegate's draft does not exist for staff
		{"ballot secret of the wrong type", "POST", accepted + "/ballot", w.org, `{"secret":"no"}`, 400, "secret"},
		{"close without a ballot", "POST", accepted + "/ballot/close", w.org, nil, 409, ""},
	}
	obs := e.delegate(w.conf, nil, "Observer", models.DelegateApproved, models.VisibilityPublic)
	obsTok := e.delegateToken(obs)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tok := c.token
			if tok == "observer" {
				tok = obsTok
			}
			r := e.do(c.method, c.path, tok, c.body)
			if r.Code != c.status {
				t.Fatalf("got %d, want %d: %s", r.Code, c.status, r.Body)
			}
			if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("got content type %q, want application/problem+json", ct)
			}
			if c.field != "" {
				errs, _ := r.json(t)["errors"].(map[string]any)
				if _, ok := errs[c.field]; !ok {
					t.Errorf("got errors %v, want a message for %q", errs, c.field)
				}
			}
		})
	}
	if strings.Contains(e.logs.String(), "level=ERROR") {
		t.Errorf("bad input was logged as a server error: %s", e.logs.String())
	}
}

func TestStatementMarkdownIsInert(t *testing.T) {
	e := sqliteEnv(t)
	w := newStmtWorld(t, e)
	body := "Hello <script>alert(1)</script>\n\n<iframe src=\"https://evil.example/\"></iframe>\n\n" +
		"[click](javascript:alert(document.cookie))\n\n<img src=x onerror=\"alert(1)\">\n\n[ok](https://example.org/)"
	r := e.do("POST", w.path(), w.tA, map[string]any{"title": "Markdown", "body": body, "language": "en"}).want(t, 201)
	var v statementResponse
	r.decode(t, &v)
	if v.Body != body {
		t.Errorf("body: got %q, want it as written", v.Body)
	}
	for _, bad := range []string{"<script", "<iframe", "javascript:", "onerror", "<img", "evil.example"} {
		if strings.Contains(strings.ToLower(v.BodyHTML), bad) {
			t.Errorf("body_html contains %q: %s", bad, v.BodyHTML)
		}
	}
	if !strings.Contains(v.BodyHTML, `<a href="https://example.org/" rel="nofollow noopener">ok</a>`) {
		t.Errorf("body_html lost the safe link: %s", v.BodyHTML)
	}
	if ct := r.Header.Get("Content-Security-Policy"); !strings.Contains(ct, "default-src 'none'") {
		t.Errorf("CSP: got %q", ct)
	}
}
