package web

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/models"
)

// staffAction is a console form: it runs op with the posted form and goes back to back with
// "done=1" on success; a refused input (400, 403, 409, 422, 429) shows the problem page with a way
// back. conf is true for pages under /staff/c/{slug}.
func (p *Pages) staffAction(conf bool, back func(r *http.Request, c *conference) string, op func(r *http.Request, a *domain.Actor, c *conference, f url.Values) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var c *conference
		var v *view
		ok := true
		if conf {
			c, v, ok = p.staffConf(w, r)
		} else {
			v, ok = p.staffView(w, r, nil)
		}
		if !ok || !p.parseForm(w, r, v) {
			return
		}
		to := back(r, c)
		err := op(r, p.actor(r), c, v.Form)
		if err == nil {
			sep := "?"
			if strings.Contains(to, "?") {
				sep = "&"
			}
			redirect(w, r, to+sep+"done=1")
			return
		}
		if status, ok := p.formError(w, r, v, err); ok {
			v.Data = map[string]string{"Back": to}
			p.render(w, status, "staff_problem", v)
		}
	}
}

// staffConfFor is staffConf for a page only some roles may see: anyone else gets the refusal.
func (p *Pages) staffConfFor(w http.ResponseWriter, r *http.Request, roles []models.StaffRole) (*conference, *view, bool) {
	c, v, ok := p.staffConf(w, r)
	if !ok {
		return nil, nil, false
	}
	if err := p.actor(r).RequireStaffIn(c.ID, roles...); err != nil {
		p.failed(w, r, v, err)
		return nil, nil, false
	}
	return c, v, true
}

// consolePath is a path under the console page of the conference: consolePath(c, "rooms").
func consolePath(c *conference, parts ...string) string {
	out := "/staff/c/" + url.PathEscape(c.Slug)
	for _, s := range parts {
		out += "/" + url.PathEscape(s)
	}
	return out
}

// backTo answers the console page of the conference at parts.
func backTo(parts ...string) func(*http.Request, *conference) string {
	return func(_ *http.Request, c *conference) string { return consolePath(c, parts...) }
}

// optText is a form field as an optional value: nil when the form does not carry it.
func optText(f url.Values, name string) *string {
	if _, ok := f[name]; !ok {
		return nil
	}
	s := strings.TrimSpace(f.Get(name))
	return &s
}

// optInt is a whole-number form field: nil when absent, a field error when not a number.
func optInt(f url.Values, name string, fe models.FieldErrors) *int {
	s := optText(f, name)
	if s == nil {
		return nil
	}
	if *s == "" {
		n := 0
		return &n
	}
	n, err := strconv.Atoi(*s)
	if err != nil || n < 0 {
		fe.Set(name, models.FieldInvalid, "must be a whole number, 0 or more")
		return nil
	}
	return &n
}

// checkbox is a checkbox the form always carries (a hidden "present" field beside it): nil when
// the form is not about it.
func checkbox(f url.Values, name string) *bool {
	if _, ok := f[name+"_present"]; !ok {
		return nil
	}
	on := f.Get(name) != ""
	return &on
}

// doneNotice shows the "saved" notice after a console form went back to its page.
func doneNotice(r *http.Request, v *view) {
	if r.URL.Query().Get("done") != "" {
		v.Notice = v.T("staff_saved")
	}
}

// staffOrganisations lists the conference's organisations with their status, quota, listing and
// invitation link, and offers to create, verify, reject and edit them.
func (p *Pages) staffOrganisations(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.staffConfFor(w, r, domain.StaffAll)
	if !ok {
		return
	}
	orgs, err := p.dom.ListOrganisations(r.Context(), p.actor(r), c.Slug, r.URL.Query().Get("status"))
	if err != nil {
		p.failed(w, r, v, err)
		return
	}
	doneNotice(r, v)
	v.Data = map[string]any{"Organisations": orgs, "Kinds": organisationKinds, "Statuses": []string{"proposed", "verified", "rejected"},
		"Invite": p.cfg.BaseURL + "/c/" + url.PathEscape(c.Slug) + "/register?organisation="}
	p.render(w, http.StatusOK, "staff_organisations", v)
}

// organisationKinds are the kinds of organisation, in the order of the forms.
var organisationKinds = []string{"party", "union", "movement", "collective", "media", "other"}

// organisationInput reads an organisation form.
func organisationInput(f url.Values) (domain.OrganisationInput, error) {
	fe := models.FieldErrors{}
	in := domain.OrganisationInput{Name: optText(f, "name"), Country: optText(f, "country"), Kind: optText(f, "kind"),
		Listed: checkbox(f, "listed"), DelegateQuota: optInt(f, "delegate_quota", fe), Status: optText(f, "status")}
	if in.Status != nil && *in.Status == "" {
		in.Status = nil
	}
	return in, fe.Err()
}

func (p *Pages) staffOrganisationCreate(r *http.Request, a *domain.Actor, c *conference, f url.Values) error {
	in, err := organisationInput(f)
	if err != nil {
		return err
	}
	in.Status = nil
	_, err = p.dom.CreateOrganisation(r.Context(), a, c.Slug, in)
	return err
}

func (p *Pages) staffOrganisationUpdate(r *http.Request, a *domain.Actor, c *conference, f url.Values) error {
	in, err := organisationInput(f)
	if err != nil {
		return err
	}
	_, err = p.dom.UpdateOrganisation(r.Context(), a, c.Slug, r.PathValue("id"), in)
	return err
}

// staffRegistrant is one registration in full: organisers and admins see the sealed fields
// (needs, legal name, visa, email), and that read is audited by domain.Service.GetDelegate.
func (p *Pages) staffRegistrant(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.staffConf(w, r)
	if !ok {
		return
	}
	d, sight, err := p.dom.GetDelegate(r.Context(), p.actor(r), r.PathValue("id"))
	if err == nil && d.ConferenceID != c.ID {
		err = models.ErrNotFound
	}
	if err != nil {
		p.failed(w, r, v, err)
		return
	}
	org := ""
	if d.OrganisationID != nil {
		if o, err := p.dom.Organisation(r.Context(), p.actor(r), c.Slug, *d.OrganisationID); err == nil {
			org = o.Name
		}
	}
	v.Data = map[string]any{"D": d, "Personal": sight.Personal(), "Review": sight.Review(), "Organisation": org}
	p.render(w, http.StatusOK, "staff_registrant", v)
}

// staffExportCSV is the console's export link: the same CSV as the API's delegates.csv, for
// accounts with the export permission only (audited before any data leaves).
func (p *Pages) staffExportCSV(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.staffConf(w, r)
	if !ok {
		return
	}
	var buf bytes.Buffer
	if _, err := p.dom.WriteDelegatesCSV(r.Context(), p.actor(r), c.Slug, &buf); err != nil {
		p.failed(w, r, v, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+c.Slug+`-delegates.csv"`)
	w.WriteHeader(http.StatusOK) // the router's fallback to the pages starts at 404
	w.Write(buf.Bytes())
}
