package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/models"
)

type accountRequest struct {
	Email       string           `json:"email" binding:"required,email_addr"`
	Password    string           `json:"password" binding:"required,min=12,max=256"`
	Role        models.StaffRole `json:"role" binding:"required,oneof=admin organiser reviewer"`
	DisplayName string           `json:"display_name" binding:"max=100,nocrlf"`
	CanExport   bool             `json:"can_export"`
}

type accountResponse struct {
	ID          string           `json:"id"`
	Email       string           `json:"email"`
	Role        models.StaffRole `json:"role"`
	DisplayName string           `json:"display_name"`
	CanExport   bool             `json:"can_export"`
	CreatedAt   time.Time        `json:"created_at"`
	// Conferences are the conferences an organiser or reviewer works on, with its role on each
	// (empty for an admin, who works on every conference).
	Conferences []accountRoleBody `json:"conferences"`
}

// accountRoleBody is an account's role on one conference, named by its slug.
type accountRoleBody struct {
	Conference string `json:"conference" binding:"required,max=100"`
	Role       string `json:"role" binding:"required,oneof=organiser reviewer"`
}

// accountRolesRequest is the body of PUT /accounts/{id}/roles: every conference the account
// keeps; one left out is taken away.
type accountRolesRequest struct {
	Roles []accountRoleBody `json:"roles" binding:"required,max=1000,dive"`
}

// accountView shows an account without its secrets, with its conference roles.
func accountView(a *models.Account, roles []domain.AccountRole) accountResponse {
	out := accountResponse{ID: a.ID, Email: a.Email, Role: a.Role, DisplayName: a.DisplayName, CanExport: a.CanExport, CreatedAt: a.CreatedAt,
		Conferences: make([]accountRoleBody, 0, len(roles))}
	for _, r := range roles {
		out.Conferences = append(out.Conferences, accountRoleBody{Conference: r.Conference, Role: string(r.Role)})
	}
	return out
}

// setAccountRoles replaces the conferences an organiser or reviewer works on (admins;
// domain.Service.SetAccountRoles).
func (s *Server) setAccountRoles(c *gin.Context) error {
	var req accountRolesRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	in := make([]domain.ConferenceRoleInput, len(req.Roles))
	for i, r := range req.Roles {
		in[i] = domain.ConferenceRoleInput{Conference: r.Conference, Role: r.Role}
	}
	a, err := s.dom.SetAccountRoles(c.Request.Context(), s.actor(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, accountView(&a.Account, a.Conferences))
	return nil
}

// createAccount adds a staff account (domain.Service.CreateAccount).
func (s *Server) createAccount(c *gin.Context) error {
	var req accountRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	a, err := s.dom.CreateAccount(c.Request.Context(), s.actor(c), domain.AccountInput{Email: req.Email, Password: req.Password,
		Role: string(req.Role), DisplayName: req.DisplayName, CanExport: req.CanExport})
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, accountView(a, nil))
	return nil
}

// listAccounts lists staff accounts (domain.Service.ListAccounts).
func (s *Server) listAccounts(c *gin.Context) error {
	as, err := s.dom.StaffAccounts(c.Request.Context(), s.actor(c))
	if err != nil {
		return err
	}
	items := make([]accountResponse, 0, len(as))
	for i := range as {
		items = append(items, accountView(&as[i].Account, as[i].Conferences))
	}
	c.JSON(http.StatusOK, listResponse[accountResponse]{Items: items})
	return nil
}

type auditResponse struct {
	ID           string    `json:"id"`
	ConferenceID *string   `json:"conference_id"`
	ActorKind    string    `json:"actor_kind"`
	ActorID      string    `json:"actor_id"`
	Action       string    `json:"action"`
	TargetKind   string    `json:"target_kind"`
	TargetID     string    `json:"target_id"`
	RequestID    string    `json:"request_id"`
	CreatedAt    time.Time `json:"created_at"`
}

// listAudit lists audit events, newest first, filtered by ?action= and ?target_id= (domain.Service.ListAudit).
func (s *Server) listAudit(c *gin.Context) error {
	pg, err := page(c)
	if err != nil {
		return err
	}
	es, err := s.dom.ListAudit(c.Request.Context(), s.actor(c), models.AuditFilter{Action: c.Query("action"), TargetID: c.Query("target_id"), Page: pg})
	if err != nil {
		return err
	}
	out := listResponse[auditResponse]{Items: make([]auditResponse, 0, len(es))}
	for _, e := range es {
		out.Items = append(out.Items, auditResponse{e.ID, e.ConferenceID, e.ActorKind, e.ActorID, e.Action, e.TargetKind, e.TargetID, e.RequestID, e.CreatedAt})
	}
	if len(es) == pg.Limit {
		last := es[len(es)-1]
		out.NextCursor = models.EncodeCursor(last.CreatedAt, last.ID)
	}
	c.JSON(http.StatusOK, out)
	return nil
}
