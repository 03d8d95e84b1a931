package models_test

import (
	"context"
	"sync"
	"testing"

	"github.com/zimmerwald/zimmerwald/models"
	"github.com/zimmerwald/zimmerwald/models/modelstest"
)

// TestProcessesMigrateTogether starts three stores on one empty PostgreSQL schema, as three
// processes started together would, and migrates them at once: goose's session lock lets one
// migrate while the others wait, so all three succeed at the same version.
func TestProcessesMigrateTogether(t *testing.T) {
	for round := range 5 {
		dsn := modelstest.PostgresURL(t)
		const n = 3
		stores := make([]*models.Store, n)
		for i := range stores {
			st, err := models.Open(context.Background(), models.Options{DatabaseURL: dsn, ReadConns: 2}, modelstest.Box(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			stores[i] = st
		}
		versions, errs := make([]int64, n), make([]error, n)
		var start, wg sync.WaitGroup
		start.Add(1)
		for i, st := range stores {
			wg.Go(func() {
				start.Wait()
				versions[i], errs[i] = st.Migrate(context.Background())
			})
		}
		start.Done()
		wg.Wait()
		for i := range n {
			if errs[i] != nil {
				t.Fatalf("round %d: process %d: %v", round, i, errs[i])
			}
			if versions[i] != versions[0] || versions[i] == 0 {
				t.Errorf("round %d: versions %v, want one non-zero version", round, versions)
			}
		}
	}
}
