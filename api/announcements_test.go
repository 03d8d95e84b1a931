package api

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/zimmerwald/zimmerwald/models"
	"github.com/zimmerwald/zimmerwald/models/modelstest"
)

// annRecipients returns the delegate IDs an announcement's outbox rows go to, with their language.
func (e *testEnv) annRecipients(conf *models.Conference, annID string) map[string]string {
	e.t.Helper()
	out := map[string]string{}
	for _, m := range e.outbox(conf) {
		did, ok := strings.CutPrefix(m.IdempotencyKey, "delegate:")
		if !ok || !strings.HasSuffix(did, ":announcement:"+annID) {
			continue
		}
		out[strings.TrimSuffix(did, ":announcement:"+annID)] = m.Lang
	}
	return out
}

func TestAnnouncementAudienceFilters(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		conf := e.conference()
		a, b := e.organisation(conf, "Union A", true, 0), e.organisation(conf, "Movement B", false, 0)
		ds := e.annDelegates(conf,
			annDelegate{org: a, langs: []string{"en"}},                                                                   // 0
			annDelegate{org: a, role: models.RoleObserver, attendance: models.AttendRemote, langs: []string{"de"}},       // 1
			annDelegate{org: b, status: models.DelegateSubmitted, role: models.RolePress, langs: []string{"ru", "en"}},   // 2
			annDelegate{org: b, status: models.DelegateWaitlist, attendance: models.AttendRemote, langs: []string{"uk"}}, // 3
			annDelegate{role: models.RoleGuest, attendance: models.AttendRemote, langs: []string{"fr"}},                  // 4: no organisation
			annDelegate{org: a, status: models.DelegateRejected, langs: []string{"en"}},                                  // 5
			annDelegate{org: a, optOut: true},                     // 6: opted out
			annDelegate{org: a, status: models.DelegatePending},   // 7: address not confirmed
			annDelegate{org: a, status: models.DelegateCancelled}, // 8: withdrew
			annDelegate{org: b, langs: []string{"de-CH"}},         // 9: erased below
			annDelegate{org: a, status: models.DelegateApproved, role: models.RoleDelegate, langs: []string{"en"}, optOut: false}, // 10
		)
		if err := e.st.Tx(context.Background(), func(tx *models.Store) error {
			_, err := tx.EraseDelegate(context.Background(), ds[9].ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		// Delegate 10 opts out through the API: PATCH /me is how delegates set their preferences.
		e.do("PATCH", "/api/v1/me", e.delegateToken(ds[10]), map[string]any{"notify_announcements": false}).want(t, 200)
		org := e.staffToken("organiser")
		cases := []struct {
			name     string
			audience map[string]any
			want     []int
		}{
			{"everyone reachable", map[string]any{}, []int{0, 1, 2, 3, 4, 5}},
			{"approved", map[string]any{"statuses": []string{"approved"}}, []int{0, 1, 4}},
			{"approved or waitlisted", map[string]any{"statuses": []string{"approved", "waitlisted"}}, []int{0, 1, 3, 4}},
			{"unconfirmed never", map[string]any{"statuses": []string{"pending_confirmation"}}, nil},
			{"cancelled never", map[string]any{"statuses": []string{"cancelled"}}, nil},
			{"organisation A", map[string]any{"organisation_ids": []string{a.ID}}, []int{0, 1, 5}},
			{"organisation B", map[string]any{"organisation_ids": []string{b.ID}}, []int{2, 3}},
			{"speaks English", map[string]any{"languages": []string{"en"}}, []int{0, 2, 5}},
			{"speaks German", map[string]any{"languages": []string{"de"}}, []int{1}},
			{"observers and press", map[string]any{"roles": []string{"observer", "press"}}, []int{1, 2}},
			{"remote", map[string]any{"attendance": []string{"remote"}}, []int{1, 3, 4}},
			{"in person", map[string]any{"attendance": []string{"in_person"}}, []int{0, 2, 5}},
			{"approved in-person of A", map[string]any{"statuses": []string{"approved"}, "organisation_ids": []string{a.ID}, "attendance": []string{"in_person"}}, []int{0}},
			{"Slavic-speaking delegates", map[string]any{"languages": []string{"ru", "uk"}, "roles": []string{"delegate"}}, []int{3}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				before := len(e.outbox(conf))
				body := map[string]any{"subject": "Practical information", "body": "The plenary starts at nine.", "audience": tc.audience}
				p := e.do("POST", "/api/v1/conferences/"+conf.Slug+"/announcements/preview", org, body).want(t, 200).json(t)
				if got := int(p["recipients"].(float64)); got != len(tc.want) {
					t.Errorf("preview: got %d recipients, want %d", got, len(tc.want))
				}
				body["dry_run"] = true
				p = e.do("POST", "/api/v1/conferences/"+conf.Slug+"/announcements", org, body).want(t, 200).json(t)
				if got := int(p["recipients"].(float64)); got != len(tc.want) {
					t.Errorf("dry run: got %d recipients, want %d", got, len(tc.want))
				}
				if got := len(e.outbox(conf)); got != before {
					t.Fatalf("previews enqueued mail: %d rows, want %d", got, before)
				}
				delete(body, "dry_run")
				sent := e.announce(org, conf, body)
				if got := int(sent["recipients"].(float64)); got != len(tc.want) {
					t.Errorf("send: got %d recipients, want %d", got, len(tc.want))
				}
				got := e.annRecipients(conf, sent["id"].(string))
				want := map[string]string{}
				for _, i := range tc.want {
					want[ds[i].ID] = ds[i].Lang()
				}
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("rows to (delegate → language) %v, want %v", got, want)
				}
			})
		}
		if n := e.auditCount("announcement.send", ""); n != len(cases) {
			t.Errorf("audit: got %d announcement.send events, want %d", n, len(cases))
		}
		list := e.do("GET", "/api/v1/conferences/"+conf.Slug+"/announcements", org, nil).want(t, 200).json(t)
		items := list["items"].([]any)
		if len(items) != len(cases) {
			t.Fatalf("list: got %d announcements, want %d", len(items), len(cases))
		}
		first := items[0].(map[string]any) // newest first: the last case
		if first["subject"] != "Practical information" || first["recipients"].(float64) != 1 ||
			fmt.Sprint(first["audience"].(map[string]any)["roles"]) != "[delegate]" {
			t.Errorf("list: newest is %v", first)
		}
	})
}

func TestAnnouncementDeliveredPersonallyInEachLanguage(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		conf := e.conference()
		ds := e.annDelegates(conf,
			annDelegate{name: "Olga", langs: []string{"ru"}},
			annDelegate{name: "Hanna", langs: []string{"de-CH", "fr"}},
			annDelegate{name: "Marie", langs: []string{"fr"}},
			annDelegate{name: "Taras", langs: []string{"uk"}},
			annDelegate{name: "Pablo", langs: []string{"es"}}, // no Spanish templates: English
			annDelegate{name: "Quiet", langs: []string{"en"}, optOut: true},
		)
		org := e.staffToken("organiser")
		sent := e.announce(org, conf, map[string]any{"subject": "Room change", "body": "Commission 3 meets in room B.\n\nBring your badge."})
		if sent["recipients"].(float64) != 5 {
			t.Fatalf("got %v recipients, want 5", sent["recipients"])
		}
		got := e.deliver()
		if len(got) != 5 {
			t.Fatalf("delivered %d mails, want 5", len(got))
		}
		greeting := map[string]string{"Olga": "Здравствуйте, Olga!", "Hanna": "Hallo Hanna,", "Marie": "Bonjour Marie,", "Taras": "Вітаємо, Taras!", "Pablo": "Hello Pablo,"}
		for _, d := range ds {
			ms := mailsTo(t, got, d.Email)
			if d.DisplayName == "Quiet" {
				if len(ms) != 0 {
					t.Errorf("an opted-out delegate got %d announcements", len(ms))
				}
				continue
			}
			if len(ms) != 1 {
				t.Fatalf("%s: got %d mails, want 1", d.DisplayName, len(ms))
			}
			m := ms[0]
			if m.Subject != "Room change" { // discreet: the conference is not named (mail_names_conference off)
				t.Errorf("%s: subject %q", d.DisplayName, m.Subject)
			}
			if !strings.Contains(m.Text, greeting[d.DisplayName]) || !strings.Contains(m.Text, "Commission 3 meets in room B.") {
				t.Errorf("%s: text lacks %q or the body:\n%s", d.DisplayName, greeting[d.DisplayName], m.Text)
			}
			for _, other := range ds {
				if other.ID != d.ID && (strings.Contains(m.Text, other.Email) || strings.Contains(m.Text, other.DisplayName+",") || strings.Contains(m.To, other.Email)) {
					t.Errorf("%s's mail names %s", d.DisplayName, other.DisplayName)
				}
			}
		}
		if c := e.counts(conf); c[models.OutboxSent] != 5 || c[models.OutboxPending]+c[models.OutboxDead] != 0 {
			t.Errorf("outbox counts %v, want 5 sent", c)
		}
		// The same announcement can never be enqueued twice for a delegate: the key is its own.
		rows := e.outbox(conf)
		keys := map[string]bool{}
		for _, r := range rows {
			if keys[r.IdempotencyKey] {
				t.Errorf("duplicate key %s", r.IdempotencyKey)
			}
			keys[r.IdempotencyKey] = true
			if !strings.HasPrefix(r.IdempotencyKey, "delegate:") || !strings.HasSuffix(r.IdempotencyKey, ":announcement:"+sent["id"].(string)) {
				t.Errorf("key %q is not delegate + announcement", r.IdempotencyKey)
			}
		}
	})
}

func TestAnnouncementPreviewRendersWithoutSending(t *testing.T) {
	e := sqliteEnv(t)
	conf := e.conference()
	e.annDelegates(conf, annDelegate{langs: []string{"de"}}, annDelegate{langs: []string{"de"}}, annDelegate{langs: []string{"ru"}})
	org := e.staffToken("organiser")
	body := map[string]any{"subject": "Visa letters", "body": "Letters go out <b>today</b>."}
	p := e.do("POST", "/api/v1/conferences/"+conf.Slug+"/announcements/preview", org, body).want(t, 200).json(t)
	if fmt.Sprint(p["languages"]) != "map[de:2 ru:1]" {
		t.Errorf("languages: got %v", p["languages"])
	}
	pv := p["preview"].(map[string]any)
	if pv["lang"] != "de" || pv["subject"] != "Visa letters" || !strings.Contains(pv["text"].(string), "Guten Tag,") {
		t.Errorf("preview in the most common language: got %v", pv)
	}
	if strings.Contains(pv["html"].(string), "<b>today</b>") || !strings.Contains(pv["html"].(string), "&lt;b&gt;today&lt;/b&gt;") {
		t.Errorf("html preview does not escape the body: %s", pv["html"])
	}
	body["preview_lang"] = "ru"
	p = e.do("POST", "/api/v1/conferences/"+conf.Slug+"/announcements/preview", org, body).want(t, 200).json(t)
	if pv := p["preview"].(map[string]any); pv["lang"] != "ru" || !strings.Contains(pv["text"].(string), "Здравствуйте!") {
		t.Errorf("preview_lang ru: got %v", pv)
	}
	if n := len(e.outbox(conf)); n != 0 {
		t.Errorf("previews enqueued %d mails", n)
	}
}

func TestAnnouncementRefusesBadInput(t *testing.T) {
	e := sqliteEnv(t)
	conf := e.conference()
	other := e.conference()
	foreign := e.organisation(other, "Elsewhere", true, 0)
	org := e.staffToken("organiser")
	path := "/api/v1/conferences/" + conf.Slug + "/announcements"
	long := strings.Repeat("x", 201)
	cases := []struct {
		name   string
		body   any
		status int
		field  string
	}{
		{"no body", "", 400, ""},
		{"not json", "{", 400, ""},
		{"array", "[]", 400, ""},
		{"subject wrong type", map[string]any{"subject": 5, "body": "b"}, 400, "subject"},
		{"audience wrong type", map[string]any{"subject": "s", "body": "b", "audience": "all"}, 400, "audience"},
		{"no subject", map[string]any{"body": "b"}, 422, "subject"},
		{"blank subject", map[string]any{"subject": "   ", "body": "b"}, 422, "subject"},
		{"no body text", map[string]any{"subject": "s"}, 422, "body"},
		{"subject CRLF", map[string]any{"subject": "Hi\r\nBcc: spy@evil.example", "body": "b"}, 422, "subject"},
		{"subject LF", map[string]any{"subject": "Hi\nBcc: spy@evil.example", "body": "b"}, 422, "subject"},
		{"subject CR", map[string]any{"subject": "Hi\rBcc: spy@evil.example", "body": "b"}, 422, "subject"},
		{"subject NEL", map[string]any{"subject": "Hi\u0085Bcc: spy@evil.example", "body": "b"}, 422, "subject"},
		{"subject line separator", map[string]any{"subject": "Hi\u2028Bcc: spy@evil.example", "body": "b"}, 422, "subject"},
		{"subject NUL", map[string]any{"subject": "Hi\u0000", "body": "b"}, 422, "subject"},
		{"subject too long", map[string]any{"subject": long, "body": "b"}, 422, "subject"},
		{"body too long", map[string]any{"subject": "s", "body": strings.Repeat("y", 20001)}, 422, "body"},
		{"body control character", map[string]any{"subject": "s", "body": "a\u0007b"}, 422, "body"},
		{"unknown status", map[string]any{"subject": "s", "body": "b", "audience": map[string]any{"statuses": []string{"vip"}}}, 422, "audience.statuses[0]"},
		{"unknown role", map[string]any{"subject": "s", "body": "b", "audience": map[string]any{"roles": []string{"admin"}}}, 422, "audience.roles[0]"},
		{"unknown attendance", map[string]any{"subject": "s", "body": "b", "audience": map[string]any{"attendance": []string{"moon"}}}, 422, "audience.attendance[0]"},
		{"bad language", map[string]any{"subject": "s", "body": "b", "audience": map[string]any{"languages": []string{"English!"}}}, 422, "audience.languages"},
		{"organisation not an ID", map[string]any{"subject": "s", "body": "b", "audience": map[string]any{"organisation_ids": []string{"1 OR 1=1"}}}, 422, "audience.organisation_ids[0]"},
		{"organisation of another conference", map[string]any{"subject": "s", "body": "b", "audience": map[string]any{"organisation_ids": []string{foreign.ID}}}, 422, "audience.organisation_ids"},
		{"bad preview language", map[string]any{"subject": "s", "body": "b", "dry_run": true, "preview_lang": "<script>"}, 422, "preview_lang"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, p := range []string{path, path + "/preview"} {
				r := e.do("POST", p, org, tc.body)
				if r.Code != tc.status {
					t.Fatalf("%s: got %d, want %d: %s", p, r.Code, tc.status, r.Body)
				}
				if tc.field != "" {
					errs, _ := r.json(t)["errors"].(map[string]any)
					if _, ok := errs[tc.field]; !ok {
						t.Errorf("%s: errors %v, want one for %s", p, errs, tc.field)
					}
				}
			}
		})
	}
	if n := len(e.outbox(conf)); n != 0 {
		t.Errorf("refused requests enqueued %d mails", n)
	}
	e.do("POST", "/api/v1/conferences/no-such-conference/announcements", org, map[string]any{"subject": "s", "body": "b"}).want(t, 404)
}

// TestAnnouncementTenThousandRecipients enqueues one announcement to 10,000 delegates through the
// API and logs how long it took (the bench measures it properly; nothing here is timed).
func TestAnnouncementTenThousandRecipients(t *testing.T) {
	if testing.Short() {
		modelstest.Require(t, "a run without -short (10,000 delegates)")
	}
	eachDB(t, func(t *testing.T, e *testEnv) {
		const n = 10000
		conf := e.conference()
		org := e.organisation(conf, "Big Union", true, 0)
		e.annDelegates(conf, many(n, annDelegate{org: org, langs: []string{"uk", "en"}})...)
		e.annDelegates(conf, many(10, annDelegate{org: org, optOut: true})...)
		token := e.staffToken("organiser")
		start := time.Now()
		sent := e.announce(token, conf, map[string]any{"subject": "Welcome", "body": strings.Repeat("Practical details. ", 100),
			"audience": map[string]any{"organisation_ids": []string{org.ID}}})
		t.Logf("%s: announcement to %v recipients answered in %v", e.st.Dialect(), sent["recipients"], time.Since(start))
		if sent["recipients"].(float64) != n {
			t.Fatalf("got %v recipients, want %d", sent["recipients"], n)
		}
		if c := e.counts(conf); c[models.OutboxPending] != n {
			t.Errorf("outbox counts %v, want %d pending", c, n)
		}
		for _, l := range strings.Split(e.logs.String(), "\n") {
			if strings.Contains(l, "announcement enqueued") {
				t.Log(l)
			}
		}
		if !strings.Contains(e.logs.String(), "announcement enqueued") || !strings.Contains(e.logs.String(), "recipients=10000") {
			t.Errorf("no log line with the enqueue timing:\n%s", e.logs.String())
		}
		if strings.Contains(e.logs.String(), "@delegates.test") {
			t.Error("the log names a recipient")
		}
		// The announcement's text is stored once, not once per row: rows are small.
		rows, err := e.st.ListOutbox(context.Background(), models.OutboxFilter{ConferenceID: conf.ID, Page: models.Page{Limit: 1}})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(rows[0].Data), "Practical details") || len(rows[0].DataSealed) > 400 {
			t.Errorf("row data holds the body (%d bytes sealed)", len(rows[0].DataSealed))
		}
	})
}

// TestMailRoutesRoleMatrix checks every role × route × method of the mail routes.
func TestMailRoutesRoleMatrix(t *testing.T) {
	e := sqliteEnv(t)
	conf := e.conference()
	d := e.annDelegates(conf, annDelegate{})[0]
	tokens := map[string]string{
		"anonymous": "",
		"delegate":  e.delegateToken(d),
		"reviewer":  e.staffToken("reviewer"),
		"organiser": e.staffToken("organiser"),
		"admin":     e.staffToken("admin"),
	}
	base := "/api/v1/conferences/" + conf.Slug
	ann := map[string]any{"subject": "s", "body": "b", "audience": map[string]any{"statuses": []string{"waitlisted"}}}
	routes := []struct {
		method, path string
		body         any
		staffStatus  int // the answer for organisers and admins
	}{
		{"GET", base + "/announcements", nil, 200},
		{"POST", base + "/announcements", ann, 202},
		{"POST", base + "/announcements/preview", ann, 200},
		{"GET", base + "/outbox", nil, 200},
		{"POST", base + "/outbox/" + models.NewID() + "/retry", map[string]any{}, 404},
	}
	want := map[string]func(staff int) int{
		"anonymous": func(int) int { return 401 },
		"delegate":  func(int) int { return 403 },
		"reviewer":  func(int) int { return 403 },
		"organiser": func(s int) int { return s },
		"admin":     func(s int) int { return s },
	}
	for _, r := range routes {
		for role, token := range tokens {
			t.Run(r.method+" "+strings.TrimPrefix(r.path, base)+" as "+role, func(t *testing.T) {
				got := e.do(r.method, r.path, token, r.body)
				if w := want[role](r.staffStatus); got.Code != w {
					t.Errorf("got %d, want %d: %s", got.Code, w, got.Body)
				}
			})
		}
		for _, m := range []string{"PUT", "DELETE", "PATCH"} {
			if got := e.do(m, r.path, tokens["admin"], map[string]any{}); got.Code != 405 {
				t.Errorf("%s %s: got %d, want 405", m, r.path, got.Code)
			}
		}
	}
	// A conference that does not exist is a 404 for staff, before anything else.
	for _, r := range routes {
		path := strings.Replace(r.path, conf.Slug, "no-such-conf", 1)
		if got := e.do(r.method, path, tokens["organiser"], r.body); got.Code != 404 {
			t.Errorf("%s %s: got %d, want 404", r.method, path, got.Code)
		}
	}
	if got := e.do("GET", base+"/outbox", "not-a-token", nil).Code; got != 401 {
		t.Errorf("a bad token: got %d, want 401", got)
	}
}

// TestAnnouncementMailFollowsTheDelegate checks that announcement mail is the delegate's own: it
// shows in their export, and erasing the registration deletes what is still queued for them.
func TestAnnouncementMailFollowsTheDelegate(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		conf := e.conference()
		ds := e.annDelegates(conf, annDelegate{}, annDelegate{})
		e.announce(e.staffToken("organiser"), conf, map[string]any{})
		x := e.do("GET", "/api/v1/me/export", e.delegateToken(ds[0]), nil).want(t, 200).json(t)
		mails, _ := x["mail"].([]any)
		if len(mails) != 1 || mails[0].(map[string]any)["template"] != "announcement" {
			t.Errorf("export mail records: %v, want the announcement", x["mail"])
		}
		e.do("DELETE", "/api/v1/me", e.delegateToken(ds[1]), nil).want(t, 204)
		got := e.deliver()
		if len(got) != 1 || len(mailsTo(t, got, ds[0].Email)) != 1 {
			t.Fatalf("delivered %d mails, want only the one to the delegate who stayed", len(got))
		}
	})
}
