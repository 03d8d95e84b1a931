package domain

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/zimmerwald/zimmerwald/mail"
	"github.com/zimmerwald/zimmerwald/models"
)

// errBadLink answers every link that cannot be used: unknown, used, expired or erased. It is a
// not-found (the link names nothing that exists), never a hint about which.
var errBadLink = models.Fail(models.KindNotFound, models.CodeNotFound, "this link is invalid, used or expired")

// maxLinkToken bounds the length of a mailed link's token.
const maxLinkToken = 128

// RequestMagicLink mails a one-time sign-in link to the delegate registered with email in the
// conference slug (rate-limited per client). Known and unknown addresses and conferences alike
// return nil after the same work (a token row and a sealed mail row in one transaction; only a
// known address's mail stays and is sent).
func (s *Service) RequestMagicLink(ctx context.Context, a *Actor, slug, email string) error {
	if !s.AllowPublic(a.Client) {
		return errTooMany
	}
	email = strings.TrimSpace(email)
	if email == "" {
		return models.Invalid(models.FieldProblem("email", models.FieldRequired, "is required"))
	}
	if !models.ValidEmail(email) {
		return models.Invalid(models.FieldProblem("email", models.FieldInvalidEmail, "must be one email address"))
	}
	conf, err := s.store.ConferenceBySlug(ctx, slug)
	if errors.Is(err, models.ErrNotFound) {
		conf, err = &models.Conference{ID: models.NewID()}, nil // a decoy: the same work, no match
	}
	if err != nil {
		return err
	}
	_, err = s.store.RequestLogin(ctx, conf.ID, email, func(d *models.Delegate, secret string) (*models.OutboxMessage, error) {
		data := &mail.LoginData{Conference: conf.Title, Name: d.DisplayName, Link: s.link("/login?token=" + secret + langQuery(d)),
			ExpiresMinutes: int(models.LoginTTL / time.Minute)}
		return NewMail(EnvelopeOf(d), "login:"+models.NewID(), data)
	})
	if err != nil {
		return err
	}
	s.notify() // for unknown addresses too: waking the worker must not tell them apart
	return nil
}

// ConfirmRegistration redeems the one-time confirmation link token: pending_confirmation →
// submitted, and a delegate session is opened. The link works once.
func (s *Service) ConfirmRegistration(ctx context.Context, a *Actor, token string) (*Session, error) {
	return s.redeem(ctx, a, token, models.TokenConfirm)
}

// VerifyMagicLink redeems a one-time sign-in link token for a delegate session. Following it
// also confirms a registration still pending confirmation.
func (s *Service) VerifyMagicLink(ctx context.Context, a *Actor, token string) (*Session, error) {
	return s.redeem(ctx, a, token, models.TokenMagicLink)
}

// redeem exchanges a one-time link of kind for a delegate session (rate-limited per client).
func (s *Service) redeem(ctx context.Context, a *Actor, token string, kind models.TokenKind) (*Session, error) {
	if !s.AllowPublic(a.Client) {
		return nil, errTooMany
	}
	if token == "" || len(token) > maxLinkToken {
		return nil, errBadLink
	}
	sess, err := s.store.RedeemLink(ctx, token, kind, s.cfg.SessionMaxAge, s.cfg.SessionIdleTimeout)
	if errors.Is(err, models.ErrNotFound) {
		return nil, errBadLink
	}
	if err != nil {
		return nil, err
	}
	return &Session{Token: sess.Secret, ExpiresAt: sess.ExpiresAt}, nil
}
