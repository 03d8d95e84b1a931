package web

import (
	"errors"
	"net/http"

	"github.com/zimmerwald/zimmerwald/internal/domain"
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
	in := domain.FirstAdmin{Token: v.Form.Get("token"), Email: v.Form.Get("email"), Password: v.Form.Get("password")}
	v.Form.Del("password")
	_, err := p.dom.CreateFirstAdmin(r.Context(), p.actor(r), in)
	var fe models.FieldErrors
	switch e, ok := models.Classify(err); {
	case err == nil:
		v.Data = true
		p.render(w, http.StatusOK, "setup", v)
	case errors.As(err, &fe):
		if fe.Has("email") {
			v.Errors["email"] = v.T("setup_bad_email")
		} else if fe.Has("password") {
			v.Errors["password"] = v.T("setup_bad_password", "Min", password.MinLength)
		}
		p.render(w, http.StatusUnprocessableEntity, "setup", v)
	case ok && e.Kind == models.KindForbidden:
		v.Detail = v.T("setup_bad_token")
		p.render(w, http.StatusForbidden, "setup", v)
	default:
		p.failed(w, r, v, err)
	}
}
