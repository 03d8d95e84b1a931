package models_test

import (
	"context"
	"testing"
	"time"

	"github.com/zimmerwald/zimmerwald/models"
)

func newConference(t *testing.T, st *models.Store) *models.Conference {
	t.Helper()
	c := &models.Conference{
		Slug: "zw-" + models.NewID()[:8], Title: "Zimmerwald 2026", Acronym: "ZW26", Timezone: "Europe/Zurich",
		StartsOn: time.Date(2026, 9, 5, 0, 0, 0, 0, time.UTC), EndsOn: time.Date(2026, 9, 8, 0, 0, 0, 0, time.UTC),
		Languages: models.StringList{"en", "ru", "uk", "de", "fr"},
	}
	if err := st.CreateConference(context.Background(), c); err != nil {
		t.Fatalf("create conference: %v", err)
	}
	return c
}

func newOrganisation(t *testing.T, st *models.Store, c *models.Conference, name string) *models.Organisation {
	t.Helper()
	o := &models.Organisation{ConferenceID: c.ID, Name: name, Country: "CH", Kind: models.OrgUnion, Status: models.OrgVerified, DelegateQuota: 3, Listed: true}
	if err := st.CreateOrganisation(context.Background(), o); err != nil {
		t.Fatalf("create organisation: %v", err)
	}
	return o
}
