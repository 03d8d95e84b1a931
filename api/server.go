package api

import (
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/internal/config"
	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/internal/metrics"
	"github.com/zimmerwald/zimmerwald/models"
)

// Options are the Server's dependencies, built by cmd/zimmerwald.
type Options struct {
	// Domain runs every operation and every read that depends on who asks.
	Domain *domain.Service
	Store  *models.Store
	Config config.Config
	Logger *slog.Logger
	// NotifyMail wakes the outbox worker after a commit that enqueued mail (may be nil).
	NotifyMail func()
	// Web serves every path outside /api, /healthz and /readyz (may be nil).
	Web http.Handler
	// ReadFreshness is how long the latest agenda release of a conference, once read, is served
	// from memory without asking the database again (zero: every request asks). Changes made
	// through this process are seen at once; those of other processes within this time. Public
	// agenda answers carry max-age=60 anyway. (Conferences are kept by the domain Service.)
	ReadFreshness time.Duration
}

// Server holds what the handlers need. Handlers are its methods; there are no package globals.
type Server struct {
	dom     *domain.Service
	store   *models.Store
	cfg     config.Config
	log     *slog.Logger
	notify  func()
	web     http.Handler
	engine  *gin.Engine
	handler http.Handler // engine, answering HEAD for every GET route

	releases *releaseCache // the latest agenda release of each conference, rendered once

	heartbeat time.Duration // the live stream's heartbeat; zero: every 15 s (tests shorten it)
}

// NewServer builds the router with every route and middleware.
func NewServer(o Options) *Server {
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.NotifyMail == nil {
		o.NotifyMail = func() {}
	}
	validatorEngine()
	s := &Server{
		dom: o.Domain, store: o.Store, cfg: o.Config, log: o.Logger, notify: o.NotifyMail, web: o.Web,
		releases: newReleaseCache(),
	}
	if s.dom == nil {
		s.dom = domain.New(domain.Options{Store: o.Store, Config: o.Config, NotifyMail: o.NotifyMail, ReadFreshness: o.ReadFreshness})
	}
	s.dom.Broadcaster().SetRender(s.renderLive)
	gin.SetMode(gin.ReleaseMode)
	e := gin.New() // no default logger: Gin's prints client IPs (SECURITY T6)
	e.HandleMethodNotAllowed = true
	e.ContextWithFallback = true
	if err := e.SetTrustedProxies(o.Config.TrustedProxies); err != nil {
		s.log.Warn("invalid trusted proxies, trusting none", "err", err)
		e.SetTrustedProxies(nil)
	}
	e.Use(withRequestID, s.accessLog, s.recoverPanic, securityHeaders, limitBody)
	e.NoRoute(s.noRoute)
	e.NoMethod(s.h(func(c *gin.Context) error { return problem(http.StatusMethodNotAllowed, "method not allowed here") }))
	s.engine = e
	s.handler = answerHEAD(e)
	if o.Store != nil {
		metrics.SetOutboxSource(outboxByState(o.Store))
	}
	s.routes()
	return s
}

// Handler returns the HTTP handler of the whole product.
func (s *Server) Handler() http.Handler { return s.handler }

// webRouteKey holds, in the Gin context, the pattern of the page a web request went to.
const webRouteKey = "zw.web_route"

// noRoute hands non-API paths to the web front and answers 404 problems for the rest.
func (s *Server) noRoute(c *gin.Context) {
	p := c.Request.URL.Path
	if s.web != nil && !isAPIPath(p) {
		if rt, ok := s.web.(interface{ Route(*http.Request) string }); ok {
			c.Set(webRouteKey, rt.Route(c.Request))
		}
		ctx := domain.WithRequest(c.Request.Context(), requestID(c), "ip:"+c.ClientIP())
		s.web.ServeHTTP(c.Writer, c.Request.WithContext(ctx))
		return
	}
	s.fail(c, errNotFound)
}

func isAPIPath(p string) bool {
	return p == "/api" || len(p) >= 5 && p[:5] == "/api/"
}

// link returns an absolute URL of the product for a path.
func (s *Server) link(path string) string { return s.cfg.BaseURL + path }

// actor is the caller as the domain layer sees it: signed in or anonymous, with the request ID
// for audit events and the client address as rate-limit key.
func (s *Server) actor(c *gin.Context) *domain.Actor {
	if a := who(c); a != nil {
		return a
	}
	return domain.Anonymous(requestID(c), "ip:"+c.ClientIP())
}
