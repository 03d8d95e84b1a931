package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/models"
)

// Role sets used in routes().
var (
	adminOnly  = domain.AdminOnly
	organisers = domain.Organisers
	reviewers  = domain.Reviewers
	staffAll   = domain.StaffAll
)

const ctxPrincipal = "zw.principal"

// bearer returns the token of an "Authorization: Bearer" header.
func bearer(c *gin.Context) string {
	h := c.GetHeader("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// authenticate loads the actor of a bearer token. No token is anonymous; a bad one is a 401.
func (s *Server) authenticate(c *gin.Context) {
	secret := bearer(c)
	if secret == "" {
		c.Next()
		return
	}
	a, err := s.dom.Authenticate(c.Request.Context(), secret, requestID(c), "ip:"+c.ClientIP())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Set(ctxPrincipal, a)
	c.Next()
}

// who returns the signed-in caller, or nil when anonymous.
func who(c *gin.Context) *domain.Actor {
	p, _ := c.Get(ctxPrincipal)
	a, _ := p.(*domain.Actor)
	return a
}

// staff allows only staff principals with one of roles.
func (s *Server) staff(roles ...models.StaffRole) gin.HandlerFunc {
	return func(c *gin.Context) {
		p := who(c)
		switch {
		case p == nil:
			s.fail(c, errUnauthorized)
		case p.Account == nil || !p.IsStaff(roles...):
			s.fail(c, errForbidden)
		case p.MustEnrol:
			s.fail(c, p.RequireStaff(roles...))
		default:
			c.Next()
		}
	}
}

// staffAccount allows any staff account, also a session that must first set up a second factor
// (the enrolment routes).
func (s *Server) staffAccount(c *gin.Context) {
	p := who(c)
	switch {
	case p == nil:
		s.fail(c, errUnauthorized)
	case p.Account == nil:
		s.fail(c, errForbidden)
	default:
		c.Next()
	}
}

// delegate allows only delegates logged in through a one-time link.
func (s *Server) delegate(c *gin.Context) {
	p := who(c)
	switch {
	case p == nil:
		s.fail(c, errUnauthorized)
	case p.Delegate == nil:
		s.fail(c, errForbidden)
	default:
		c.Next()
	}
}

// anyone allows any authenticated principal; handlers check what each may do.
func (s *Server) anyone(c *gin.Context) {
	if who(c) == nil {
		s.fail(c, errUnauthorized)
		return
	}
	c.Next()
}

// isStaffIn reports whether the caller holds one of roles on the conference (roles are per
// conference: staff of another one read as the public).
func isStaffIn(c *gin.Context, conferenceID string, roles ...models.StaffRole) bool {
	return who(c).IsStaffIn(conferenceID, roles...)
}

type loginRequest struct {
	Email    string `json:"email" binding:"required,max=254"`
	Password string `json:"password" binding:"required,max=256"`
	TOTP     string `json:"totp" binding:"max=64"` // a current code or a recovery code, for accounts with a second factor
}

type tokenResponse struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
}

// login exchanges a staff email and password for a bearer token (domain.Service.Login).
func (s *Server) login(c *gin.Context) error {
	var req loginRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	sess, err := s.dom.Login(c.Request.Context(), s.actor(c), req.Email, req.Password, req.TOTP)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, tokenResponse{Token: sess.Token, ExpiresAt: sess.ExpiresAt})
	return nil
}

// logout revokes the caller's token.
func (s *Server) logout(c *gin.Context) error {
	if err := s.dom.Logout(c.Request.Context(), bearer(c)); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}
