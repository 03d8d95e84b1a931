package models_test

import (
	"strings"
	"testing"
	"time"

	"github.com/zimmerwald/zimmerwald/models"
)

// TestOrderSpeakers checks the order of the floor: points of order first, then those who have
// not yet spoken on the item, then request time.
func TestOrderSpeakers(t *testing.T) {
	t0 := time.Date(2027, 9, 6, 10, 0, 0, 0, time.UTC)
	req := func(id, delegate string, minute int, poo bool) models.SpeakerRequest {
		return models.SpeakerRequest{ID: id, DelegateID: delegate, RequestedAt: t0.Add(time.Duration(minute) * time.Minute), PointOfOrder: poo}
	}
	for _, tc := range []struct {
		name   string
		queue  []models.SpeakerRequest
		spoken []string
		want   string
	}{
		{"request time", []models.SpeakerRequest{req("c", "3", 3, false), req("a", "1", 1, false), req("b", "2", 2, false)}, nil, "a b c"},
		{"point of order first", []models.SpeakerRequest{req("a", "1", 1, false), req("b", "2", 5, true)}, nil, "b a"},
		{"points of order by time", []models.SpeakerRequest{req("a", "1", 4, true), req("b", "2", 2, true), req("c", "3", 1, false)}, nil, "b a c"},
		{"first-time speakers before repeat speakers", []models.SpeakerRequest{req("a", "1", 1, false), req("b", "2", 2, false)}, []string{"1"}, "b a"},
		{"a repeat speaker's point of order still first", []models.SpeakerRequest{req("a", "1", 9, true), req("b", "2", 2, false)}, []string{"1"}, "a b"},
		{"repeat speakers by time", []models.SpeakerRequest{req("b", "2", 3, false), req("a", "1", 1, false), req("c", "3", 2, false)}, []string{"1", "2"}, "c a b"},
		{"same time by ID", []models.SpeakerRequest{req("y", "1", 1, false), req("x", "2", 1, false)}, nil, "x y"},
		{"empty", nil, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spoken := map[string]bool{}
			for _, d := range tc.spoken {
				spoken[d] = true
			}
			models.OrderSpeakers(tc.queue, spoken)
			var got []string
			for _, r := range tc.queue {
				got = append(got, r.ID)
			}
			if g := strings.Join(got, " "); g != tc.want {
				t.Errorf("got %q, want %q", g, tc.want)
			}
		})
	}
}
