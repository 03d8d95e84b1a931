package models_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/zimmerwald/zimmerwald/models"
	"github.com/zimmerwald/zimmerwald/models/modelstest"
)

// Concurrent approvals never exceed the organisation's quota (SQLite's single writer, PostgreSQL's
// row lock), and each refusal is a QuotaError that changes nothing.
func TestConcurrentApprovalsRespectQuota(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, st *models.Store) {
		ctx := context.Background()
		c := newConference(t, st)
		o := newOrganisation(t, st, c, "Union") // quota 3
		now := time.Now().UTC()
		ids := make([]string, 12)
		for i := range ids {
			d := &models.Delegate{ConferenceID: c.ID, OrganisationID: &o.ID, Role: models.RoleDelegate, Status: models.DelegateSubmitted,
				DisplayName: fmt.Sprint("D", i), Email: fmt.Sprintf("q%d@example.org", i), Attendance: models.AttendRemote,
				Visibility: models.VisibilityPublic, ConfirmedAt: &now}
			if err := st.CreateDelegate(ctx, d); err != nil {
				t.Fatal(err)
			}
			ids[i] = d.ID
		}
		var wg sync.WaitGroup
		errs := make([]error, len(ids))
		for i, id := range ids {
			wg.Go(func() {
				errs[i] = st.Tx(ctx, func(tx *models.Store) error {
					_, err := tx.DecideDelegate(ctx, id, "approve", "")
					return err
				})
			})
		}
		wg.Wait()
		ok, full := 0, 0
		for _, err := range errs {
			var qe *models.QuotaError
			switch {
			case err == nil:
				ok++
			case errors.As(err, &qe) && errors.Is(err, models.ErrConflict):
				full++
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		n, err := st.CountDelegates(ctx, models.DelegateFilter{ConferenceID: c.ID, Status: models.DelegateApproved})
		if ok != 3 || full != 9 || n != 3 || err != nil {
			t.Errorf("got %d approved (%d in the database, %v) and %d refused, want 3 and 9", ok, n, err, full)
		}
	})
}
