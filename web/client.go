package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// apiProblem is the RFC 9457 problem document the API answers errors with.
type apiProblem struct {
	Status int               `json:"status"`
	Title  string            `json:"title"`
	Detail string            `json:"detail"`
	Errors map[string]string `json:"errors"`
}

// apiResult is one answer of the in-process API.
type apiResult struct {
	Status  int
	Header  http.Header
	Body    []byte
	Problem *apiProblem // set for answers of 400 and more
}

// OK reports a 2xx answer.
func (a *apiResult) OK() bool { return a.Status >= 200 && a.Status < 300 }

// Decode decodes the JSON body into v.
func (a *apiResult) Decode(v any) error {
	if err := json.Unmarshal(a.Body, v); err != nil {
		return fmt.Errorf("api answer: %w", err)
	}
	return nil
}

// recorder is the minimal http.ResponseWriter the API writes into.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (w *recorder) Header() http.Header { return w.header }

func (w *recorder) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *recorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.body.Write(b)
}

// errNoAPI is returned when the pages were built without SetAPI.
var errNoAPI = errors.New("web: the API handler is not set")

// api calls the JSON API in process on behalf of the visitor of r: body (if not nil) is sent as
// JSON and the bearer token comes from the session cookie unless token is given. The client's
// address goes along so that the API's rate limits see the real client.
func (p *Pages) api(r *http.Request, method, path string, body any) (*apiResult, error) {
	return p.apiAs(r, method, path, sessionToken(r), body)
}

// apiAs is api with an explicit bearer token ("" for none).
func (p *Pages) apiAs(r *http.Request, method, path, token string, body any) (*apiResult, error) {
	h := p.apiHandler()
	if h == nil {
		return nil, errNoAPI
	}
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("api request: %w", err)
		}
		rd = bytes.NewReader(raw)
	}
	ctx := r.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	req, err := http.NewRequestWithContext(ctx, method, "http://internal"+path, rd)
	if err != nil {
		return nil, fmt.Errorf("api request: %w", err)
	}
	req.RemoteAddr = r.RemoteAddr
	req.Host = r.Host
	for _, k := range []string{"X-Forwarded-For", "X-Real-IP", "X-Request-ID"} {
		if v := r.Header.Get(k); v != "" {
			req.Header.Set(k, v)
		}
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	w := &recorder{header: http.Header{}}
	h.ServeHTTP(w, req)
	if w.status == 0 {
		w.status = http.StatusOK
	}
	res := &apiResult{Status: w.status, Header: w.header, Body: w.body.Bytes()}
	if res.Status >= 400 {
		res.Problem = &apiProblem{Status: res.Status}
		if strings.Contains(w.header.Get("Content-Type"), "json") {
			_ = json.Unmarshal(res.Body, res.Problem)
		}
		res.Problem.Status = res.Status
	}
	return res, nil
}

// get calls GET path and decodes a 2xx answer into out.
func (p *Pages) get(r *http.Request, path string, out any) (*apiResult, error) {
	res, err := p.api(r, http.MethodGet, path, nil)
	if err != nil || !res.OK() || out == nil {
		return res, err
	}
	return res, res.Decode(out)
}
