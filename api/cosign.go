package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// cosignRequest says whether the signing organisation may be named publicly or only counted.
type cosignRequest struct {
	Named bool `json:"named"`
}

// cosignResponse is the caller's organisation's signature.
type cosignResponse struct {
	StatementID    string    `json:"statement_id"`
	OrganisationID string    `json:"organisation_id"`
	Named          bool      `json:"named"`
	CreatedAt      time.Time `json:"created_at"`
}

// cosignStatement signs a statement on behalf of the caller's organisation (domain.Service.Cosign).
func (s *Server) cosignStatement(c *gin.Context) error {
	var req cosignRequest
	if err := bindOptionalJSON(c, &req); err != nil {
		return err
	}
	cs, err := s.dom.Cosign(c.Request.Context(), s.actor(c), c.Param("id"), req.Named)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, cosignResponse{StatementID: cs.StatementID, OrganisationID: cs.OrganisationID, Named: cs.Named, CreatedAt: cs.CreatedAt})
	return nil
}

// withdrawCosignature withdraws the caller's organisation's signature
// (domain.Service.WithdrawCosignature).
func (s *Server) withdrawCosignature(c *gin.Context) error {
	if err := s.dom.WithdrawCosignature(c.Request.Context(), s.actor(c), c.Param("id")); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

// bindOptionalJSON is bindJSON for bodies whose every field is optional: no body at all means
// the defaults.
func bindOptionalJSON(c *gin.Context, dst any) error {
	if c.Request.Body == nil || c.Request.Body == http.NoBody || c.Request.ContentLength == 0 {
		return validateStruct(dst)
	}
	return bindJSON(c, dst)
}
