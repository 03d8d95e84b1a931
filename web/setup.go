package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/zimmerwald/zimmerwald/internal/password"
	"github.com/zimmerwald/zimmerwald/models"
)

func (p *Pages) setupForm(w http.ResponseWriter, r *http.Request) {
	private(w)
	v := p.newView(w, r, nil)
	v.Form.Set("token", r.URL.Query().Get("token"))
	p.render(w, http.StatusOK, "setup", v)
}

// setupSubmit creates the first admin with the one-time setup token printed at first start. There
// is no API for it: it exists only while no account does.
func (p *Pages) setupSubmit(w http.ResponseWriter, r *http.Request) {
	private(w)
	v := p.newView(w, r, nil)
	if !p.parseForm(w, r, v) {
		return
	}
	email, pw := strings.TrimSpace(v.Form.Get("email")), v.Form.Get("password")
	v.Form.Del("password")
	switch {
	case !strings.Contains(email, "@") || strings.ContainsAny(email, "\r\n <>,;") || len(email) > 254:
		v.Errors["email"] = v.T("setup_bad_email")
	case len(pw) < password.MinLength || len(pw) > password.MaxLength:
		v.Errors["password"] = v.T("setup_bad_password", "Min", password.MinLength)
	}
	if len(v.Errors) > 0 {
		p.render(w, http.StatusUnprocessableEntity, "setup", v)
		return
	}
	hash, err := password.Hash(pw)
	if err != nil {
		p.fail(w, r, v, nil, err)
		return
	}
	ctx := r.Context()
	err = p.store.Tx(ctx, func(tx *models.Store) error {
		if n, err := tx.CountAccounts(ctx); err != nil || n > 0 {
			return errors.Join(err, models.ErrNotFound)
		}
		if _, err := tx.UseToken(ctx, v.Form.Get("token"), models.TokenSetup); err != nil {
			return err
		}
		return tx.CreateAccount(ctx, &models.Account{Email: email, PasswordHash: hash, Role: models.StaffAdmin, CanExport: true})
	})
	if errors.Is(err, models.ErrNotFound) {
		v.Detail = v.T("setup_bad_token")
		p.render(w, http.StatusForbidden, "setup", v)
		return
	}
	if err != nil {
		p.fail(w, r, v, nil, err)
		return
	}
	v.Data = true
	p.render(w, http.StatusOK, "setup", v)
}
