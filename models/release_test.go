package models_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/zimmerwald/zimmerwald/models"
	"github.com/zimmerwald/zimmerwald/models/modelstest"
)

func snapSession(id, room string, hour int, speakers, chairs []string) models.SnapshotSession {
	start := time.Date(2027, 9, 6, hour, 0, 0, 0, time.UTC)
	return models.SnapshotSession{ID: id, Title: "T" + id, RoomID: room, Room: "Room " + room, StartsAt: start, EndsAt: start.Add(time.Hour),
		Speakers: speakers, Chairs: chairs}
}

func TestDiffSnapshotsAndRecipients(t *testing.T) {
	prev := models.AgendaSnapshot{Sessions: []models.SnapshotSession{
		snapSession("same", "r1", 9, []string{"ann"}, nil),
		snapSession("moved", "r1", 10, []string{"bob"}, []string{"cat"}),
		snapSession("gone", "r2", 11, []string{"dan"}, nil),
		snapSession("respeak", "r2", 12, []string{"eve"}, nil),
		snapSession("both", "r3", 13, []string{"fay"}, nil),
	}}
	next := models.AgendaSnapshot{Sessions: []models.SnapshotSession{
		snapSession("same", "r1", 9, []string{"ann"}, nil),
		snapSession("moved", "r2", 10, []string{"bob"}, []string{"cat"}),
		snapSession("respeak", "r2", 12, []string{"gus"}, nil),
		snapSession("both", "r3", 15, []string{"fay", "hal"}, nil),
		snapSession("new", "r1", 16, []string{"ivy"}, []string{"ann"}),
	}}
	changes := models.DiffSnapshots(prev, next)
	var got []string
	for _, c := range changes {
		got = append(got, string(c.Kind)+":"+c.SessionID)
	}
	want := []string{"moved:moved", "cancelled:gone", "speakers_changed:respeak", "moved:both", "speakers_changed:both", "added:new"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("changes: got %v, want %v", got, want)
	}
	if c := changes[0]; c.PreviousRoom != "Room r1" || c.Room != "Room r2" || c.PreviousStartsAt == nil {
		t.Errorf("moved: got %+v", c)
	}
	recipients := models.ReleaseRecipients(prev, next, changes, map[string][]string{"moved": {"joe", "ann"}, "same": {"kim"}})
	summary := map[string][]string{}
	presenter := map[string]bool{}
	for _, r := range recipients {
		for _, c := range r.Changes {
			summary[r.DelegateID] = append(summary[r.DelegateID], string(c.Kind)+":"+c.SessionID)
		}
		presenter[r.DelegateID] = r.Presenter
	}
	wantSummary := map[string][]string{
		"ann": {"moved:moved", "added:new"}, "bob": {"moved:moved"}, "cat": {"moved:moved"}, "joe": {"moved:moved"},
		"dan": {"cancelled:gone"}, "eve": {"speakers_changed:respeak"}, "gus": {"speakers_changed:respeak"},
		"fay": {"moved:both", "speakers_changed:both"}, "hal": {"moved:both", "speakers_changed:both"}, "ivy": {"added:new"},
	}
	if !reflect.DeepEqual(summary, wantSummary) {
		t.Errorf("recipients: got %v, want %v", summary, wantSummary)
	}
	if presenter["joe"] || !presenter["ann"] || !presenter["bob"] {
		t.Errorf("presenters: got %v", presenter)
	}
	if len(models.DiffSnapshots(next, next)) != 0 || !next.Equal(next) || next.Equal(prev) {
		t.Error("a snapshot differs from itself")
	}
}

func TestPublishReleaseNumbersAndRefusesNoChange(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, st *models.Store) {
		ctx := context.Background()
		c := newConference(t, st)
		start := time.Date(2026, 9, 6, 8, 0, 0, 0, time.UTC)
		s := &models.Session{ConferenceID: c.ID, Title: "Opening", Kind: models.KindPlenary, StartsAt: start, EndsAt: start.Add(time.Hour),
			Status: models.SessionPublished, Languages: models.StringList{}, Interpretation: models.StringList{}}
		if err := st.CreateSession(ctx, s); err != nil {
			t.Fatal(err)
		}
		draft := &models.Session{ConferenceID: c.ID, Title: "Draft", Kind: models.KindMeeting, StartsAt: start, EndsAt: start.Add(time.Hour),
			Status: models.SessionDraft, Languages: models.StringList{}, Interpretation: models.StringList{}}
		if err := st.CreateSession(ctx, draft); err != nil {
			t.Fatal(err)
		}
		publish := func() (*models.PublishedRelease, error) {
			var p *models.PublishedRelease
			err := st.Tx(ctx, func(tx *models.Store) (err error) {
				p, err = tx.PublishRelease(ctx, c.ID, nil)
				return err
			})
			return p, err
		}
		p, err := publish()
		if err != nil || p.Release.Number != 1 || len(p.Current.Sessions) != 1 || len(p.Changes) != 1 {
			t.Fatalf("first: got %+v, %v", p, err)
		}
		if _, err := publish(); !errors.Is(err, models.ErrNoChanges) {
			t.Fatalf("unchanged: got %v, want ErrNoChanges", err)
		}
		s.Description = "Now with a description"
		if err := st.UpdateSession(ctx, s); err != nil {
			t.Fatal(err)
		}
		p, err = publish()
		if err != nil || p.Release.Number != 2 || len(p.Changes) != 0 {
			t.Fatalf("description only: got %+v, %v; want release 2 without changelog entries", p, err)
		}
		head, err := st.LatestReleaseHead(ctx, c.Slug)
		if err != nil || head.Number != 2 || head.ConferenceID != c.ID {
			t.Errorf("head: got %+v, %v", head, err)
		}
		if _, err := st.LatestReleaseHead(ctx, "no-such-slug"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("unknown slug: got %v", err)
		}
	})
}

func TestDemoAgenda(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, st *models.Store) {
		ctx := context.Background()
		if ok, err := st.LoadDemo(ctx); err != nil || !ok {
			t.Fatalf("load demo: %v, %v", ok, err)
		}
		conf, err := st.ConferenceBySlug(ctx, models.DemoSlug)
		if err != nil {
			t.Fatal(err)
		}
		published, err := st.ListSessions(ctx, models.SessionFilter{ConferenceID: conf.ID, Statuses: []models.SessionStatus{models.SessionPublished}})
		if err != nil || len(published) < 10 {
			t.Fatalf("got %d published sessions (%v), want about a dozen", len(published), err)
		}
		rel, err := st.LatestRelease(ctx, conf.ID)
		if err != nil || rel.Number != 1 {
			t.Fatalf("release: got %v, %v", rel, err)
		}
		snap, err := rel.ParseSnapshot()
		if err != nil || len(snap.Sessions) != len(published) {
			t.Errorf("release holds %d sessions (%v), want %d", len(snap.Sessions), err, len(published))
		}
		starts, ends := models.ConferenceWindow(conf)
		for _, s := range published {
			if s.StartsAt.Before(starts) || s.EndsAt.After(ends) {
				t.Errorf("%q is outside the conference", s.Title)
			}
		}
	})
}
