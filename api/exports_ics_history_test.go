package api

import (
	"bytes"
	"testing"

	ics "github.com/arran4/golang-ical"

	"github.com/zimmerwald/zimmerwald/models"
)

// TestICSAcrossReleases: a session moved by release 2 has SEQUENCE 1 and a new LAST-MODIFIED;
// one left alone keeps SEQUENCE 0 and its first LAST-MODIFIED; one cancelled stays in the
// calendar as STATUS:CANCELLED; a third release that only adds a session bumps none of them.
func TestICSAcrossReleases(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		org := e.staffToken(models.StaffOrganiser)
		c := e.conference()
		id := func(m map[string]any) string { return m["id"].(string) }
		ids := map[string]string{}
		for i, title := range []string{"Stays", "Moves", "Dropped"} {
			ids[title] = id(e.addSession(t, org, c, sessionBody(title, "Hall", 6, 9+2*i)))
			e.publishSession(t, org, ids[title])
		}
		e.publishRelease(t, org, c)
		e.do("PATCH", "/api/v1/sessions/"+ids["Moves"], org, map[string]any{"starts_at": zurichAt(7, 9, 0), "ends_at": zurichAt(7, 10, 0)}).want(t, 200)
		e.do("PATCH", "/api/v1/sessions/"+ids["Dropped"], org, map[string]any{"status": "cancelled"}).want(t, 200)
		e.publishRelease(t, org, c)
		want := map[string]struct {
			seq, status string
		}{"Stays": {"0", "CONFIRMED"}, "Moves": {"1", "CONFIRMED"}, "Dropped": {"1", "CANCELLED"}}
		check := func(round string) map[string]string {
			body := e.do("GET", "/api/v1/conferences/"+c.Slug+"/agenda.ics", "", nil).want(t, 200).Body
			cal, err := ics.ParseCalendar(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			mods := map[string]string{}
			for _, ev := range cal.Events() {
				title := ev.GetProperty(ics.ComponentPropertySummary).Value
				w, ok := want[title]
				if !ok {
					t.Errorf("%s: unexpected event %q", round, title)
					continue
				}
				if got := ev.GetProperty(ics.ComponentPropertySequence).Value; got != w.seq {
					t.Errorf("%s: %s SEQUENCE %s, want %s", round, title, got, w.seq)
				}
				if got := ev.GetProperty(ics.ComponentPropertyStatus).Value; got != w.status {
					t.Errorf("%s: %s STATUS %s, want %s", round, title, got, w.status)
				}
				lm := ev.GetProperty(ics.ComponentPropertyLastModified)
				if lm == nil {
					t.Fatalf("%s: %s has no LAST-MODIFIED", round, title)
				}
				mods[title] = lm.Value
			}
			if len(mods) != len(want) {
				t.Errorf("%s: %d events, want %d (the cancelled one kept)", round, len(mods), len(want))
			}
			return mods
		}
		before := check("after release 2")
		e.publishSession(t, org, id(e.addSession(t, org, c, sessionBody("Added", "Hall", 8, 9))))
		e.publishRelease(t, org, c) // changes none of the three
		want["Added"] = struct{ seq, status string }{"0", "CONFIRMED"}
		after := check("after release 3")
		for title, m := range before {
			if title == "Added" {
				continue
			}
			if after[title] != m {
				t.Errorf("%s LAST-MODIFIED moved from %s to %s by a release that did not change it", title, m, after[title])
			}
		}
	})
}
