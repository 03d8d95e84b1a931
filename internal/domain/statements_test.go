package domain_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/zimmerwald/zimmerwald/internal/domain"
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
