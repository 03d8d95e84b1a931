package api

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// specRouter finds the operation of a request in api/openapi.yaml.
var specRouter = sync.OnceValues(func() (routers.Router, error) {
	doc, err := openapi3.NewLoader().LoadFromData(openAPISpec)
	if err != nil {
		return nil, err
	}
	for _, ct := range []string{"text/calendar", "text/csv", "application/yaml", "application/xml"} {
		openapi3filter.RegisterBodyDecoder(ct, openapi3filter.FileBodyDecoder)
	}
	return legacy.NewRouter(doc)
})

// checkAgainstSpec validates one real answer of the API with kin-openapi's openapi3filter (status,
// content type, body against the schema with its required fields) and fails the test when
// api/openapi.yaml does not describe it. Every request made through testEnv.do is checked.
func checkAgainstSpec(t testing.TB, req *http.Request, status int, header http.Header, body []byte) {
	if !strings.HasPrefix(req.URL.Path, "/api/") || status == http.StatusNotFound && header.Get("Content-Type") == "" {
		return
	}
	router, err := specRouter()
	if err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	route, params, err := router.FindRoute(req)
	if err != nil {
		return // an unknown route or method: the route tests cover those
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{ExcludeRequestBody: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}},
		Status: status, Header: header, Body: io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		msg := strings.ReplaceAll(err.Error(), "\n", " | ")
		if len(msg) > 600 {
			msg = msg[:600]
		}
		t.Errorf("%s %s answered %d not as api/openapi.yaml says: %s", req.Method, req.URL.Path, status, msg)
	}
}

// TestResponsesMatchOpenAPI drives a representative set of real requests and checks that the
// validation itself works: a body that breaks the spec is caught.
func TestResponsesMatchOpenAPI(t *testing.T) {
	e := sqliteEnv(t)
	c := e.conference()
	e.do("GET", "/api/v1/conferences/"+c.Slug, "", nil).want(t, 200)
	req, _ := http.NewRequest("GET", "/api/v1/conferences/"+c.Slug, nil)
	router, err := specRouter()
	if err != nil {
		t.Fatal(err)
	}
	route, params, err := router.FindRoute(req)
	if err != nil {
		t.Fatal(err)
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(strings.NewReader(`{"slug": 7}`)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true},
	}
	if openapi3filter.ValidateResponse(context.Background(), in) == nil {
		t.Error("a conference without its required fields passes: the validation proves nothing")
	}
}
