package domain_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/internal/markdown"
	"github.com/zimmerwald/zimmerwald/models"
	"github.com/zimmerwald/zimmerwald/models/modelstest"
)

// failCode returns the code of err and of its field, or fails the test.
func failCode(t *testing.T, err error, field string) (models.Code, models.Code) {
	t.Helper()
	e, ok := models.Classify(err)
	if !ok {
		t.Fatalf("got error %v, want a coded one", err)
	}
	return e.Code, e.Fields[field].Code
}

// TestStatementRulesWithoutTheAPI: the rules the API's binding checks hold for callers that skip
// it (the pages), and each refusal of a statement's life has its own code.
func TestStatementRulesWithoutTheAPI(t *testing.T) {
	st := modelstest.SQLite(t)
	ctx := context.Background()
	c := &models.Conference{Slug: "zw-stmt", Title: "Zimmerwald", Acronym: "ZW", Timezone: "Europe/Zurich",
		StartsOn: time.Date(2026, 9, 5, 0, 0, 0, 0, time.UTC), EndsOn: time.Date(2026, 9, 8, 0, 0, 0, 0, time.UTC), Languages: models.StringList{"en"}}
	if err := st.CreateConference(ctx, c); err != nil {
		t.Fatal(err)
	}
	o := &models.Organisation{ConferenceID: c.ID, Name: "Union", Country: "CH", Kind: models.OrgUnion, Status: models.OrgVerified, DelegateQuota: 3, Listed: true}
	if err := st.CreateOrganisation(ctx, o); err != nil {
		t.Fatal(err)
	}
	svc := domain.New(domain.Options{Store: st})
	org := &domain.Actor{Role: string(models.StaffOrganiser), Account: &models.Account{ID: models.NewID(), Role: models.StaffOrganiser},
		Roles: map[string]models.StaffRole{c.ID: models.StaffOrganiser}}
	text := func(title, body string) domain.StatementText {
		return domain.StatementText{Title: &title, Body: &body, OrganisationID: &o.ID}
	}

	for title, want := range map[string]models.Code{"a\r\nBcc: x@y.z": models.FieldControlCharacters, strings.Repeat("x", 301): models.FieldTooLong} {
		_, err := svc.CreateStatement(ctx, org, c.Slug, text(title, ""))
		if code, field := failCode(t, err, "title"); code != models.CodeValidation || field != want {
			t.Errorf("title %.20q: got %s/%s, want validation_failed/%s", title, code, field, want)
		}
	}
	if _, err := svc.CreateStatement(ctx, domain.Anonymous("", ""), c.Slug, text("t", "")); err == nil {
		t.Fatal("anonymous drafted a statement")
	}
	v, err := svc.CreateStatement(ctx, org, c.Slug, text("Ceasefire", ""))
	if err != nil {
		t.Fatal(err)
	}
	_, err = svc.SubmitStatement(ctx, org, v.ID)
	if code, field := failCode(t, err, "body"); field != models.FieldRequiredToSubmit {
		t.Errorf("submit without body: got %s/%s, want required_to_submit", code, field)
	}
	if _, err := svc.UpdateStatement(ctx, org, v.ID, text("Ceasefire", "Now.")); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SubmitStatement(ctx, org, v.ID); err != nil {
		t.Fatal(err)
	}
	_, err = svc.UpdateStatement(ctx, org, v.ID, text("Too late", "Now."))
	if code, _ := failCode(t, err, ""); code != models.CodeStatementNotDraft {
		t.Errorf("edit after submission: got %s, want statement_not_draft", code)
	}
	_, err = svc.OpenBallot(ctx, org, v.ID, false)
	if code, _ := failCode(t, err, ""); code != models.CodeStatementNotAccepted {
		t.Errorf("ballot on a submitted statement: got %s, want statement_not_accepted", code)
	}
}

// TestReadingStatementsParsesNoMarkdown: statements, their translations and amendments are read,
// by the public and by staff, without running the Markdown renderer once; the HTML served is
// the one stored when the text was written.
func TestReadingStatementsParsesNoMarkdown(t *testing.T) {
	st := modelstest.SQLite(t)
	ctx := context.Background()
	if _, err := st.LoadDemo(ctx); err != nil {
		t.Fatal(err)
	}
	svc := domain.New(domain.Options{Store: st})
	staff := &domain.Actor{Role: string(models.StaffOrganiser), Account: &models.Account{ID: models.NewID(), Role: models.StaffOrganiser}}
	before := markdown.Renders()
	read, amendments := 0, 0
	for _, a := range []*domain.Actor{domain.Anonymous("", ""), staff} {
		for _, lang := range []string{"", "uk", "de"} {
			vs, _, err := svc.ListStatements(ctx, a, domain.StatementQuery{Slug: "zimmerwald-2027", Lang: lang, Page: models.Page{Limit: 50}})
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range vs {
				one, err := svc.GetStatement(ctx, a, v.ID, lang)
				if err != nil {
					t.Fatal(err)
				}
				if one.Body != "" && !strings.HasPrefix(one.BodyHTML, "<") {
					t.Errorf("statement %s (%s): body_html %.40q, want HTML", v.ID, lang, one.BodyHTML)
				}
				as, err := svc.ListAmendments(ctx, a, v.ID)
				if err != nil {
					t.Fatal(err)
				}
				for _, am := range as {
					if !strings.HasPrefix(am.TextHTML, "<") {
						t.Errorf("amendment %s: text_html %.40q, want HTML", am.ID, am.TextHTML)
					}
				}
				read, amendments = read+1, amendments+len(as)
			}
		}
	}
	if read == 0 || amendments == 0 {
		t.Fatalf("read %d statements and %d amendments, want some of each", read, amendments)
	}
	if n := markdown.Renders() - before; n != 0 {
		t.Errorf("reading %d statements and %d amendments rendered Markdown %d times, want 0", read, amendments, n)
	}
}
