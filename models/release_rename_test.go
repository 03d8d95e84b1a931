package models_test

import (
	"testing"

	"github.com/zimmerwald/zimmerwald/models"
)

// TestDiffSnapshotsRename: a renamed session is a change ("updated") that carries the old title;
// a session renamed and moved carries it on the move.
func TestDiffSnapshotsRename(t *testing.T) {
	prev := models.AgendaSnapshot{Sessions: []models.SnapshotSession{snapSession("a", "r1", 9, nil, nil), snapSession("b", "r1", 11, nil, nil)}}
	a, b := snapSession("a", "r1", 9, nil, nil), snapSession("b", "r2", 11, nil, nil)
	a.Title, b.Title = "Renamed A", "Renamed B"
	changes := models.DiffSnapshots(prev, models.AgendaSnapshot{Sessions: []models.SnapshotSession{a, b}})
	if len(changes) != 2 {
		t.Fatalf("got %d changes, want 2: %+v", len(changes), changes)
	}
	if c := changes[0]; c.Kind != models.ChangeUpdated || c.Title != "Renamed A" || c.PreviousTitle != "Ta" {
		t.Errorf("renamed: got %+v", c)
	}
	if c := changes[1]; c.Kind != models.ChangeMoved || c.PreviousTitle != "Tb" {
		t.Errorf("renamed and moved: got %+v", c)
	}
	same := models.DiffSnapshots(prev, prev)
	if len(same) != 0 {
		t.Errorf("no change: got %+v", same)
	}
}
