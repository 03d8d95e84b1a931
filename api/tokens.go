package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/internal/domain"
)

// apiTokenRequest is the body of POST /tokens.
type apiTokenRequest struct {
	Name          string `json:"name" binding:"required,max=100,nocrlf"`
	ExpiresInDays int    `json:"expires_in_days" binding:"omitempty,min=1,max=365"`
}

// apiTokenResponse describes an API token; Token (the secret) is shown once, on creation.
type apiTokenResponse struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Token     string    `json:"token,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// createAPIToken gives the calling staff member a long-lived token for an integration
// (domain.Service.CreateAPIToken); its secret is shown once and stored only as a hash.
func (s *Server) createAPIToken(c *gin.Context) error {
	var req apiTokenRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	it, err := s.dom.CreateAPIToken(c.Request.Context(), s.actor(c), domain.APITokenInput{Name: req.Name, ExpiresInDays: req.ExpiresInDays})
	if err != nil {
		return err
	}
	t := it.Token
	c.JSON(http.StatusCreated, apiTokenResponse{ID: t.ID, Name: t.Name, Token: it.Secret, CreatedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt})
	return nil
}

// listAPITokens lists the caller's API tokens that have not expired, without their secrets.
func (s *Server) listAPITokens(c *gin.Context) error {
	ts, err := s.dom.ListAPITokens(c.Request.Context(), s.actor(c))
	if err != nil {
		return err
	}
	out := listResponse[apiTokenResponse]{Items: make([]apiTokenResponse, 0, len(ts))}
	for _, t := range ts {
		out.Items = append(out.Items, apiTokenResponse{ID: t.ID, Name: t.Name, CreatedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt})
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// revokeAPIToken deletes one of the caller's API tokens (domain.Service.RevokeAPIToken).
func (s *Server) revokeAPIToken(c *gin.Context) error {
	if err := s.dom.RevokeAPIToken(c.Request.Context(), s.actor(c), c.Param("id")); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}
