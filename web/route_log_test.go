package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestPagesLoggedByRoute: the access log names a page by its route pattern, never by its path
// (which may hold a slug or a token) and not as "(unmatched)".
func TestPagesLoggedByRoute(t *testing.T) {
	e := sqliteEnv(t)
	c := e.conference()
	r, err := http.Get(e.URL + "/c/" + c.Slug)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != 200 {
		t.Fatalf("conference page: %d", r.StatusCode)
	}
	logs := e.logs.String()
	var line string
	for _, l := range strings.Split(logs, "\n") {
		if strings.Contains(l, "msg=request") && strings.Contains(l, "status=200") {
			line = l
		}
	}
	if !strings.Contains(line, `route="GET /c/{slug}"`) {
		t.Errorf("access log line %q does not name the route GET /c/{slug}\n%s", line, logs)
	}
	if strings.Contains(line, c.Slug) || strings.Contains(line, "(unmatched)") {
		t.Errorf("access log line names the path or no route: %q", line)
	}
}
