package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// magicLinkRequest is the body of POST /auth/magic-link: a conference slug and an address.
type magicLinkRequest struct {
	Conference string `json:"conference" binding:"required,max=63"`
	Email      string `json:"email" binding:"required,email_addr"`
}

// requestMagicLink mails a one-time sign-in link to a registered delegate
// (domain.Service.RequestMagicLink). Every well-formed request is answered 202 with the same
// body, for known and unknown addresses and conferences alike.
func (s *Server) requestMagicLink(c *gin.Context) error {
	var req magicLinkRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	if err := s.dom.RequestMagicLink(c.Request.Context(), s.actor(c), req.Conference, req.Email); err != nil {
		return err
	}
	c.JSON(http.StatusAccepted, loginAccepted)
	return nil
}

// verifyMagicLink redeems a one-time sign-in link for a delegate session
// (domain.Service.VerifyMagicLink). Following it also confirms a registration still pending.
func (s *Server) verifyMagicLink(c *gin.Context) error {
	return s.redeem(c, s.dom.VerifyMagicLink)
}
