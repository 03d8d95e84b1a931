package api

import (
	"strings"
	"testing"
)

func TestLoginCreatesConferenceAndOrganisation(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		admin := e.staffToken("admin")
		conf := map[string]any{"slug": "zw-2027", "title": "Zimmerwald 2027", "acronym": "ZW27", "timezone": "Europe/Zurich",
			"starts_on": "2027-09-05", "ends_on": "2027-09-08", "languages": []string{"en", "ru"}, "venue": "Zimmerwald"}
		r := e.do("POST", "/api/v1/conferences", admin, conf).want(t, 201)
		if id, _ := r.json(t)["id"].(string); len(id) != 36 {
			t.Fatalf("got id %q, want a UUID", id)
		}
		e.do("POST", "/api/v1/conferences", admin, conf).want(t, 409)
		org := map[string]any{"name": "Swiss Workers' Union", "country": "CH", "kind": "union", "listed": true, "delegate_quota": 4}
		o := e.do("POST", "/api/v1/conferences/zw-2027/organisations", admin, org).want(t, 201).json(t)
		if o["status"] != "verified" {
			t.Errorf("got status %v, want verified", o["status"])
		}
		e.do("POST", "/api/v1/conferences/zw-2027/organisations", admin, map[string]any{"name": "Hidden", "kind": "movement", "listed": false}).want(t, 201)
		pub := e.do("GET", "/api/v1/conferences/zw-2027/organisations", "", nil).want(t, 200)
		if !strings.Contains(string(pub.Body), "Swiss Workers") || strings.Contains(string(pub.Body), "Hidden") {
			t.Errorf("public organisations: got %s, want only the listed one", pub.Body)
		}
		got := e.do("GET", "/api/v1/conferences/zw-2027", "", nil).want(t, 200).json(t)
		if got["title"] != "Zimmerwald 2027" || got["starts_on"] != "2027-09-05" {
			t.Errorf("got %v", got)
		}
	})
}

func TestProblemDetails(t *testing.T) {
	e := sqliteEnv(t)
	admin := e.staffToken("admin")
	cases := []struct {
		name, method, path, token string
		body                      any
		status                    int
		field                     string
	}{
		{"malformed JSON", "POST", "/api/v1/conferences", admin, `{"slug":`, 400, ""},
		{"wrong type", "POST", "/api/v1/conferences", admin, `{"slug": 5}`, 400, "slug"},
		{"invalid UTF-8", "POST", "/api/v1/conferences", admin, []byte{'{', '"', 0xff, '"', ':', '1', '}'}, 400, ""},
		{"missing fields", "POST", "/api/v1/conferences", admin, `{}`, 422, "title"},
		{"bad timezone", "POST", "/api/v1/conferences", admin, `{"slug":"ok-slug","title":"t","timezone":"Mars/Base","starts_on":"2027-01-01","ends_on":"2027-01-02"}`, 422, "timezone"},
		{"ends before starts", "POST", "/api/v1/conferences", admin, `{"slug":"ok-slug","title":"t","timezone":"UTC","starts_on":"2027-01-03","ends_on":"2027-01-02"}`, 422, "ends_on"},
		{"CRLF in title", "POST", "/api/v1/conferences", admin, `{"slug":"ok-slug","title":"a\r\nBcc: x","timezone":"UTC","starts_on":"2027-01-01","ends_on":"2027-01-02"}`, 422, "title"},
		{"line separator in title", "POST", "/api/v1/conferences", admin, `{"slug":"ok-slug","title":"a\u2028b","timezone":"UTC","starts_on":"2027-01-01","ends_on":"2027-01-02"}`, 422, "title"},
		{"NEL in acronym", "POST", "/api/v1/conferences", admin, `{"slug":"ok-slug","title":"t","acronym":"a\u0085b","timezone":"UTC","starts_on":"2027-01-01","ends_on":"2027-01-02"}`, 422, "acronym"},
		{"no token", "POST", "/api/v1/conferences", "", `{}`, 401, ""},
		{"bad token", "GET", "/api/v1/conferences", "nope", nil, 401, ""},
		{"unknown conference", "GET", "/api/v1/conferences/nope", "", nil, 404, ""},
		{"unknown route", "GET", "/api/v1/nothing", "", nil, 404, ""},
		{"wrong method", "PUT", "/api/v1/conferences", "", nil, 405, ""},
		{"huge body", "POST", "/api/v1/conferences", admin, `{"title":"` + strings.Repeat("x", 2<<20) + `"}`, 413, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.do(c.method, c.path, c.token, c.body)
			if r.Code != c.status {
				t.Fatalf("got %d, want %d: %s", r.Code, c.status, r.Body)
			}
			if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("got content type %q, want application/problem+json", ct)
			}
			p := r.json(t)
			if int(p["status"].(float64)) != c.status || p["title"] == "" || p["request_id"] == "" {
				t.Errorf("got problem %v", p)
			}
			if c.field != "" {
				errs, _ := p["errors"].(map[string]any)
				if _, ok := errs[c.field]; !ok {
					t.Errorf("got errors %v, want a message for %q", errs, c.field)
				}
			}
		})
	}
}

func TestStaffRolesOnFoundationRoutes(t *testing.T) {
	e := sqliteEnv(t)
	c := e.conference()
	tokens := map[string]string{"anonymous": "", "admin": e.staffToken("admin"), "organiser": e.staffToken("organiser"), "reviewer": e.staffToken("reviewer")}
	d := e.delegate(c, nil, "D", "approved", "public")
	tokens["delegate"] = e.delegateToken(d)
	org := `{"name":"Org %s","kind":"union"}`
	matrix := []struct {
		method, path, body string
		want               map[string]int
	}{
		{"POST", "/api/v1/conferences", `{"slug":"s-%s","title":"t","timezone":"UTC","starts_on":"2027-01-01","ends_on":"2027-01-02"}`,
			map[string]int{"anonymous": 401, "admin": 201, "organiser": 403, "reviewer": 403, "delegate": 403}},
		{"PATCH", "/api/v1/conferences/" + c.Slug, `{"venue":"%s"}`,
			map[string]int{"anonymous": 401, "admin": 200, "organiser": 200, "reviewer": 403, "delegate": 403}},
		{"POST", "/api/v1/conferences/" + c.Slug + "/organisations", org,
			map[string]int{"anonymous": 401, "admin": 201, "organiser": 201, "reviewer": 403, "delegate": 403}},
		{"GET", "/api/v1/accounts", "", map[string]int{"anonymous": 401, "admin": 200, "organiser": 403, "reviewer": 403, "delegate": 403}},
		{"GET", "/api/v1/audit", "", map[string]int{"anonymous": 401, "admin": 200, "organiser": 403, "reviewer": 403, "delegate": 403}},
		{"GET", "/api/v1/conferences/" + c.Slug, "", map[string]int{"anonymous": 200, "admin": 200, "organiser": 200, "reviewer": 200, "delegate": 200}},
	}
	for _, m := range matrix {
		for role, want := range m.want {
			var body any
			if m.body != "" {
				body = strings.ReplaceAll(m.body, "%s", role)
			}
			if got := e.do(m.method, m.path, tokens[role], body).Code; got != want {
				t.Errorf("%s %s as %s: got %d, want %d", m.method, m.path, role, got, want)
			}
		}
	}
}

func TestLogsHoldNoPersonalData(t *testing.T) {
	e := sqliteEnv(t)
	a := e.account("admin")
	e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": a.Email, "password": "wrong password here"}).want(t, 401)
	e.do("GET", "/api/v1/conferences?q=secret-query", "", nil).want(t, 200)
	logs := e.logs.String()
	for _, leak := range []string{a.Email, "192.0.2.10", "secret-query", "wrong password"} {
		if strings.Contains(logs, leak) {
			t.Errorf("logs contain %q: %s", leak, logs)
		}
	}
	if !strings.Contains(logs, "route=/api/v1/auth/login") {
		t.Errorf("logs lack the request line: %s", logs)
	}
}
