package api

import (
	"strings"
	"testing"

	"github.com/zimmerwald/zimmerwald/models"
)

func TestSessionLifecycle(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		org := e.staffToken("organiser")
		conf := e.conference()
		union := e.organisation(conf, "Union", true, 5)
		anna := e.delegate(conf, union, "Anna", models.DelegateApproved, models.VisibilityPublic)

		s := e.addSession(t, org, conf, sessionBody("Plenary", "Hall", 6, 10, anna))
		id := s["id"].(string)
		if s["status"] != "draft" || s["room"] != "Hall" || len(id) != 36 {
			t.Fatalf("got %v, want a draft in Hall with an ID", s)
		}
		if got := s["speaker_ids"].([]any); len(got) != 1 || got[0] != anna.ID {
			t.Errorf("speaker_ids: got %v, want [%s]", got, anna.ID)
		}
		rooms := e.do("GET", "/api/v1/conferences/"+conf.Slug+"/rooms", "", nil).want(t, 200).json(t)["items"].([]any)
		if len(rooms) != 1 || rooms[0].(map[string]any)["name"] != "Hall" || rooms[0].(map[string]any)["id"] != s["room_id"] {
			t.Fatalf("rooms: got %v, want Hall created on first use", rooms)
		}
		// A second session naming the same room reuses it.
		s2 := e.addSession(t, org, conf, sessionBody("Workshop", "Hall", 7, 10))
		if s2["room_id"] != s["room_id"] {
			t.Errorf("room reuse: got %v, want %v", s2["room_id"], s["room_id"])
		}

		public := func() string {
			return string(e.do("GET", "/api/v1/conferences/"+conf.Slug+"/sessions", "", nil).want(t, 200).Body)
		}
		if strings.Contains(public(), "Plenary") {
			t.Errorf("a draft is listed publicly: %s", public())
		}
		e.do("GET", "/api/v1/sessions/"+id, "", nil).want(t, 404)
		if !strings.Contains(string(e.do("GET", "/api/v1/conferences/"+conf.Slug+"/sessions?status=draft", org, nil).want(t, 200).Body), "Plenary") {
			t.Error("staff do not see drafts")
		}
		e.publishSession(t, org, id)
		if !strings.Contains(public(), "Plenary") {
			t.Errorf("a published session is not listed: %s", public())
		}
		got := e.do("GET", "/api/v1/sessions/"+id, "", nil).want(t, 200).json(t)
		if _, leaks := got["speaker_ids"]; leaks {
			t.Errorf("public view shows speaker_ids: %v", got)
		}

		// Status moves go through Session.SetStatus.
		e.do("PATCH", "/api/v1/sessions/"+id, org, map[string]any{"status": "cancelled"}).want(t, 200)
		e.do("PATCH", "/api/v1/sessions/"+id, org, map[string]any{"status": "published"}).want(t, 409)
		e.do("PATCH", "/api/v1/sessions/"+id, org, map[string]any{"status": "draft"}).want(t, 200)

		// PATCH changes only what it names; [] empties a list.
		upd := e.do("PATCH", "/api/v1/sessions/"+id, org, map[string]any{"title": "Opening plenary", "speaker_ids": []string{}}).want(t, 200).json(t)
		if upd["title"] != "Opening plenary" || upd["room"] != "Hall" || len(upd["speaker_ids"].([]any)) != 0 {
			t.Errorf("patch: got %v", upd)
		}
		// Rooms can be edited; a room in use cannot be deleted.
		roomID := s["room_id"].(string)
		r := e.do("PATCH", "/api/v1/rooms/"+roomID, org, map[string]any{"capacity": 120, "online_url": "https://meet.example.org/hall"}).want(t, 200).json(t)
		if r["capacity"] != float64(120) {
			t.Errorf("room patch: got %v", r)
		}
		e.do("DELETE", "/api/v1/rooms/"+roomID, org, nil).want(t, 409)
		if strings.Contains(string(e.do("GET", "/api/v1/conferences/"+conf.Slug+"/rooms", "", nil).Body), "meet.example.org") {
			t.Error("the public sees a room's online link")
		}

		e.do("DELETE", "/api/v1/sessions/"+id, org, nil).want(t, 204)
		e.do("DELETE", "/api/v1/sessions/"+s2["id"].(string), org, nil).want(t, 204)
		e.do("GET", "/api/v1/sessions/"+id, org, nil).want(t, 404)
		e.do("DELETE", "/api/v1/rooms/"+roomID, org, nil).want(t, 204)
		e.do("POST", "/api/v1/conferences/"+conf.Slug+"/rooms", org, map[string]any{"name": "Annex", "capacity": 30}).want(t, 201)
		e.do("POST", "/api/v1/conferences/"+conf.Slug+"/rooms", org, map[string]any{"name": "Annex"}).want(t, 409)
	})
}

func TestSessionBadInput(t *testing.T) {
	e := sqliteEnv(t)
	org := e.staffToken("organiser")
	conf := e.conference()
	other := e.conference()
	stranger := e.delegate(other, nil, "Elsewhere", models.DelegateApproved, models.VisibilityPublic)
	valid := func(change func(b map[string]any)) map[string]any {
		b := sessionBody("Talk", "Hall", 6, 10)
		change(b)
		return b
	}
	path := "/api/v1/conferences/" + conf.Slug + "/sessions"
	cases := []struct {
		name   string
		path   string
		body   any
		status int
		field  string
	}{
		{"malformed", path, `{"title":`, 400, ""},
		{"wrong type", path, `{"title": 7}`, 400, "title"},
		{"list of numbers", path, `{"speaker_ids": [1]}`, 400, ""},
		{"empty object", path, `{}`, 422, "title"},
		{"blank title", path, valid(func(b map[string]any) { b["title"] = "   " }), 422, "title"},
		{"unknown kind", path, valid(func(b map[string]any) { b["kind"] = "party" }), 422, "kind"},
		{"bad instant", path, valid(func(b map[string]any) { b["starts_at"] = "6 Sep 10:00" }), 422, "starts_at"},
		{"year 1", path, valid(func(b map[string]any) { b["starts_at"] = "0001-01-01T00:00:00Z" }), 422, "starts_at"},
		{"ends before starts", path, valid(func(b map[string]any) { b["ends_at"] = zurichAt(6, 9, 0) }), 422, "ends_at"},
		{"zero length", path, valid(func(b map[string]any) { b["ends_at"] = b["starts_at"] }), 422, "ends_at"},
		{"longer than a day", path, valid(func(b map[string]any) { b["ends_at"] = zurichAt(8, 10, 0) }), 422, "ends_at"},
		{"negative capacity", path, valid(func(b map[string]any) { b["capacity"] = -1 }), 422, "capacity"},
		{"bad language", path, valid(func(b map[string]any) { b["languages"] = []string{"English!"} }), 422, "languages"},
		{"CRLF in room", path, valid(func(b map[string]any) { b["room"] = "Hall\r\nBcc: x" }), 422, "room"},
		{"control in title", path, valid(func(b map[string]any) { b["title"] = "a\x00b" }), 422, "title"},
		{"long title", path, valid(func(b map[string]any) { b["title"] = strings.Repeat("x", 301) }), 422, "title"},
		{"speaker not an ID", path, valid(func(b map[string]any) { b["speaker_ids"] = []string{"anna"} }), 422, "speaker_ids"},
		{"unknown speaker", path, valid(func(b map[string]any) { b["speaker_ids"] = []string{models.NewID()} }), 422, "speaker_ids"},
		{"speaker of another conference", path, valid(func(b map[string]any) { b["chair_ids"] = []string{stranger.ID} }), 422, "chair_ids"},
		{"unknown statement", path, valid(func(b map[string]any) { b["statement_ids"] = []string{models.NewID()} }), 422, "statement_ids"},
		{"too many speakers", path, valid(func(b map[string]any) {
			ids := make([]string, 51)
			for i := range ids {
				ids[i] = models.NewID()
			}
			b["speaker_ids"] = ids
		}), 422, "speaker_ids"},
		{"bad strict", path + "?strict=maybe", valid(func(map[string]any) {}), 400, "strict"},
		{"unknown conference", "/api/v1/conferences/nope/sessions", valid(func(map[string]any) {}), 404, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.do("POST", c.path, org, c.body)
			if r.Code != c.status {
				t.Fatalf("got %d, want %d: %s", r.Code, c.status, r.Body)
			}
			if c.field != "" {
				errs, _ := r.json(t)["errors"].(map[string]any)
				if _, ok := errs[c.field]; !ok {
					t.Errorf("got errors %v, want one for %q", errs, c.field)
				}
			}
		})
	}
	for _, p := range []struct{ method, path string }{
		{"PATCH", "/api/v1/sessions/not-an-id"}, {"PATCH", "/api/v1/sessions/" + models.NewID()},
		{"DELETE", "/api/v1/sessions/" + models.NewID()}, {"GET", "/api/v1/sessions/%00"},
		{"PATCH", "/api/v1/rooms/" + models.NewID()}, {"DELETE", "/api/v1/rooms/x"},
	} {
		if r := e.do(p.method, p.path, org, map[string]any{"title": "x"}); r.Code != 404 && r.Code != 400 {
			t.Errorf("%s %s: got %d, want 404: %s", p.method, p.path, r.Code, r.Body)
		}
	}
	if strings.Contains(e.logs.String(), "level=ERROR") {
		t.Errorf("bad input logged an error: %s", e.logs.String())
	}
}

func TestSessionConflictsAndStrict(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		org := e.staffToken("organiser")
		conf := e.conference()
		anna := e.delegate(conf, nil, "Anna", models.DelegateApproved, models.VisibilityPublic)
		lea := e.delegate(conf, nil, "Lea", models.DelegateWaitlist, models.VisibilityPublic)
		kinds := func(s map[string]any) []string {
			var out []string
			for _, c := range s["conflicts"].([]any) {
				out = append(out, c.(map[string]any)["kind"].(string))
			}
			return out
		}

		a := e.addSession(t, org, conf, sessionBody("A", "Hall", 6, 10, anna))
		if len(kinds(a)) != 0 {
			t.Fatalf("first session: got conflicts %v, want none", kinds(a))
		}
		// Touching sessions (one ends when the next starts) do not conflict.
		touch := e.addSession(t, org, conf, sessionBody("Touch", "Hall", 6, 11, anna))
		if len(kinds(touch)) != 0 {
			t.Errorf("touching session: got %v, want none", kinds(touch))
		}
		b := sessionBody("B", "Hall", 6, 10)
		b["starts_at"], b["ends_at"] = zurichAt(6, 10, 30), zurichAt(6, 11, 30)
		e.do("POST", "/api/v1/conferences/"+conf.Slug+"/sessions?strict=true", org, b).want(t, 409)
		if got := kinds(e.addSession(t, org, conf, b)); strings.Join(got, ",") != "room_double_booking,room_double_booking" {
			t.Errorf("room overlap: got %v, want two room_double_booking (with A and Touch)", got)
		}
		c := sessionBody("C", "Annex", 6, 10, anna)
		r := e.do("POST", "/api/v1/conferences/"+conf.Slug+"/sessions?strict=true", org, c).want(t, 409).json(t)
		if _, ok := r["errors"].(map[string]any)["speaker_ids"]; !ok {
			t.Errorf("strict speaker overlap: got %v, want an error for speaker_ids", r)
		}
		d := sessionBody("D", "Annex", 9, 10, lea) // 9 Sep is after the conference (5–8 Sep)
		d["capacity"] = 500
		e.do("PATCH", "/api/v1/rooms/"+e.addSession(t, org, conf, sessionBody("E", "Annex", 7, 15))["room_id"].(string), org, map[string]any{"capacity": 50}).want(t, 200)
		r = e.do("POST", "/api/v1/conferences/"+conf.Slug+"/sessions?strict=true", org, d).want(t, 422).json(t)
		for _, f := range []string{"starts_at", "capacity", "speaker_ids"} {
			if _, ok := r["errors"].(map[string]any)[f]; !ok {
				t.Errorf("strict rules: got %v, want an error for %s", r["errors"], f)
			}
		}
		if got := strings.Join(kinds(e.addSession(t, org, conf, d)), ","); got != "capacity_above_room,outside_conference_dates,speaker_not_approved" {
			t.Errorf("rules: got %v", got)
		}
		// A refused strict request left nothing behind: A, Touch, B, E and D exist.
		all := e.do("GET", "/api/v1/conferences/"+conf.Slug+"/sessions", org, nil).want(t, 200).json(t)["items"].([]any)
		if len(all) != 5 {
			t.Errorf("got %d sessions, want 5", len(all))
		}
		// Moving A away from the others answers without conflicts.
		moved := e.do("PATCH", "/api/v1/sessions/"+a["id"].(string)+"?strict=true", org, map[string]any{"starts_at": zurichAt(7, 9, 0), "ends_at": zurichAt(7, 10, 0)}).want(t, 200).json(t)
		if len(kinds(moved)) != 0 {
			t.Errorf("moved: got %v", kinds(moved))
		}
		list := e.do("GET", "/api/v1/conferences/"+conf.Slug+"/agenda/conflicts", org, nil).want(t, 200).json(t)["items"].([]any)
		var got []string
		for _, c := range list {
			got = append(got, c.(map[string]any)["kind"].(string))
		}
		if strings.Join(got, ",") != "capacity_above_room,outside_conference_dates,room_double_booking,speaker_not_approved" {
			t.Errorf("agenda conflicts: got %v", got)
		}
	})
}
