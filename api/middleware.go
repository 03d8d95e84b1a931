package api

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/internal/metrics"
)

const ctxRequestID = "zw.request_id"

var validRequestID = regexp.MustCompile(`^[A-Za-z0-9-]{8,64}$`)

// withRequestID gives every request an ID (a well-formed incoming X-Request-ID is kept).
func withRequestID(c *gin.Context) {
	id := c.GetHeader("X-Request-ID")
	if !validRequestID.MatchString(id) {
		b := make([]byte, 8)
		rand.Read(b)
		id = hex.EncodeToString(b)
	}
	c.Set(ctxRequestID, id)
	c.Header("X-Request-ID", id)
	c.Next()
}

func requestID(c *gin.Context) string { return c.GetString(ctxRequestID) }

// accessLog writes one line per request: method, route pattern, status, duration and request ID.
// Never the client IP, user agent, query string or concrete path (which may hold tokens).
func (s *Server) accessLog(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = c.GetString(webRouteKey)
	}
	if route == "" {
		route = "(unmatched)"
	}
	took := time.Since(start)
	s.log.Info("request", "method", c.Request.Method, "route", route, "status", c.Writer.Status(),
		"ms", took.Milliseconds(), "request_id", requestID(c))
	metrics.ObserveHTTP(c.Request.Method, route, c.Writer.Status(), took)
}

// recoverPanic turns a panic into a logged 500 problem.
func (s *Server) recoverPanic(c *gin.Context) {
	defer func() {
		if r := recover(); r != nil {
			if err, ok := r.(error); ok && errors.Is(err, http.ErrAbortHandler) {
				panic(r)
			}
			s.log.Error("panic", "request_id", requestID(c), "route", c.FullPath(), "panic", r)
			s.fail(c, errors.New("panic"))
		}
	}()
	c.Next()
}

// maxBody bounds request bodies; decoding reports the overflow as 413.
const maxBody = 1 << 20

func limitBody(c *gin.Context) {
	if c.Request.Body != nil {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxBody)
	}
	c.Next()
}

// securityHeaders sets nosniff, a strict CSP, no referrer and no framing on every answer, and
// no-store on the API (handlers of public, cacheable data override it).
func securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	if strings.HasPrefix(c.Request.URL.Path, "/api/") {
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		h.Set("Cache-Control", "no-store")
	} else {
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	}
	c.Next()
}
