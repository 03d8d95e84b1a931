package models_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/zimmerwald/zimmerwald/models"
	"github.com/zimmerwald/zimmerwald/models/modelstest"
)

const importHeader = "email,display_name,organisation,role,country,languages,attendance,visibility,legal_name,needs_visa_letter,status\n"

// A valid file is imported whole, sealed, with organisations resolved by name or ID and waitlist
// positions in file order.
func TestImportDelegates(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, st *models.Store) {
		ctx := context.Background()
		c := newConference(t, st)
		o := newOrganisation(t, st, c, "Swiss Workers' Union")
		file := importHeader +
			"anna@example.org,Anna,Swiss Workers' Union,delegate,CH,de en,in_person,public,Anna K,yes,approved\n" +
			"boris@example.org,Boris," + o.ID + ",,,ru,remote,,,,waitlisted\n" +
			"chloe@example.org,Chloe,,press,fr,fr,,,,,\n" +
			"dan@example.org,Dan,Swiss Workers' Union,,,,,,,,waitlisted\n"
		rows, err := models.ParseDelegateCSV(strings.NewReader(file))
		if err != nil {
			t.Fatal(err)
		}
		var progress []int
		n, err := st.ImportDelegates(ctx, c.ID, rows, func(done, total int) { progress = append(progress, done) })
		if err != nil || n != 4 {
			t.Fatalf("got %d, %v; want 4 imported", n, err)
		}
		if len(progress) == 0 || progress[len(progress)-1] != 4 {
			t.Errorf("got progress %v, want it to end at 4", progress)
		}
		anna, err := st.DelegateByEmail(ctx, c.ID, "anna@example.org")
		if err != nil || anna.Status != models.DelegateApproved || anna.LegalName != "Anna K" || !anna.NeedsVisaLetter ||
			*anna.OrganisationID != o.ID || anna.Lang() != "de" || anna.Visibility != models.VisibilityPublic {
			t.Errorf("got %+v, %v", anna, err)
		}
		boris, _ := st.DelegateByEmail(ctx, c.ID, "boris@example.org")
		dan, _ := st.DelegateByEmail(ctx, c.ID, "dan@example.org")
		if boris.WaitlistSeq == nil || dan.WaitlistSeq == nil || *boris.WaitlistSeq >= *dan.WaitlistSeq || boris.Visibility != models.VisibilityOrganisers {
			t.Errorf("waitlist: got %v and %v, want Boris before Dan", boris.WaitlistSeq, dan.WaitlistSeq)
		}
		chloe, _ := st.DelegateByEmail(ctx, c.ID, "chloe@example.org")
		if chloe.Role != models.RolePress || chloe.OrganisationID != nil || chloe.Country != "FR" || chloe.Status != models.DelegateSubmitted {
			t.Errorf("got %+v", chloe)
		}
	})
}

// One bad line means nothing is imported, and every problem is reported with its line.
func TestImportIsAllOrNothing(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, st *models.Store) {
		ctx := context.Background()
		c := newConference(t, st)
		newOrganisation(t, st, c, "Union") // quota 3
		if _, err := st.Register(ctx, registration(c, "taken@example.org", nil)); err != nil {
			t.Fatal(err)
		}
		count := func() int64 {
			n, err := st.CountDelegates(ctx, models.DelegateFilter{ConferenceID: c.ID})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		parseErrs := importHeader +
			"ok@example.org,Ok,Union,,,,,,,,\n" +
			"not-an-address,Bad,Union,,,,,,,,\n" +
			"x@example.org,\"Line\r\nBreak\",Union,,,,,,,,\n" +
			"y@example.org,Y,,delegate,,,,,,,\n" +
			"z@example.org,Z,Union,boss,,,,everyone,,maybe,approved\n"
		_, err := models.ParseDelegateCSV(strings.NewReader(parseErrs))
		var ie *models.ImportError
		if !errors.As(err, &ie) {
			t.Fatalf("got %v, want an ImportError", err)
		}
		want := []string{"line 3: email", "line 4: display_name", "line 6: organisation", "line 7: role", "line 7: visibility", "line 7: needs_visa_letter"}
		report := ""
		for _, r := range ie.Rows {
			report += r.String() + "\n"
		}
		for _, w := range want {
			if !strings.Contains(report, w) {
				t.Errorf("report lacks %q:\n%s", w, report)
			}
		}
		if strings.Contains(report, "not-an-address") {
			t.Errorf("the report repeats personal data: %s", report)
		}

		dbErrs := importHeader +
			"a@example.org,A,Union,,,,,,,,approved\n" +
			"b@example.org,B,Union,,,,,,,,approved\n" +
			"c@example.org,C,Union,,,,,,,,approved\n" +
			"d@example.org,D,Union,,,,,,,,approved\n" +
			"A@example.org,A2,Union,,,,,,,,\n" +
			"e@example.org,E,Unknown Org,,,,,,,,\n" +
			"Taken@example.org,T,Union,,,,,,,,\n"
		rows, err := models.ParseDelegateCSV(strings.NewReader(dbErrs))
		if err != nil {
			t.Fatal(err)
		}
		before := count()
		_, err = st.ImportDelegates(ctx, c.ID, rows, nil)
		if !errors.As(err, &ie) {
			t.Fatalf("got %v, want an ImportError", err)
		}
		report = ""
		for _, r := range ie.Rows {
			report += r.String() + "\n"
		}
		for _, w := range []string{"line 5: status", "line 6: email", "line 7: organisation", "line 8: email"} {
			if !strings.Contains(report, w) {
				t.Errorf("report lacks %q:\n%s", w, report)
			}
		}
		if after := count(); after != before {
			t.Errorf("got %d delegates after a failed import, want %d", after, before)
		}
		if _, err := models.ParseDelegateCSV(strings.NewReader("email,name\n")); !errors.As(err, &ie) {
			t.Errorf("bad header: got %v", err)
		}
	})
}
