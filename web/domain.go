package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/models"
)

// actor returns the visitor as the domain layer sees them: the account or delegate of the session
// cookie, or anonymous (also when the cookie's token has lapsed). The request ID and client key
// come from the router (domain.WithRequest); without it the client is the peer address.
func (p *Pages) actor(r *http.Request) *domain.Actor {
	reqID, client := domain.RequestFrom(r.Context())
	if client == "" {
		host := r.RemoteAddr
		if i := strings.LastIndexByte(host, ':'); i > 0 {
			host = host[:i]
		}
		client = "ip:" + host
	}
	if tok := sessionToken(r); tok != "" {
		if a, err := p.dom.Authenticate(r.Context(), tok, reqID, client); err == nil {
			return a
		}
	}
	return domain.Anonymous(reqID, client)
}

// codeMessage is the visitor's message for a domain error code, or fallback when the catalogue
// has none (a test keeps every code of models.Codes in every language).
func (tr translator) codeMessage(code models.Code, fallback string) string {
	if key := "code_" + string(code); code != "" && tr.Has(key) {
		return tr.T(key)
	}
	return fallback
}

// domainErrors copies a domain error's field problems into the view, translated by code.
func (v *view) domainErrors(e *models.Error) {
	for k, f := range e.Fields {
		v.Errors[k] = v.codeMessage(f.Code, f.Message)
	}
	if len(e.Fields) == 0 {
		v.Detail = v.codeMessage(e.Code, e.Detail)
	}
}

// failed answers a page whose operation returned err: a lapsed session goes back to a login
// page, a missing record is the not-found page, anything a visitor can cause is explained by its
// code, and unexpected errors are logged (without personal data) and shown as unavailable.
func (p *Pages) failed(w http.ResponseWriter, r *http.Request, v *view, err error) {
	if v == nil {
		v = p.newView(w, r, nil)
	}
	e, ok := models.Classify(err)
	if !ok {
		if !errors.Is(err, r.Context().Err()) || r.Context().Err() == nil {
			p.log.Error("page", "route", routeOf(r), "err", err)
		}
		v.Detail = v.T("err_unavailable")
		p.render(w, http.StatusServiceUnavailable, "error", v)
		return
	}
	switch e.Kind {
	case models.KindUnauthorized:
		p.endSession(w)
		if strings.HasPrefix(r.URL.Path, "/staff") {
			redirect(w, r, "/staff/login?next="+url.QueryEscape(r.URL.Path))
			return
		}
		v.Who = ""
		v.Detail = v.T("err_login_needed")
	case models.KindNotFound:
		p.render(w, http.StatusNotFound, "notfound", v)
		return
	case models.KindUnavailable:
		p.log.Warn("temporary storage fault", "route", routeOf(r), "err", err)
		w.Header().Set("Retry-After", strconv.Itoa(models.RetryAfterSeconds))
		v.Detail = v.T("err_unavailable")
	default:
		v.Detail = v.codeMessage(e.Code, v.T("err_generic"))
	}
	p.render(w, e.Kind.Status(), "error", v)
}

// formError handles err from the operation behind a form. For errors about the input (400, 403,
// 409, 422, 429) it puts the messages into v and returns the status to show the form again
// with, and true; anything else it answers itself (see failed) and returns false.
func (p *Pages) formError(w http.ResponseWriter, r *http.Request, v *view, err error) (int, bool) {
	e, ok := models.Classify(err)
	if !ok {
		p.failed(w, r, v, err)
		return 0, false
	}
	switch e.Kind {
	case models.KindMalformed, models.KindForbidden, models.KindConflict, models.KindInvalid, models.KindTooMany:
		v.domainErrors(e)
		if len(e.Fields) > 0 && v.Detail == "" {
			v.Detail = v.T("err_fix_fields")
		}
		return e.Kind.Status(), true
	}
	p.failed(w, r, v, err)
	return 0, false
}
