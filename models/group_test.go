package models_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/zimmerwald/zimmerwald/models"
	"github.com/zimmerwald/zimmerwald/models/modelstest"
)

// TestGroupCommitIsolatesFailures runs many concurrent grouped transactions, some of which fail
// after writing: exactly the successful ones are committed, each caller gets its own result.
func TestGroupCommitIsolatesFailures(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, st *models.Store) {
		ctx := context.Background()
		c := newConference(t, st)
		errBoom := errors.New("boom")
		const n = 300
		var wg sync.WaitGroup
		results := make([]error, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				results[i] = st.Group(ctx, func(tx *models.Store) error {
					o := &models.Organisation{ConferenceID: c.ID, Name: fmt.Sprintf("org %d", i), Kind: models.OrgOther, Status: models.OrgVerified}
					if err := tx.CreateOrganisation(ctx, o); err != nil {
						return err
					}
					if i%3 == 0 {
						return errBoom
					}
					return nil
				})
			}(i)
		}
		wg.Wait()
		failed := 0
		for i, err := range results {
			if (i%3 == 0) != errors.Is(err, errBoom) {
				t.Fatalf("caller %d: got %v", i, err)
			}
			if err != nil {
				failed++
			}
		}
		orgs, err := st.ListOrganisations(ctx, models.OrganisationFilter{ConferenceID: c.ID})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(orgs), n-failed; got != want {
			t.Fatalf("got %d organisations, want %d", got, want)
		}
		// A duplicate inside a group fails only its own caller.
		dup := st.Group(ctx, func(tx *models.Store) error {
			return tx.CreateOrganisation(ctx, &models.Organisation{ConferenceID: c.ID, Name: "org 1", Kind: models.OrgOther, Status: models.OrgVerified})
		})
		if !errors.Is(dup, models.ErrConflict) {
			t.Fatalf("duplicate: got %v, want ErrConflict", dup)
		}
	})
}
