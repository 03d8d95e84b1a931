package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/models"
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

// createAPIToken gives the calling staff member a long-lived token for an integration, with
// their own role; its secret is shown once and stored only as a hash.
func (s *Server) createAPIToken(c *gin.Context) error {
	var req apiTokenRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	if req.ExpiresInDays == 0 {
		req.ExpiresInDays = 90
	}
	a := who(c).Account
	t := &models.AuthToken{Kind: models.TokenAPI, AccountID: &a.ID, Name: req.Name,
		ExpiresAt: s.store.Now().AddDate(0, 0, req.ExpiresInDays)}
	var secret string
	err := s.store.Tx(c.Request.Context(), func(tx *models.Store) error {
		var err error
		if secret, err = tx.IssueToken(c.Request.Context(), t); err != nil {
			return err
		}
		return s.audit(c, tx, "", "token.create", "token", t.ID)
	})
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, apiTokenResponse{ID: t.ID, Name: t.Name, Token: secret, CreatedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt})
	return nil
}

// listAPITokens lists the caller's API tokens that have not expired, without their secrets.
func (s *Server) listAPITokens(c *gin.Context) error {
	ts, err := s.store.APITokens(c.Request.Context(), who(c).Account.ID)
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

// revokeAPIToken deletes one of the caller's API tokens.
func (s *Server) revokeAPIToken(c *gin.Context) error {
	err := s.store.Tx(c.Request.Context(), func(tx *models.Store) error {
		if err := tx.RevokeAPIToken(c.Request.Context(), who(c).Account.ID, c.Param("id")); err != nil {
			return err
		}
		return s.audit(c, tx, "", "token.revoke", "token", c.Param("id"))
	})
	if err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}
