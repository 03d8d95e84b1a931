package api

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/models"
)

// Problem is an RFC 9457 problem details document. Code is stable and machine-readable; Errors
// maps request fields to English messages and ErrorCodes the same fields to stable codes.
type Problem struct {
	Type       string            `json:"type"`
	Title      string            `json:"title"`
	Status     int               `json:"status"`
	Code       models.Code       `json:"code"`
	Detail     string            `json:"detail,omitempty"`
	Instance   string            `json:"instance,omitempty"`
	Errors     map[string]string `json:"errors,omitempty"`
	ErrorCodes map[string]string `json:"error_codes,omitempty"`
	RequestID  string            `json:"request_id,omitempty"`
}

// Error returns the detail, or the title.
func (p *Problem) Error() string {
	if p.Detail != "" {
		return p.Detail
	}
	return p.Title
}

// codeOf is the code of a problem built from a bare status.
var codeOf = map[int]models.Code{
	http.StatusBadRequest:          models.CodeMalformed,
	http.StatusUnauthorized:        models.CodeUnauthorized,
	http.StatusForbidden:           models.CodeForbidden,
	http.StatusNotFound:            models.CodeNotFound,
	http.StatusMethodNotAllowed:    models.CodeMethodNotAllowed,
	http.StatusConflict:            models.CodeConflict,
	http.StatusUnprocessableEntity: models.CodeValidation,
	http.StatusTooManyRequests:     models.CodeRateLimited,
	http.StatusInternalServerError: models.CodeInternal,
	http.StatusNotImplemented:      models.CodeNotImplemented,
	http.StatusServiceUnavailable:  models.CodeUnavailable,
}

// problem builds a Problem with the standard title and code for status.
func problem(status int, detail string) *Problem {
	return &Problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Code: codeOf[status], Detail: detail}
}

// problemOf renders a domain error as a Problem.
func problemOf(e *models.Error) *Problem {
	p := problem(e.Kind.Status(), e.Detail)
	p.Code = e.Code
	if len(e.Fields) > 0 {
		p.Errors, p.ErrorCodes = map[string]string{}, map[string]string{}
		for k, f := range e.Fields {
			p.Errors[k], p.ErrorCodes[k] = f.Message, string(f.Code)
		}
	}
	return p
}

// invalid is a 422 with per-field problems.
func invalid(fields models.FieldErrors) *Problem { return problemOf(models.Invalid(fields)) }

// malformed is a 400 with optional per-field problems.
func malformed(detail string, fields models.FieldErrors) *Problem {
	return problemOf(models.Malformed(detail, fields))
}

var (
	errUnauthorized = problem(http.StatusUnauthorized, "authentication required")
	errForbidden    = problem(http.StatusForbidden, "you may not do this")
	errNotFound     = problem(http.StatusNotFound, "no such resource")
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

// fail maps any error to problem details and writes it. Domain errors keep their code;
// unexpected errors are logged with the request ID and answered as a bare 500.
func (s *Server) fail(c *gin.Context, err error) {
	var p *Problem
	if errors.Is(err, context.Canceled) {
		c.Abort()
		return
	}
	if !errors.As(err, &p) {
		if e, ok := models.Classify(err); ok {
			p = problemOf(e)
			if e.Kind == models.KindUnavailable {
				s.log.Warn("temporary storage fault", "request_id", requestID(c), "route", c.FullPath(), "err", err)
			}
		} else {
			s.log.Error("request failed", "request_id", requestID(c), "route", c.FullPath(), "err", err)
			p = problem(http.StatusInternalServerError, "")
		}
	}
	out := *p
	out.Instance = c.Request.URL.Path
	out.RequestID = requestID(c)
	if out.Status == http.StatusTooManyRequests {
		c.Header("Retry-After", "60")
	}
	if out.Status == http.StatusServiceUnavailable {
		c.Header("Retry-After", strconv.Itoa(models.RetryAfterSeconds))
	}
	c.Header("Content-Type", "application/problem+json")
	c.Header("Cache-Control", "no-store")
	c.AbortWithStatusJSON(out.Status, out)
}
