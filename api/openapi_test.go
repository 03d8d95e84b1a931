package api

import (
	"context"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestOpenAPIMatchesRoutes fails when a Gin route is missing from api/openapi.yaml or the spec
// names a route that does not exist, and when the spec is not valid OpenAPI 3.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(openAPISpec)
	if err != nil {
		t.Fatalf("parse openapi.yaml: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.yaml is not valid: %v", err)
	}
	param := regexp.MustCompile(`:([A-Za-z_]+)`)
	routes := map[string]bool{}
	e := sqliteEnv(t)
	for _, r := range e.srv.engine.Routes() {
		routes[r.Method+" "+param.ReplaceAllString(r.Path, "{$1}")] = true
	}
	spec := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			spec[strings.ToUpper(method)+" "+path] = true
		}
	}
	var missing, extra []string
	for r := range routes {
		if !spec[r] {
			missing = append(missing, r)
		}
	}
	for s := range spec {
		if !routes[s] {
			extra = append(extra, s)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 {
		t.Errorf("routes missing from openapi.yaml:\n  %s", strings.Join(missing, "\n  "))
	}
	if len(extra) > 0 {
		t.Errorf("openapi.yaml names routes that do not exist:\n  %s", strings.Join(extra, "\n  "))
	}
}

func TestOpenAPIServed(t *testing.T) {
	e := sqliteEnv(t)
	r := e.do("GET", "/api/openapi.yaml", "", nil).want(t, 200)
	if !strings.HasPrefix(string(r.Body), "openapi: 3") {
		t.Errorf("got %.40q, want the spec", r.Body)
	}
}

// TestOpenAPIOperationIDs: every operation has an operationId, unique in the document, and it is
// the name of the handler that serves the route (so generated clients read like the code).
func TestOpenAPIOperationIDs(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(openAPISpec)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			where := method + " " + path
			if op.OperationID == "" {
				t.Errorf("%s has no operationId", where)
				continue
			}
			if other, dup := seen[op.OperationID]; dup {
				t.Errorf("operationId %s used by %s and %s", op.OperationID, other, where)
			}
			seen[op.OperationID] = where
		}
	}
	e := sqliteEnv(t)
	for _, r := range e.srv.engine.Routes() {
		if r.Method == "HEAD" {
			continue
		}
		if _, ok := seen[routesGoHandler(t, r.Method, r.Path)]; !ok {
			t.Errorf("%s %s: its handler %s is no operationId", r.Method, r.Path, routesGoHandler(t, r.Method, r.Path))
		}
	}
}

// routesGoHandler reads the handler's name of a route from api/routes.go (the Gin route only
// knows a closure).
func routesGoHandler(t *testing.T, method, path string) string {
	t.Helper()
	src, err := os.ReadFile("routes.go")
	if err != nil {
		t.Fatal(err)
	}
	rel := strings.TrimPrefix(path, "/api/v1")
	re := regexp.MustCompile(`\.` + method + `\("` + regexp.QuoteMeta(rel) + `".*s\.h\(s\.([A-Za-z0-9_]+)(?:\(domain\.([A-Za-z0-9_]+)\))?\)\)`)
	m := re.FindSubmatch(src)
	if m == nil {
		return "(not found in routes.go)"
	}
	if len(m[2]) > 0 { // s.chair(domain.ChairNext): one handler per chair action, named chairNext
		return strings.ToLower(string(m[2][:1])) + string(m[2][1:])
	}
	return string(m[1])
}
