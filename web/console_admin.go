package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/models"
)

// staffAccounts lists the staff accounts and offers to create one (admins).
func (p *Pages) staffAccounts(w http.ResponseWriter, r *http.Request) {
	v, ok := p.staffView(w, r, nil)
	if !ok {
		return
	}
	accs, err := p.dom.StaffAccounts(r.Context(), p.actor(r))
	if err != nil {
		p.failed(w, r, v, err)
		return
	}
	confs, err := p.dom.StaffConferences(r.Context(), p.actor(r))
	if err != nil {
		p.failed(w, r, v, err)
		return
	}
	rows := make([]accountRow, len(accs))
	for i := range accs {
		held := map[string]models.StaffRole{}
		for _, cr := range accs[i].Conferences {
			held[cr.ConferenceID] = cr.Role
		}
		rows[i] = accountRow{StaffAccount: &accs[i]}
		for _, c := range confs {
			rows[i].Roles = append(rows[i].Roles, confRole{Slug: c.Slug, Title: c.Title, Role: string(held[c.ID])})
		}
	}
	doneNotice(r, v)
	v.Data = map[string]any{"Accounts": rows, "Roles": models.Strings(models.StaffRoles), "ConferenceRoles": models.Strings(domain.ConferenceRoleChoices)}
	p.render(w, http.StatusOK, "staff_accounts", v)
}

// accountRow is a staff account on the accounts page with its role on every conference ("" for
// none), for the roles form.
type accountRow struct {
	*domain.StaffAccount
	Roles []confRole
}

// confRole is an account's role on one conference.
type confRole struct{ Slug, Title, Role string }

// staffAccountRoles sets the conferences an organiser or reviewer works on: the form has one
// role_<slug> field per conference, empty for none (domain.Service.SetAccountRoles).
func (p *Pages) staffAccountRoles(r *http.Request, a *domain.Actor, _ *conference, f url.Values) error {
	var in []domain.ConferenceRoleInput
	for k := range f {
		if slug, ok := strings.CutPrefix(k, "role_"); ok && f.Get(k) != "" {
			in = append(in, domain.ConferenceRoleInput{Conference: slug, Role: f.Get(k)})
		}
	}
	slices.SortFunc(in, func(x, y domain.ConferenceRoleInput) int { return strings.Compare(x.Conference, y.Conference) })
	_, err := p.dom.SetAccountRoles(r.Context(), a, r.PathValue("id"), in)
	return err
}

func (p *Pages) staffAccountCreate(r *http.Request, a *domain.Actor, _ *conference, f url.Values) error {
	_, err := p.dom.CreateAccount(r.Context(), a, domain.AccountInput{Email: strings.TrimSpace(f.Get("email")), Password: f.Get("password"),
		Role: f.Get("role"), DisplayName: strings.TrimSpace(f.Get("display_name")), CanExport: f.Get("can_export") != ""})
	return err
}

// staffAudit is the audit log, newest first, filtered by action or record (admins). It shows who
// did what to which record, never the data itself.
func (p *Pages) staffAudit(w http.ResponseWriter, r *http.Request) {
	v, ok := p.staffView(w, r, nil)
	if !ok {
		return
	}
	q := r.URL.Query()
	pg, err := models.ParsePage(100, q.Get("cursor"))
	var evs []models.AuditEvent
	if err == nil {
		evs, err = p.dom.ListAudit(r.Context(), p.actor(r), models.AuditFilter{Action: strings.TrimSpace(q.Get("action")),
			TargetID: strings.TrimSpace(q.Get("target_id")), Page: pg})
	}
	if err != nil {
		p.failed(w, r, v, err)
		return
	}
	more := ""
	if len(evs) == pg.Limit {
		last := evs[len(evs)-1]
		next := url.Values{"action": {q.Get("action")}, "target_id": {q.Get("target_id")}, "cursor": {models.EncodeCursor(last.CreatedAt, last.ID)}}
		more = "?" + next.Encode()
	}
	v.Form = url.Values{"action": {q.Get("action")}, "target_id": {q.Get("target_id")}}
	v.Data = map[string]any{"Events": evs, "More": more}
	p.render(w, http.StatusOK, "staff_audit", v)
}

// staffTokens lists the staff member's API tokens with a form to issue one (its secret is shown
// once, on the answer page) and to revoke them.
func (p *Pages) staffTokens(w http.ResponseWriter, r *http.Request) {
	v, ok := p.staffView(w, r, nil)
	if !ok {
		return
	}
	p.renderTokens(w, r, v, http.StatusOK, "")
}

func (p *Pages) renderTokens(w http.ResponseWriter, r *http.Request, v *view, status int, secret string) {
	toks, err := p.dom.ListAPITokens(r.Context(), p.actor(r))
	if err != nil {
		p.failed(w, r, v, err)
		return
	}
	doneNotice(r, v)
	v.Data = map[string]any{"Tokens": toks, "Secret": secret}
	p.render(w, status, "staff_tokens", v)
}

// staffTokenCreate issues an API token and shows its secret once.
func (p *Pages) staffTokenCreate(w http.ResponseWriter, r *http.Request) {
	v, ok := p.staffView(w, r, nil)
	if !ok || !p.parseForm(w, r, v) {
		return
	}
	fe := models.FieldErrors{}
	days := optInt(v.Form, "expires_in_days", fe)
	in := domain.APITokenInput{Name: strings.TrimSpace(v.Form.Get("name"))}
	if days != nil {
		in.ExpiresInDays = *days
	}
	err := fe.Err()
	var tok *domain.IssuedToken
	if err == nil {
		tok, err = p.dom.CreateAPIToken(r.Context(), p.actor(r), in)
	}
	if err == nil {
		v.Form = url.Values{}
		p.renderTokens(w, r, v, http.StatusCreated, tok.Secret)
		return
	}
	if status, ok := p.formError(w, r, v, err); ok {
		p.renderTokens(w, r, v, status, "")
	}
}

func (p *Pages) staffTokenRevoke(r *http.Request, a *domain.Actor, _ *conference, _ url.Values) error {
	return p.dom.RevokeAPIToken(r.Context(), a, r.PathValue("id"))
}

// staffBack answers a console page outside a conference.
func staffBack(path string) func(*http.Request, *conference) string {
	return func(*http.Request, *conference) string { return path }
}
