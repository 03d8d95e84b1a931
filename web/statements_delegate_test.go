package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/zimmerwald/zimmerwald/models"
	"github.com/zimmerwald/zimmerwald/web"
)

// staffToken logs a new staff account of role in through the API and returns its bearer token.
func (e *env) staffToken(role models.StaffRole) string {
	e.t.Helper()
	body, _ := json.Marshal(map[string]string{"email": e.account(role), "password": testPassword})
	res, err := http.Post(e.URL+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	var t struct {
		Token string `json:"token"`
	}
	if err := json.NewDecoder(res.Body).Decode(&t); err != nil || t.Token == "" {
		e.t.Fatalf("staff login: status %d, %v", res.StatusCode, err)
	}
	return t.Token
}

// callAPI calls the JSON API with a bearer token and fails the test unless it answers want.
func (e *env) callAPI(token, method, path string, body any, want int) {
	e.t.Helper()
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, e.URL+path, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != want {
		b, _ := io.ReadAll(res.Body)
		e.t.Fatalf("%s %s: got %d, want %d: %s", method, path, res.StatusCode, want, b)
	}
}

// inEveryLanguage fails the test unless the page answers 200 in every language, says so in
// <html lang>, and is never cached (it is personal).
func inEveryLanguage(t *testing.T, b *browser, path string) {
	t.Helper()
	for _, lang := range web.Languages {
		p := b.get(path + "?lang=" + lang)
		if p.Code != http.StatusOK || !strings.Contains(p.Body, `<html lang="`+lang+`">`) {
			t.Errorf("%s in %s: got %d:\n%.600s", path, lang, p.Code, p.Body)
		}
		if cc := p.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("%s in %s: Cache-Control %q, want no-store", path, lang, cc)
		}
	}
}

// statementID returns the statement ID of a statement page's URL.
func statementID(t *testing.T, p *page) string {
	t.Helper()
	id, ok := strings.CutPrefix(p.URL.Path, "/statements/")
	if !ok || id == "" {
		t.Fatalf("not on a statement page: %s", p.URL)
	}
	return id
}

// TestDelegateDraftsEditsSubmits: a delegate drafts a statement from the statements page, sees
// the API's field errors with the input kept, edits the draft and submits it; nobody else sees
// the draft.
func TestDelegateDraftsEditsSubmits(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		c := e.conference()
		o := e.organisation(c, "Union of Peace", true)
		d := e.delegate(c, o, "Vera", models.DelegateApproved, models.VisibilityOrganisers)
		b := e.delegateBrowser(d)
		list := "/c/" + c.Slug + "/statements"
		b.get(list+"?lang=en").want(t, 200).has(t, "Draft a statement", "Your organisation has no statements yet.", `action="`+list+`"`)
		inEveryLanguage(t, b, list)
		e.browser().get(list+"?lang=en").want(t, 200).lacks(t, "Draft a statement")

		bad := url.Values{"title": {"  "}, "summary": {"Kept summary"}, "body": {"Kept body"}, "language": {"en"}}
		b.post(list+"?lang=en", bad).want(t, http.StatusUnprocessableEntity).has(t, `id="e-title"`, "Kept summary", "Kept body")

		draft := url.Values{"title": {"Against conscription"}, "summary": {"No one should be forced to fight."}, "body": {""}, "language": {"en"}}
		p := b.post(list+"?lang=en", draft).want(t, 200).has(t, "The draft is saved", "Against conscription", "Edit the draft", "Submit")
		id := statementID(t, p)
		inEveryLanguage(t, b, "/statements/"+id)
		b.get(list+"?lang=en").want(t, 200).has(t, "Against conscription", "Draft")
		e.browser().get("/statements/"+id).want(t, http.StatusNotFound)
		e.browser().get(list).want(t, 200).lacks(t, "Against conscription")

		// Submitting an empty body is refused by the API, next to the submit button.
		b.post("/statements/"+id+"/submit?lang=en", url.Values{}).want(t, http.StatusUnprocessableEntity).has(t, "Please fill this in before submitting.")
		edit := url.Values{"title": {"Against forced conscription"}, "summary": {"No one should be forced to fight."},
			"body": {"First paragraph.\n\nSecond **paragraph**."}, "language": {"en"}}
		b.post("/statements/"+id+"/edit?lang=en", edit).want(t, 200).has(t, "Your changes are saved.", "Against forced conscription", "<strong>paragraph</strong>")
		b.post("/statements/"+id+"/submit?lang=en", url.Values{}).want(t, 200).has(t, "submitted for review").
			lacks(t, `action="/statements/`+id+`/edit"`)
		st, err := e.st.Statement(context.Background(), id)
		if err != nil || st.Status != models.StatementSubmitted || st.Title != "Against forced conscription" || !strings.Contains(st.Body, "Second **paragraph**") {
			t.Fatalf("stored: %v %+v", err, st)
		}
		// A submitted statement can no longer be edited: the API's 409 is shown, the input kept.
		edit.Set("title", "Too late")
		b.post("/statements/"+id+"/edit?lang=en", edit).want(t, http.StatusConflict).has(t, "Only a draft can be edited")
		if strings.Contains(e.logs.String(), "render page") {
			t.Fatalf("a template failed:\n%s", e.logs.String())
		}
	})
}

// TestDelegateCosignsAmendsVotes: a delegate of another organisation co-signs an accepted
// statement by name, proposes an amendment, and votes once the organisers open the ballot; the
// API's refusals (403, 409, 422) show next to the forms.
func TestDelegateCosignsAmendsVotes(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		c := e.conference()
		author := e.delegateBrowser(e.delegate(c, e.organisation(c, "Union of Peace", true), "Vera", models.DelegateApproved, models.VisibilityOrganisers))
		other := e.organisation(c, "Workers Against War", true)
		b := e.delegateBrowser(e.delegate(c, other, "Oleh", models.DelegateApproved, models.VisibilityOrganisers))
		p := author.post("/c/"+c.Slug+"/statements", url.Values{"title": {"Ceasefire now"}, "body": {"We call for a ceasefire.\n\nAnd for talks."}, "language": {"en"}}).want(t, 200)
		id := statementID(t, p)
		author.post("/statements/"+id+"/submit", url.Values{}).want(t, 200)
		organiser := e.staffToken(models.StaffOrganiser)
		e.callAPI(organiser, http.MethodPost, "/api/v1/statements/"+id+"/decision", map[string]string{"decision": "accept"}, http.StatusOK)

		path := "/statements/" + id
		b.get(path+"?lang=en").want(t, 200).has(t, "Co-sign for my organisation", "Name my organisation publicly", "Propose an amendment").lacks(t, "Your vote", "Edit the draft")
		inEveryLanguage(t, b, path)
		e.browser().get(path+"?lang=en").want(t, 200).lacks(t, "Co-sign for my organisation", "Propose an amendment")

		// Co-signing, named: the organisation appears among the co-signers; twice is a 409.
		b.post(path+"/cosign?lang=en", url.Values{"named": {"yes"}}).want(t, 200).has(t, "Your organisation has co-signed", "Workers Against War")
		e.browser().get(path).want(t, 200).has(t, "Workers Against War")
		// A stale form posted again is explained; the page no longer offers co-signing (issue 13).
		b.post(path+"/cosign?lang=en", url.Values{"named": {"yes"}}).want(t, http.StatusConflict).has(t, "Your organisation has already co-signed this statement.").
			lacks(t, `action="/statements/`+id+`/cosign"`)
		b.get(path+"?lang=en").has(t, `id="cosigned"`, "Withdraw").lacks(t, `action="/statements/`+id+`/cosign"`)
		// The author's organisation cannot co-sign its own statement: the API's 403 reason shows.
		author.post(path+"/cosign?lang=en", url.Values{}).want(t, http.StatusForbidden).has(t, "An organisation cannot co-sign its own statement.")

		// Withdrawing the co-signature, then again: the API has none to withdraw.
		b.post(path+"/cosign/withdraw?lang=en", url.Values{}).want(t, 200).has(t, "co-signature is withdrawn")
		b.post(path+"/cosign/withdraw?lang=en", url.Values{}).want(t, http.StatusConflict).has(t, "has not co-signed this statement")
		if cs, _ := e.st.Cosignatures(context.Background(), []string{id}); len(cs[id]) != 0 {
			t.Fatalf("co-signatures after withdrawing: %+v", cs[id])
		}
		b.post(path+"/cosign?lang=en", url.Values{}).want(t, 200).has(t, "Your organisation has co-signed")

		// Amendments: bad paragraphs are refused with the input kept, a good one is listed.
		b.post(path+"/amendments?lang=en", url.Values{"paragraph": {"x"}, "text": {"Kept text"}}).want(t, http.StatusUnprocessableEntity).
			has(t, `id="e-paragraph"`, "Kept text")
		b.post(path+"/amendments?lang=en", url.Values{"paragraph": {"9"}, "text": {"Kept text"}, "rationale": {"Kept reason"}}).
			want(t, http.StatusUnprocessableEntity).has(t, "The statement has no such paragraph.", "Kept text", "Kept reason")
		b.post(path+"/amendments?lang=en", url.Values{"paragraph": {"2"}, "text": {"And for *peace* talks."}, "rationale": {"Be precise."}}).
			want(t, 200).has(t, "Your amendment is proposed", "Amendments", "Paragraph 2", "<em>peace</em>", "Be precise.", "Proposed")
		as, err := e.st.Amendments(context.Background(), id)
		if err != nil || len(as) != 1 || as[0].Paragraph == nil || *as[0].Paragraph != 2 {
			t.Fatalf("stored amendments: %v %+v", err, as)
		}

		// The vote: opened by the organisers through the API; a second vote is a 409.
		b.post(path+"/vote?lang=en", url.Values{"choice": {"yes"}}).want(t, http.StatusConflict).has(t, "No vote is open on this statement.")
		e.callAPI(organiser, http.MethodPost, "/api/v1/statements/"+id+"/ballot", map[string]any{}, http.StatusCreated)
		b.get(path+"?lang=en").want(t, 200).has(t, "Your vote", `name="choice" value="abstain"`).lacks(t, "Co-sign for my organisation")
		inEveryLanguage(t, b, path)
		b.post(path+"/vote?lang=en", url.Values{"choice": {"yes"}}).want(t, 200).has(t, "Your vote is counted.")
		b.post(path+"/vote?lang=en", url.Values{"choice": {"no"}}).want(t, http.StatusConflict).has(t, "Your organisation has already voted.").lacks(t, `name="choice"`)
		b.get(path+"?lang=en").has(t, `id="voted"`).lacks(t, `name="choice"`)
		// A colleague of the same organisation is not offered the vote either (one vote per organisation).
		colleague := e.delegateBrowser(e.delegate(c, other, "Petro", models.DelegateApproved, models.VisibilityOrganisers))
		colleague.get(path+"?lang=en").has(t, `id="voted"`).lacks(t, `name="choice"`)
		b.post(path+"/vote?lang=uk", url.Values{"choice": {"no"}}).want(t, http.StatusConflict).has(t, "Ваша організація вже проголосувала.")
		b.post(path+"/cosign/withdraw?lang=en", url.Values{}).want(t, http.StatusConflict).has(t, "can no longer be withdrawn: the vote has opened")
		if strings.Contains(e.logs.String(), "render page") {
			t.Fatalf("a template failed:\n%s", e.logs.String())
		}
	})
}

// TestStatementFormsRefuseCrossOrigin: the statement forms posted from another site are refused
// and change nothing.
func TestStatementFormsRefuseCrossOrigin(t *testing.T) {
	e := sqliteEnv(t)
	c := e.conference()
	d := e.delegate(c, e.organisation(c, "Union", true), "Vera", models.DelegateApproved, models.VisibilityOrganisers)
	b := e.delegateBrowser(d)
	p := b.post("/c/"+c.Slug+"/statements", url.Values{"title": {"Mine"}, "body": {"Text."}}).want(t, 200)
	id := statementID(t, p)
	form := url.Values{"title": {"Forged"}, "body": {"Forged."}, "named": {"yes"}, "text": {"Forged."}, "choice": {"yes"}}
	for _, path := range []string{"/c/" + c.Slug + "/statements", "/statements/" + id + "/edit", "/statements/" + id + "/submit",
		"/statements/" + id + "/cosign", "/statements/" + id + "/cosign/withdraw", "/statements/" + id + "/amendments", "/statements/" + id + "/vote"} {
		req, _ := http.NewRequest(http.MethodPost, e.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://evil.example")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		res := b.do(req)
		if res.Code != http.StatusForbidden || !strings.Contains(res.Body, "sent from another site") {
			t.Errorf("cross-origin POST %s: got %d, want 403", path, res.Code)
		}
	}
	st, err := e.st.Statement(context.Background(), id)
	if err != nil || st.Title != "Mine" || st.Status != models.StatementDraft {
		t.Fatalf("after forged posts: %v %+v", err, st)
	}
	sts, _ := e.st.ListStatements(context.Background(), models.StatementFilter{ConferenceID: c.ID, Page: models.Page{Limit: 10}})
	if len(sts) != 1 {
		t.Fatalf("forged posts made %d statements, want 1", len(sts))
	}
}
