package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/zimmerwald/zimmerwald/models"
)

// acceptDemoAmendment accepts the demo's proposed amendment from the console and returns its
// statement, which then has a second version.
func acceptDemoAmendment(t *testing.T, e *env, c *models.Conference, org *browser) *models.Statement {
	t.Helper()
	bg := context.Background()
	sts, err := e.st.ListStatements(bg, models.StatementFilter{ConferenceID: c.ID, Page: models.Page{Limit: 50}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range sts {
		ams, err := e.st.Amendments(bg, sts[i].ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, am := range ams {
			if am.Status == models.AmendmentProposed {
				org.post("/staff/c/"+c.Slug+"/statements/"+sts[i].ID+"/amendments", url.Values{"amendment_id": {am.ID}, "decision": {"accept"}}).want(t, 200)
				return &sts[i]
			}
		}
	}
	t.Fatal("the demo has no proposed amendment")
	return nil
}

// TestConsoleStatementVersionsAndTranslations: a statement's review page lists its versions
// with the diff of each against the one before, and its translation form offers the languages
// still missing above those a translation would replace.
func TestConsoleStatementVersionsAndTranslations(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		c := e.demo()
		org := e.staff(models.StaffOrganiser)
		st := acceptDemoAmendment(t, e, c, org)
		page := org.get("/staff/c/"+c.Slug+"/statements/"+st.ID+"?lang=en").want(t, 200)
		page.has(t, `id="versions"`, `id="v-2"`, `id="v-1"`, `<span class="add">`, `<span class="del">`, "by an amendment", "The first version.")
		org.get("/staff/c/"+c.Slug+"/statements/"+st.ID+"?lang=uk").want(t, 200).has(t, "Версії", "поправкою")

		// The demo's translated statement: missing languages first, then the translated ones.
		sts, _ := e.st.ListStatements(context.Background(), models.StatementFilter{ConferenceID: c.ID, Page: models.Page{Limit: 50}})
		for _, s := range sts {
			trs, err := e.st.TranslationLanguages(context.Background(), []string{s.ID})
			if err != nil || len(trs[s.ID]) == 0 {
				continue
			}
			p := org.get("/staff/c/"+c.Slug+"/statements/"+s.ID+"?lang=en").want(t, 200)
			p.has(t, `<optgroup label="Not translated yet">`, `<optgroup label="Translated (saving replaces it)">`)
			body := string(p.Body)
			if i, j := strings.Index(body, "Not translated yet"), strings.Index(body, "Translated (saving replaces it)"); i < 0 || j < i {
				t.Errorf("missing languages are not listed above translated ones")
			}
			return
		}
		t.Fatal("the demo has no translated statement")
	})
}

// TestRollCallOnStatementPages: after an open (not secret) ballot adopts a statement, its public
// page and its review page name how each listed organisation voted.
func TestRollCallOnStatementPages(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		c := e.demo()
		org := e.staff(models.StaffOrganiser)
		union := e.organisation(c, "Roll Call Union", true)
		voter := e.delegateBrowser(e.delegate(c, union, "Voter", models.DelegateApproved, models.VisibilityPublic))
		sts, err := e.st.ListStatements(context.Background(), models.StatementFilter{ConferenceID: c.ID, Status: models.StatementAccepted, Page: models.Page{Limit: 50}})
		if err != nil || len(sts) == 0 {
			t.Fatalf("demo: %d accepted statements, %v", len(sts), err)
		}
		st := sts[0]
		review := "/staff/c/" + c.Slug + "/statements/" + st.ID
		org.post(review+"/ballot", url.Values{}).want(t, 200)
		voter.post("/statements/"+st.ID+"/vote", url.Values{"choice": {"yes"}}).want(t, 200)
		e.browser().get("/statements/"+st.ID+"?lang=en").want(t, 200).lacks(t, "Roll call")
		org.post(review+"/ballot/close", url.Values{}).want(t, 200)
		e.browser().get("/statements/"+st.ID+"?lang=en").want(t, 200).has(t, "Roll call", "Roll Call Union: Yes")
		org.get(review+"?lang=uk").want(t, 200).has(t, "Поіменне голосування", "Roll Call Union: За")
	})
}
