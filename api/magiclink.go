package api

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/mail"
	"github.com/zimmerwald/zimmerwald/models"
)

// magicLinkRequest is the body of POST /auth/magic-link: a conference slug and an address.
type magicLinkRequest struct {
	Conference string `json:"conference" binding:"required,max=63"`
	Email      string `json:"email" binding:"required,email_addr"`
}

// requestMagicLink mails a one-time sign-in link to a registered delegate. Every well-formed
// request is answered 202 with the same body, for known and unknown addresses and conferences
// alike, after the same work (a token row in one transaction; only a known address gets mail).
func (s *Server) requestMagicLink(c *gin.Context) error {
	if !s.dom.AllowPublic("ip:" + c.ClientIP()) {
		return errTooMany
	}
	var req magicLinkRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	req.Email = strings.TrimSpace(req.Email)
	ctx := c.Request.Context()
	conf, err := s.store.ConferenceBySlug(ctx, req.Conference)
	if errors.Is(err, models.ErrNotFound) {
		conf, err = &models.Conference{ID: models.NewID()}, nil // a decoy: the same work, no match
	}
	if err != nil {
		return err
	}
	known, err := s.store.RequestLogin(ctx, conf.ID, req.Email, func(d *models.Delegate, secret string) (*models.OutboxMessage, error) {
		data := &mail.LoginData{Conference: conf.Title, Name: d.DisplayName, Link: s.link("/login?token=" + secret),
			ExpiresMinutes: int(models.LoginTTL / time.Minute)}
		return domain.NewMail(domain.EnvelopeOf(d), "login:"+models.NewID(), data)
	})
	if err != nil {
		return err
	}
	if known {
		s.notify()
	}
	c.JSON(http.StatusAccepted, loginAccepted)
	return nil
}

// verifyMagicLink redeems a one-time sign-in link for a delegate session. Following it also
// confirms a registration still pending confirmation.
func (s *Server) verifyMagicLink(c *gin.Context) error {
	return s.redeem(c, models.TokenMagicLink)
}
