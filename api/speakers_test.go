package api

import (
	"context"
	"fmt"
	"testing"

	"github.com/zimmerwald/zimmerwald/models"
)

// plenary is a published plenary session with one debate item and an organiser's token.
type plenary struct {
	conf   *models.Conference
	org    *models.Organisation
	staff  string
	sessID string
	itemID string
}

func (e *testEnv) plenary(t *testing.T) *plenary {
	t.Helper()
	p := &plenary{conf: e.conference(), staff: e.staffToken(models.StaffOrganiser)}
	p.org = e.organisation(p.conf, "Listed Union", true, 10)
	body := sessionBody("Plenary", "Hall", 6, 10)
	body["kind"] = "plenary"
	p.sessID = e.addSession(t, p.staff, p.conf, body)["id"].(string)
	e.publishSession(t, p.staff, p.sessID)
	p.itemID = e.do("POST", "/api/v1/sessions/"+p.sessID+"/items", p.staff, map[string]any{"title": "General debate", "kind": "debate", "speaking_time_seconds": 120}).
		want(t, 201).json(t)["id"].(string)
	return p
}

// speakerNames is the display names of a list of speaker entries.
func speakerNames(v any) []string {
	var out []string
	for _, s := range v.([]any) {
		out = append(out, s.(map[string]any)["display_name"].(string))
	}
	return out
}

// TestAgendaItems creates, lists and changes agenda items and refuses bad input.
func TestAgendaItems(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		p := e.plenary(t)
		second := e.do("POST", "/api/v1/sessions/"+p.sessID+"/items", p.staff, map[string]any{"title": "Election of the bureau", "kind": "election"}).want(t, 201).json(t)
		if second["position"] != float64(2) || second["speaking_time_seconds"] != float64(180) {
			t.Errorf("got %v, want position 2 and the default speaking time", second)
		}
		items := e.do("GET", "/api/v1/sessions/"+p.sessID+"/items", "", nil).want(t, 200).json(t)["items"].([]any)
		if len(items) != 2 || items[0].(map[string]any)["title"] != "General debate" {
			t.Errorf("got items %v", items)
		}
		got := e.do("PATCH", "/api/v1/items/"+p.itemID, p.staff, map[string]any{"speaking_time_seconds": 90}).want(t, 200).json(t)
		if got["speaking_time_seconds"] != float64(90) {
			t.Errorf("got %v after PATCH", got)
		}
		for _, body := range []map[string]any{{"title": ""}, {"title": "x", "kind": "party"}, {"title": "x", "speaking_time_seconds": 5},
			{"title": "x", "statement_id": models.NewID()}} {
			r := e.do("POST", "/api/v1/sessions/"+p.sessID+"/items", p.staff, body)
			if r.Code != 422 && r.Code != 400 {
				t.Errorf("POST %v: got %d, want 4xx: %s", body, r.Code, r.Body)
			}
		}
		e.do("POST", "/api/v1/sessions/"+models.NewID()+"/items", p.staff, map[string]any{"title": "x"}).want(t, 404)
	})
}

// TestListOfSpeakers follows a debate: requests, a point of order first, first-time speakers
// before repeat ones, the chair's next/extend/end/close/reopen, and the refusals.
func TestListOfSpeakers(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		p := e.plenary(t)
		ctx := context.Background()
		ana := e.delegate(p.conf, p.org, "Ana", models.DelegateApproved, models.VisibilityPublic)
		boris := e.delegate(p.conf, p.org, "Boris", models.DelegateApproved, models.VisibilityPublic)
		hidden := e.delegate(p.conf, p.org, "Hidden Name", models.DelegateApproved, models.VisibilityOrganisers)
		hidden.Attendance = models.AttendRemote
		if err := e.st.UpdateDelegate(ctx, hidden); err != nil {
			t.Fatal(err)
		}
		path := "/api/v1/items/" + p.itemID + "/speakers"
		tok := map[string]string{"ana": e.delegateToken(ana), "boris": e.delegateToken(boris), "hidden": e.delegateToken(hidden)}

		if r := e.do("POST", path, tok["ana"], nil).want(t, 201).json(t); r["position"] != float64(1) {
			t.Errorf("got %v, want position 1", r)
		}
		e.do("POST", path, tok["ana"], nil).want(t, 409)
		e.do("POST", path, tok["hidden"], map[string]any{}).want(t, 201)
		if r := e.do("POST", path, tok["boris"], map[string]any{"point_of_order": true}).want(t, 201).json(t); r["position"] != float64(1) {
			t.Errorf("point of order: got %v, want position 1", r)
		}
		list := e.do("GET", path, "", nil).want(t, 200).json(t)
		if got := fmt.Sprint(speakerNames(list["queue"])); got != "[Boris Ana a delegate]" {
			t.Errorf("public queue %s, want [Boris Ana a delegate]", got)
		}
		if got := fmt.Sprint(speakerNames(e.do("GET", path, p.staff, nil).json(t)["queue"])); got != "[Boris Ana Hidden Name]" {
			t.Errorf("staff queue %s", got)
		}

		cur := e.do("POST", path+"/next", p.staff, nil).want(t, 200).json(t)["current"].(map[string]any)
		if cur["display_name"] != "Boris" || cur["started_at"] == nil || cur["ends_at"] == nil {
			t.Fatalf("current %v, want Boris with started_at and ends_at", cur)
		}
		// Boris asks again: he has spoken, so Ana and the hidden delegate go first.
		e.do("POST", path, tok["boris"], nil).want(t, 201)
		e.do("DELETE", path+"/me", tok["ana"], nil).want(t, 204)
		e.do("DELETE", path+"/me", tok["ana"], nil).want(t, 404)
		e.do("POST", path, tok["ana"], nil).want(t, 201)
		list = e.do("POST", path+"/next", p.staff, nil).want(t, 200).json(t)
		if got := fmt.Sprint(speakerNames(list["queue"])); got != "[Ana Boris]" {
			t.Errorf("queue %s, want [Ana Boris] (first-time speakers first)", got)
		}
		if c := list["current"].(map[string]any); c["display_name"] != "Hidden Name" || c["remote"] != true {
			t.Errorf("staff see current %v", c)
		}
		before := list["current"].(map[string]any)["ends_at"].(string)
		after := e.do("POST", path+"/extend", p.staff, map[string]any{"seconds": 60}).want(t, 200).json(t)["current"].(map[string]any)["ends_at"].(string)
		if after <= before {
			t.Errorf("extend: ends_at %s, was %s", after, before)
		}
		list = e.do("POST", path+"/end", p.staff, nil).want(t, 200).json(t)
		if list["current"] != nil || len(list["spoken"].([]any)) != 2 {
			t.Errorf("after end: %v", list)
		}
		e.do("POST", path+"/end", p.staff, nil).want(t, 409)

		e.do("POST", path+"/close", p.staff, nil).want(t, 200)
		carl := e.delegate(p.conf, p.org, "Carl", models.DelegateApproved, models.VisibilityPublic)
		if r := e.do("POST", path, e.delegateToken(carl), nil).want(t, 409).json(t); r["code"] != "speakers_list_closed" {
			t.Errorf("closed list: got %v", r)
		}
		e.do("POST", path, e.delegateToken(carl), map[string]any{"point_of_order": true}).want(t, 201)
		e.do("POST", path+"/reopen", p.staff, nil).want(t, 200)

		pending := e.delegate(p.conf, p.org, "Pending", models.DelegateSubmitted, models.VisibilityPublic)
		e.do("POST", path, e.delegateToken(pending), nil).want(t, 403)
		unverified := e.organisation(p.conf, "Proposed Org", true, 5)
		unverified.Status = models.OrgProposed
		if err := e.st.UpdateOrganisation(ctx, unverified); err != nil {
			t.Fatal(err)
		}
		dora := e.delegate(p.conf, unverified, "Dora", models.DelegateApproved, models.VisibilityPublic)
		if r := e.do("POST", path, e.delegateToken(dora), nil).want(t, 409).json(t); r["code"] != "organisation_not_verified" {
			t.Errorf("unverified organisation: got %v", r)
		}
		e.do("POST", path, "", nil).want(t, 401)
		e.do("POST", path+"/next", tok["ana"], nil).want(t, 403)
	})
}
