package models_test

import (
	"context"
	"testing"

	"github.com/zimmerwald/zimmerwald/models"
	"github.com/zimmerwald/zimmerwald/models/modelstest"
)

func TestDemoStatements(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, st *models.Store) {
		ctx := context.Background()
		if ok, err := st.LoadDemo(ctx); !ok || err != nil {
			t.Fatalf("LoadDemo: got %v, %v", ok, err)
		}
		conf, err := st.ConferenceBySlug(ctx, models.DemoSlug)
		if err != nil {
			t.Fatal(err)
		}
		sts, err := st.ListStatements(ctx, models.StatementFilter{ConferenceID: conf.ID})
		if err != nil {
			t.Fatal(err)
		}
		statuses := map[models.StatementStatus]int{}
		var ids []string
		for _, s := range sts {
			statuses[s.Status]++
			ids = append(ids, s.ID)
		}
		if len(sts) < 4 || statuses[models.StatementAccepted] < 1 || statuses[models.StatementAdopted] < 1 || statuses[models.StatementDraft] < 1 || statuses[models.StatementSubmitted] < 1 {
			t.Errorf("demo statements: got statuses %v", statuses)
		}
		cs, err := st.Cosignatures(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		named, counted := 0, 0
		for _, list := range cs {
			for _, c := range list {
				if c.Named {
					named++
				} else {
					counted++
				}
			}
		}
		langs, err := st.TranslationLanguages(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		if named == 0 || counted == 0 || len(langs) == 0 {
			t.Errorf("demo: got %d named and %d counted co-signatures, translations %v", named, counted, langs)
		}
		ballots, err := st.LatestBallots(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range ballots {
			votes, err := st.BallotVotes(ctx, b.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range votes {
				if b.Secret && v.Choice != nil {
					t.Errorf("demo secret ballot stores a choice: %+v", v)
				}
			}
			if b.Status != models.BallotClosed || b.VotesCast != len(votes) {
				t.Errorf("demo ballot: got %+v with %d vote rows", b, len(votes))
			}
		}
	})
}
