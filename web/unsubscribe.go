package web

import (
	"errors"
	"net/http"

	"github.com/zimmerwald/zimmerwald/models"
)

// unsubscribeForm is the page of an announcement mail's unsubscribe link: a button, because
// mail scanners open links and must not unsubscribe anyone by doing so.
func (p *Pages) unsubscribeForm(w http.ResponseWriter, r *http.Request) {
	private(w)
	v := p.newView(w, r, nil)
	p.render(w, http.StatusOK, "unsubscribe", v)
}

// unsubscribe turns announcements off for the token's delegate without a login: the button of
// the page above, and the one-click POST of RFC 8058 that mail programs send
// (List-Unsubscribe-Post), which comes from no page of ours and so bypasses the cross-origin
// check (the token is the proof).
func (p *Pages) unsubscribe(w http.ResponseWriter, r *http.Request) {
	private(w)
	v := p.newView(w, r, nil)
	err := p.dom.Unsubscribe(r.Context(), r.PathValue("token"))
	switch {
	case err == nil:
		v.Notice = v.T("unsub_done")
		v.Data = "done"
		p.render(w, http.StatusOK, "unsubscribe", v)
	case errors.Is(err, models.ErrNotFound):
		v.Detail = v.T("unsub_bad")
		p.render(w, http.StatusNotFound, "unsubscribe", v)
	default:
		p.failed(w, r, v, err)
	}
}
