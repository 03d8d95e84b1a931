package modelstest

import (
	"context"
	"testing"

	"github.com/zimmerwald/zimmerwald/models"
)

// GrantEverywhere gives every organiser and reviewer account of st its own role (Account.Role)
// on every conference of st, as migration 00014 did for the accounts that existed then, except
// the accounts for which scoped is true (a test that narrows an account's conferences). Test
// helpers call it after creating an account or a conference, so that tests that are not about
// conference roles keep their staff working everywhere.
func GrantEverywhere(t testing.TB, st *models.Store, scoped func(accountID string) bool) {
	t.Helper()
	ctx := context.Background()
	accounts, err := st.ListAccounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	confs, err := st.ListConferences(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range accounts {
		if a.Role == models.StaffAdmin || scoped != nil && scoped(a.ID) {
			continue
		}
		have, err := st.ConferenceRoles(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range confs {
			if _, ok := have[c.ID]; ok {
				continue
			}
			if err := st.GrantConferenceRole(ctx, a.ID, c.ID, a.Role); err != nil {
				t.Fatal(err)
			}
		}
	}
}
