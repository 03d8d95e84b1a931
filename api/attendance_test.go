package api

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/zimmerwald/zimmerwald/models"
)

func TestSignUpWaitlistAndPromotion(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		org := e.staffToken("organiser")
		conf := e.conference()
		body := sessionBody("Translation workshop", "Annex", 6, 14)
		body["capacity"] = 2
		id := e.addSession(t, org, conf, body)["id"].(string)
		path := "/api/v1/sessions/" + id + "/attendance"

		ds := make([]*models.Delegate, 3)
		tokens := make([]string, 3)
		for i := range ds {
			ds[i] = e.delegate(conf, nil, fmt.Sprintf("Delegate %d", i), models.DelegateApproved, models.VisibilityParticipants)
			tokens[i] = e.delegateToken(ds[i])
		}
		e.do("POST", path, tokens[0], nil).want(t, 404) // drafts are not open for sign-up
		e.publishSession(t, org, id)

		want := []struct {
			status   string
			position float64
		}{{"confirmed", 0}, {"confirmed", 0}, {"waitlisted", 1}}
		for i, w := range want {
			got := e.do("POST", path, tokens[i], nil).want(t, 201).json(t)
			if got["status"] != w.status || got["position"] != w.position {
				t.Errorf("delegate %d: got %v, want %s at %v", i, got, w.status, w.position)
			}
		}
		again := e.do("POST", path, tokens[2], nil).want(t, 200).json(t)
		if again["status"] != "waitlisted" {
			t.Errorf("repeat sign-up: got %v, want the same waitlisted place", again)
		}
		pending := e.delegate(conf, nil, "Pending", models.DelegateSubmitted, models.VisibilityPublic)
		e.do("POST", path, e.delegateToken(pending), nil).want(t, 403)
		stranger := e.delegate(e.conference(), nil, "Stranger", models.DelegateApproved, models.VisibilityPublic)
		e.do("POST", path, e.delegateToken(stranger), nil).want(t, 404)
		e.do("DELETE", path, e.delegateToken(stranger), nil).want(t, 404)

		before := mailCounts(t, e.deliver())
		for i, d := range ds {
			if before[strings.ToLower(d.Email)] != 1 {
				t.Errorf("delegate %d: got %d sign-up mails, want 1", i, before[strings.ToLower(d.Email)])
			}
		}
		e.do("DELETE", path, tokens[0], nil).want(t, 204)
		e.do("DELETE", path, tokens[0], nil).want(t, 404)
		msgs := e.deliver()
		after := mailCounts(t, msgs)
		if after[strings.ToLower(ds[2].Email)] != 2 || len(msgs) != 4 {
			t.Fatalf("after leaving: got %v (%d messages), want one promotion mail to delegate 2", after, len(msgs))
		}
		subject, text := mailText(t, msgs[len(msgs)-1])
		if !strings.Contains(text, "Translation workshop") || !strings.Contains(text, "14:00–15:00 CEST") || strings.Contains(text, ds[0].DisplayName) {
			t.Errorf("promotion mail: %q\n%s", subject, text)
		}
		now := e.do("POST", path, tokens[2], nil).want(t, 200).json(t)
		if now["status"] != "confirmed" {
			t.Errorf("promoted: got %v, want confirmed", now)
		}
		// A larger capacity gives waiting delegates their places.
		e.do("POST", path, tokens[0], nil).want(t, 201)
		e.do("PATCH", "/api/v1/sessions/"+id, org, map[string]any{"capacity": 3}).want(t, 200)
		if got := e.do("POST", path, tokens[0], nil).want(t, 200).json(t); got["status"] != "confirmed" {
			t.Errorf("after capacity increase: got %v, want confirmed", got)
		}
		e.do("PATCH", "/api/v1/sessions/"+id, org, map[string]any{"status": "cancelled"}).want(t, 200)
		e.do("POST", path, e.delegateToken(e.delegate(conf, nil, "Late", models.DelegateApproved, models.VisibilityPublic)), nil).want(t, 409)
	})
}

// TestConcurrentSignUps sends 500 sign-ups at once to a session with 50 places: exactly 50 are
// confirmed and 450 waitlisted with distinct waitlist positions, on SQLite and PostgreSQL.
func TestConcurrentSignUps(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		org := e.staffToken("organiser")
		conf := e.conference()
		body := sessionBody("Plenary", "Hall", 6, 10)
		body["capacity"] = 50
		id := e.addSession(t, org, conf, body)["id"].(string)
		e.publishSession(t, org, id)
		const n = 500
		tokens := make([]string, n)
		for i := range tokens {
			tokens[i] = e.delegateToken(e.delegate(conf, nil, fmt.Sprintf("D%03d", i), models.DelegateApproved, models.VisibilityOrganisers))
		}
		var wg sync.WaitGroup
		codes := make([]int, n)
		statuses := make([]string, n)
		start := make(chan struct{})
		for i := range tokens {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				<-start
				r := e.do("POST", "/api/v1/sessions/"+id+"/attendance", tokens[i], nil)
				codes[i] = r.Code
				if r.Code == 201 {
					statuses[i] = r.json(t)["status"].(string)
				}
			}(i)
		}
		close(start)
		wg.Wait()
		count := map[string]int{}
		for i, code := range codes {
			if code != 201 {
				t.Fatalf("sign-up %d: got %d, want 201", i, code)
			}
			count[statuses[i]]++
		}
		if count["confirmed"] != 50 || count["waitlisted"] != 450 {
			t.Fatalf("got %v, want 50 confirmed and 450 waitlisted", count)
		}
		got := e.do("GET", "/api/v1/sessions/"+id, "", nil).want(t, 200).json(t)["attendance"].(map[string]any)
		if got["confirmed"] != float64(50) || got["waitlisted"] != float64(450) {
			t.Errorf("stored counts: got %v", got)
		}
		atts, err := e.st.Attendees(context.Background(), []string{id})
		if err != nil || len(atts[id]) != n {
			t.Fatalf("attendees: got %d (%v), want %d", len(atts[id]), err, n)
		}
		if rows := e.outbox(conf); len(rows) != n {
			t.Errorf("got %d sign-up mails, want %d", len(rows), n)
		}
	})
}
