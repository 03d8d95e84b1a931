package api

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/internal/password"
	"github.com/zimmerwald/zimmerwald/models"
)

// Role sets used in routes().
var (
	adminOnly  = []models.StaffRole{models.StaffAdmin}
	organisers = []models.StaffRole{models.StaffAdmin, models.StaffOrganiser}
	reviewers  = []models.StaffRole{models.StaffAdmin, models.StaffOrganiser, models.StaffReviewer}
	staffAll   = reviewers
)

// RoleDelegate is the role of a principal logged in through a one-time link.
const RoleDelegate = "delegate"

// principal is who is calling: a staff account or a delegate.
type principal struct {
	Role     string // admin, organiser, reviewer or delegate
	Account  *models.Account
	Delegate *models.Delegate
	Token    *models.AuthToken
}

// ID is the account or delegate ID, for audit events.
func (p *principal) ID() string {
	if p.Account != nil {
		return p.Account.ID
	}
	return p.Delegate.ID
}

// Kind is "account" or "delegate", for audit events.
func (p *principal) Kind() string {
	if p.Account != nil {
		return "account"
	}
	return "delegate"
}

const ctxPrincipal = "zw.principal"

// bearer returns the token of an "Authorization: Bearer" header.
func bearer(c *gin.Context) string {
	h := c.GetHeader("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// authenticate loads the principal of a bearer token. No token is anonymous; a bad one is a 401.
func (s *Server) authenticate(c *gin.Context) {
	secret := bearer(c)
	if secret == "" {
		c.Next()
		return
	}
	p, err := s.principalFor(c, secret)
	if err != nil {
		if errors.Is(err, models.ErrNotFound) {
			s.fail(c, problem(http.StatusUnauthorized, "the token is invalid or expired"))
		} else {
			s.fail(c, err)
		}
		return
	}
	c.Set(ctxPrincipal, p)
	c.Next()
}

func (s *Server) principalFor(c *gin.Context, secret string) (*principal, error) {
	ctx := c.Request.Context()
	t, err := s.store.ValidToken(ctx, secret, s.cfg.SessionIdleTimeout, models.TokenStaffSession, models.TokenAPI, models.TokenDelegateSession)
	if err != nil {
		return nil, err
	}
	switch {
	case t.AccountID != nil:
		a, err := s.store.Account(ctx, *t.AccountID)
		if err != nil {
			return nil, err
		}
		if a.DisabledAt != nil {
			return nil, models.ErrNotFound
		}
		return &principal{Role: string(a.Role), Account: a, Token: t}, nil
	case t.DelegateID != nil:
		d, err := s.store.Delegate(ctx, *t.DelegateID)
		if err != nil {
			return nil, err
		}
		if d.ErasedAt != nil {
			return nil, models.ErrNotFound
		}
		return &principal{Role: RoleDelegate, Delegate: d, Token: t}, nil
	}
	return nil, models.ErrNotFound
}

// who returns the caller, or nil when anonymous.
func who(c *gin.Context) *principal {
	p, _ := c.Get(ctxPrincipal)
	pr, _ := p.(*principal)
	return pr
}

// staff allows only staff principals with one of roles.
func (s *Server) staff(roles ...models.StaffRole) gin.HandlerFunc {
	return func(c *gin.Context) {
		p := who(c)
		switch {
		case p == nil:
			s.fail(c, errUnauthorized)
		case p.Account == nil || !slices.Contains(roles, models.StaffRole(p.Role)):
			s.fail(c, errForbidden)
		default:
			c.Next()
		}
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

// isStaff reports whether the caller is a staff member with one of roles.
func isStaff(c *gin.Context, roles ...models.StaffRole) bool {
	p := who(c)
	return p != nil && p.Account != nil && slices.Contains(roles, models.StaffRole(p.Role))
}

// audit records a staff or delegate action without the data itself.
func (s *Server) audit(c *gin.Context, st *models.Store, conferenceID, action, targetKind, targetID string) error {
	e := &models.AuditEvent{ActorKind: "system", Action: action, TargetKind: targetKind, TargetID: targetID, RequestID: requestID(c)}
	if conferenceID != "" {
		e.ConferenceID = &conferenceID
	}
	if p := who(c); p != nil {
		e.ActorKind, e.ActorID = p.Kind(), p.ID()
	}
	return st.Audit(c.Request.Context(), e)
}

type loginRequest struct {
	Email    string `json:"email" binding:"required,max=254"`
	Password string `json:"password" binding:"required,max=256"`
}

type tokenResponse struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
}

// login exchanges a staff email and password for a bearer token. Unknown accounts take as long as
// known ones, and attempts are limited per client and per account.
func (s *Server) login(c *gin.Context) error {
	var req loginRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	if !s.loginLimiter.Allow("ip:"+c.ClientIP()) || !s.loginLimiter.Allow("account:"+strings.ToLower(req.Email)) {
		return errTooMany
	}
	ctx := c.Request.Context()
	a, err := s.store.AccountByEmail(ctx, req.Email)
	if errors.Is(err, models.ErrNotFound) {
		password.VerifyDummy(req.Password)
		return problem(http.StatusUnauthorized, "wrong email or password")
	}
	if err != nil {
		return err
	}
	if err := password.Verify(req.Password, a.PasswordHash); err != nil || a.DisabledAt != nil {
		return problem(http.StatusUnauthorized, "wrong email or password")
	}
	now := s.store.Now()
	idle := now.Add(s.cfg.SessionIdleTimeout)
	t := &models.AuthToken{Kind: models.TokenStaffSession, AccountID: &a.ID, ExpiresAt: now.Add(s.cfg.SessionMaxAge), IdleExpiresAt: &idle}
	secret, err := s.store.IssueToken(ctx, t)
	if err != nil {
		return err
	}
	c.Set(ctxPrincipal, &principal{Role: string(a.Role), Account: a})
	if err := s.audit(c, s.store, "", "account.login", "account", a.ID); err != nil {
		return err
	}
	c.JSON(http.StatusOK, tokenResponse{Token: secret, ExpiresAt: t.ExpiresAt})
	return nil
}

// logout revokes the caller's token.
func (s *Server) logout(c *gin.Context) error {
	if err := s.store.RevokeToken(c.Request.Context(), bearer(c)); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}
