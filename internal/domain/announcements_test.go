package domain

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/zimmerwald/zimmerwald/internal/config"
	"github.com/zimmerwald/zimmerwald/models"
	"github.com/zimmerwald/zimmerwald/models/modelstest"
)

// testService is a Service on a fresh SQLite file with one conference and an organiser.
func testService(t *testing.T) (*Service, *models.Conference, *Actor) {
	t.Helper()
	st := modelstest.SQLite(t)
	cfg := config.Defaults()
	cfg.BaseURL = "http://zw.test"
	s := New(Options{Store: st, Config: cfg})
	ctx := context.Background()
	day := time.Date(2031, 5, 1, 0, 0, 0, 0, time.UTC)
	conf := &models.Conference{Slug: "zw", Title: "Zimmerwald", Timezone: "Europe/Zurich", StartsOn: day, EndsOn: day,
		Languages: models.StringList{"en"}, QuotaPolicy: "organisation", VoteRule: "organisation", RetentionDays: 30}
	if err := st.CreateConference(ctx, conf); err != nil {
		t.Fatal(err)
	}
	acc := &models.Account{Email: "org@example.org", PasswordHash: "x", Role: models.StaffOrganiser}
	if err := st.CreateAccount(ctx, acc); err != nil {
		t.Fatal(err)
	}
	return s, conf, &Actor{Role: string(acc.Role), Account: acc, Roles: map[string]models.StaffRole{conf.ID: acc.Role}}
}

// codeOf is the field code of field in err ("" when err has none).
func codeOf(err error, field string) models.Code {
	e, ok := models.Classify(err)
	if !ok {
		return ""
	}
	return e.Fields[field].Code
}

// TestAnnouncementAudienceValuesAreChecked: an audience value that is no status, role or
// attendance is refused by the operation itself (the pages have no binding tags), and only
// organisers may announce.
func TestAnnouncementAudienceValuesAreChecked(t *testing.T) {
	s, conf, org := testService(t)
	ctx := context.Background()
	for field, aud := range map[string]models.Audience{
		"audience.statuses":   {Statuses: []models.DelegateStatus{"approved", "emperor"}},
		"audience.roles":      {Roles: []models.DelegateRole{"spy"}},
		"audience.attendance": {Attendance: []models.AttendanceMode{"telepathic"}},
	} {
		_, err := s.PreviewAnnouncement(ctx, org, conf.Slug, AnnouncementInput{Subject: "News", Body: "b", Audience: aud})
		if got := codeOf(err, field); got != models.FieldOneOf {
			t.Errorf("%s: got code %q (err %v), want %q", field, got, err, models.FieldOneOf)
		}
	}
	pv, err := s.PreviewAnnouncement(ctx, org, conf.Slug, AnnouncementInput{Subject: "News", Body: "b",
		Audience: models.Audience{Statuses: []models.DelegateStatus{"approved", "approved"}, Roles: []models.DelegateRole{"delegate"}, Attendance: []models.AttendanceMode{"remote"}}})
	if err != nil || pv.Recipients != 0 {
		t.Fatalf("valid audience: got %+v, %v, want 0 recipients", pv, err)
	}
	reviewer := &Actor{Role: string(models.StaffReviewer), Account: &models.Account{ID: models.NewID(), Role: models.StaffReviewer}}
	_, err = s.CreateAnnouncement(ctx, reviewer, conf.Slug, AnnouncementInput{Subject: "News", Body: "b"})
	if e, ok := models.Classify(err); !ok || e.Code != models.CodeForbidden {
		t.Fatalf("reviewer announcing: got %v, want forbidden", err)
	}
}

// TestFirstAdminOnlyOnce: the setup token creates the first admin once; any later attempt is
// refused as an invalid token, and bad credentials are field errors.
func TestFirstAdminOnlyOnce(t *testing.T) {
	st := modelstest.SQLite(t)
	s := New(Options{Store: st, Config: config.Defaults()})
	ctx := context.Background()
	secret, err := st.IssueToken(ctx, &models.AuthToken{Kind: models.TokenSetup, ExpiresAt: st.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	anon := Anonymous("req", "test")
	_, err = s.CreateFirstAdmin(ctx, anon, FirstAdmin{Token: secret, Email: "a@example.org", Password: "short"})
	if got := codeOf(err, "password"); got != models.FieldTooShort {
		t.Fatalf("short password: got %q (%v), want %q", got, err, models.FieldTooShort)
	}
	acc, err := s.CreateFirstAdmin(ctx, anon, FirstAdmin{Token: secret, Email: " a@example.org ", Password: "a long enough password"})
	if err != nil || acc.Role != models.StaffAdmin || !acc.CanExport || acc.Email != "a@example.org" {
		t.Fatalf("first admin: got %+v, %v", acc, err)
	}
	_, err = s.CreateFirstAdmin(ctx, anon, FirstAdmin{Token: secret, Email: "b@example.org", Password: "a long enough password"})
	if !errors.Is(err, errSetupClosed) {
		t.Fatalf("second admin: got %v, want %v", err, errSetupClosed)
	}
	if n, _ := st.CountAccounts(ctx); n != 1 {
		t.Fatalf("%d accounts, want 1", n)
	}
}
