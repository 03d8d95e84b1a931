package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/models"
)

// Problem is an RFC 9457 problem details document. Errors maps request fields to messages.
type Problem struct {
	Type      string            `json:"type"`
	Title     string            `json:"title"`
	Status    int               `json:"status"`
	Detail    string            `json:"detail,omitempty"`
	Instance  string            `json:"instance,omitempty"`
	Errors    map[string]string `json:"errors,omitempty"`
	RequestID string            `json:"request_id,omitempty"`
}

// Error returns the detail, or the title.
func (p *Problem) Error() string {
	if p.Detail != "" {
		return p.Detail
	}
	return p.Title
}

// problem builds a Problem with the standard title for status.
func problem(status int, detail string) *Problem {
	return &Problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: detail}
}

// invalid is a 422 with per-field messages.
func invalid(fields map[string]string) *Problem {
	p := problem(http.StatusUnprocessableEntity, "the request has invalid fields")
	p.Errors = fields
	return p
}

// malformed is a 400 with an optional per-field message.
func malformed(detail string, fields map[string]string) *Problem {
	p := problem(http.StatusBadRequest, detail)
	p.Errors = fields
	return p
}

var (
	errUnauthorized = problem(http.StatusUnauthorized, "authentication required")
	errForbidden    = problem(http.StatusForbidden, "you may not do this")
	errNotFound     = problem(http.StatusNotFound, "no such resource")
	errTooMany      = problem(http.StatusTooManyRequests, "too many requests, try again later")
)

// handlerFunc is a Gin handler that returns its error to the one error path.
type handlerFunc func(c *gin.Context) error

// h adapts a handlerFunc to Gin.
func (s *Server) h(fn handlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := fn(c); err != nil {
			s.fail(c, err)
		}
	}
}

// fail maps any error to problem details and writes it. Unexpected errors are logged with the
// request ID and answered as a bare 500.
func (s *Server) fail(c *gin.Context, err error) {
	var p *Problem
	var te *models.TransitionError
	var fe models.FieldErrors
	switch {
	case errors.As(err, &p):
	case errors.As(err, &fe):
		p = invalid(fe)
	case errors.As(err, &te):
		p = problem(http.StatusConflict, te.Error())
	case errors.Is(err, models.ErrNotFound):
		p = errNotFound
	case errors.Is(err, models.ErrConflict):
		p = problem(http.StatusConflict, "this conflicts with an existing record")
	case errors.Is(err, models.ErrBadCursor):
		p = malformed("invalid cursor", map[string]string{"cursor": "is not a cursor from a previous page"})
	case errors.Is(err, context.Canceled):
		c.Abort()
		return
	default:
		s.log.Error("request failed", "request_id", requestID(c), "route", c.FullPath(), "err", err)
		p = problem(http.StatusInternalServerError, "")
	}
	out := *p
	out.Instance = c.Request.URL.Path
	out.RequestID = requestID(c)
	if out.Status == http.StatusTooManyRequests {
		c.Header("Retry-After", "60")
	}
	c.Header("Content-Type", "application/problem+json")
	c.Header("Cache-Control", "no-store")
	c.AbortWithStatusJSON(out.Status, out)
}
