package api

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
)

// FuzzBindJSON feeds arbitrary bodies to the request decoder of the public and staff request
// types: it must never panic, and every refusal must be a 400, 413 or 422 problem.
func FuzzBindJSON(f *testing.F) {
	for _, seed := range []string{
		`{"email":"a@b.org","display_name":"A","consent":true,"languages":["en"]}`,
		`{"new_organisation":{"name":"X","country":"UA","kind":"movement"}}`,
		`{"title":"t","starts_at":"2027-09-05T10:00:00Z","speaker_ids":["x"]}`,
		`{"slug":5}`, `[]`, `null`, `{"a":` + "\xff" + `}`, `{"languages":[1,2]}`, `{"consent":"yes"}`,
	} {
		f.Add([]byte(seed))
	}
	gin.SetMode(gin.ReleaseMode)
	f.Fuzz(func(t *testing.T, body []byte) {
		targets := []any{&registrationRequest{}, &conferenceRequest{}, &sessionRequest{}, &organisationRequest{}, &meRequest{}, &loginRequest{}}
		for _, dst := range targets {
			w := httptest.NewRecorder()
			c, _ := gin.CreateTestContext(w)
			c.Request = httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
			c.Request.Body = http.MaxBytesReader(w, c.Request.Body, maxBody)
			err := bindJSON(c, dst)
			if err == nil {
				continue
			}
			var p *Problem
			if !errors.As(err, &p) {
				t.Fatalf("%T: got a non-problem error %v", dst, err)
			}
			if p.Status != 400 && p.Status != 413 && p.Status != 422 {
				t.Fatalf("%T: got status %d for %q", dst, p.Status, body)
			}
		}
	})
}
