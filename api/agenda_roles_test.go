package api

import (
	"context"
	"fmt"
	"testing"

	"github.com/zimmerwald/zimmerwald/models"
)

// TestAgendaRoleTable checks every agenda route for every role: anonymous, an approved delegate,
// reviewer, organiser and admin. Each call gets fresh records, so the answer depends only on who
// asks.
func TestAgendaRoleTable(t *testing.T) {
	e := sqliteEnv(t)
	ctx := context.Background()
	conf := e.conference()
	org := e.staffToken("organiser")
	me := e.delegate(conf, nil, "Delegate", models.DelegateApproved, models.VisibilityPublic)
	roles := []struct{ name, token string }{
		{"anonymous", ""}, {"delegate", e.delegateToken(me)}, {"reviewer", e.staffToken("reviewer")},
		{"organiser", org}, {"admin", e.staffToken("admin")},
	}
	n := 0
	session := func(publish bool) string {
		n++
		id := e.addSession(t, org, conf, sessionBody(fmt.Sprintf("S%d", n), "Hall", 5, 8+n%12))["id"].(string)
		if publish {
			e.publishSession(t, org, id)
		}
		return id
	}
	room := func() string {
		n++
		r := &models.Room{ConferenceID: conf.ID, Name: fmt.Sprintf("Room %d", n)}
		if err := e.st.CreateRoom(ctx, r); err != nil {
			t.Fatal(err)
		}
		return r.ID
	}
	e.publishSession(t, org, session(false))
	e.publishRelease(t, org, conf)
	feedToken := func() string {
		secret, hash := models.NewSecret()
		if err := e.st.SetFeedToken(ctx, me.ID, hash); err != nil {
			t.Fatal(err)
		}
		return secret
	}
	base := "/api/v1/conferences/" + conf.Slug
	// Statuses per role, in the order of roles above.
	cases := []struct {
		method string
		path   func() string
		body   func() any
		want   [5]int
	}{
		{"GET", func() string { return base + "/rooms" }, nil, [5]int{200, 200, 200, 200, 200}},
		{"POST", func() string { return base + "/rooms" }, func() any { n++; return map[string]any{"name": fmt.Sprintf("New %d", n)} }, [5]int{401, 403, 403, 201, 201}},
		{"PATCH", func() string { return "/api/v1/rooms/" + room() }, func() any { return map[string]any{"capacity": 10} }, [5]int{401, 403, 403, 200, 200}},
		{"DELETE", func() string { return "/api/v1/rooms/" + room() }, nil, [5]int{401, 403, 403, 204, 204}},
		{"GET", func() string { return base + "/sessions" }, nil, [5]int{200, 200, 200, 200, 200}},
		{"POST", func() string { return base + "/sessions" }, func() any { return sessionBody("New", "Hall", 7, 9) }, [5]int{401, 403, 403, 201, 201}},
		{"GET", func() string { return "/api/v1/sessions/" + session(true) }, nil, [5]int{200, 200, 200, 200, 200}},
		{"GET", func() string { return "/api/v1/sessions/" + session(false) }, nil, [5]int{404, 404, 200, 200, 200}},
		{"PATCH", func() string { return "/api/v1/sessions/" + session(false) }, func() any { return map[string]any{"title": "Renamed"} }, [5]int{401, 403, 403, 200, 200}},
		{"DELETE", func() string { return "/api/v1/sessions/" + session(false) }, nil, [5]int{401, 403, 403, 204, 204}},
		{"POST", func() string { return "/api/v1/sessions/" + session(true) + "/attendance" }, nil, [5]int{401, 201, 403, 403, 403}},
		{"DELETE", func() string {
			id := session(true)
			e.do("POST", "/api/v1/sessions/"+id+"/attendance", roles[1].token, nil).want(t, 201)
			return "/api/v1/sessions/" + id + "/attendance"
		}, nil, [5]int{401, 204, 403, 403, 403}},
		{"GET", func() string { return base + "/agenda/conflicts" }, nil, [5]int{401, 403, 403, 200, 200}},
		{"GET", func() string { return base + "/agenda/releases" }, nil, [5]int{200, 200, 200, 200, 200}},
		{"POST", func() string { session(true); return base + "/agenda/releases" }, nil, [5]int{401, 403, 403, 201, 201}},
		{"GET", func() string { return base + "/agenda" }, nil, [5]int{200, 200, 200, 200, 200}},
		{"GET", func() string { return base + "/schedule.xml" }, nil, [5]int{200, 200, 200, 200, 200}},
		{"GET", func() string { return base + "/schedule.json" }, nil, [5]int{200, 200, 200, 200, 200}},
		{"GET", func() string { return base + "/agenda.ics" }, nil, [5]int{200, 200, 200, 200, 200}},
		{"POST", func() string { return "/api/v1/me/feed" }, nil, [5]int{401, 201, 403, 403, 403}},
		{"DELETE", func() string { return "/api/v1/me/feed" }, nil, [5]int{401, 204, 403, 403, 403}},
		{"GET", func() string { return "/api/v1/feeds/" + feedToken() + "/agenda.ics" }, nil, [5]int{200, 200, 200, 200, 200}},
		{"GET", func() string { return "/api/v1/feeds/not-a-feed/agenda.ics" }, nil, [5]int{404, 404, 404, 404, 404}},
	}
	for _, c := range cases {
		for i, role := range roles {
			path := c.path()
			var body any
			if c.body != nil {
				body = c.body()
			}
			if r := e.do(c.method, path, role.token, body); r.Code != c.want[i] {
				t.Errorf("%s %s as %s: got %d, want %d: %s", c.method, path, role.name, r.Code, c.want[i], r.Body)
			}
		}
	}
}
