package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/models"
)

// safeNext keeps a post-login destination inside the console (never another site).
func safeNext(next string) string {
	if strings.HasPrefix(next, "/staff") && !strings.HasPrefix(next, "//") && !strings.ContainsAny(next, "\\\r\n") {
		return next
	}
	return "/staff"
}

func (p *Pages) staffLoginForm(w http.ResponseWriter, r *http.Request) {
	private(w)
	v := p.newView(w, r, nil)
	v.Form.Set("next", safeNext(r.URL.Query().Get("next")))
	p.render(w, http.StatusOK, "staff_login", v)
}

// staffLogin exchanges email and password for a staff session.
func (p *Pages) staffLogin(w http.ResponseWriter, r *http.Request) {
	private(w)
	v := p.newView(w, r, nil)
	if !p.parseForm(w, r, v) {
		return
	}
	sess, err := p.dom.Login(r.Context(), p.actor(r), strings.TrimSpace(v.Form.Get("email")), v.Form.Get("password"), v.Form.Get("totp"))
	if err == nil {
		p.startSession(w, sess.Token, kindStaff, sess.ExpiresAt)
		redirect(w, r, safeNext(v.Form.Get("next")))
		return
	}
	v.Form.Del("password")
	if e, ok := models.Classify(err); ok && e.Code == models.CodeTOTPRequired {
		v.Errors["totp"] = v.T("code_totp_required")
		p.render(w, http.StatusUnauthorized, "staff_login", v)
		return
	}
	if e, ok := models.Classify(err); ok && e.Kind == models.KindUnauthorized {
		v.Detail = v.T("staff_login_wrong")
		p.render(w, http.StatusUnauthorized, "staff_login", v)
		return
	}
	if status, ok := p.formError(w, r, v, err); ok {
		p.render(w, status, "staff_login", v)
	}
}

// staffView prepares a console page: it needs a staff session (else it goes to the login page).
func (p *Pages) staffView(w http.ResponseWriter, r *http.Request, conf *conference) (*view, bool) {
	private(w)
	if sessionToken(r) == "" {
		redirect(w, r, "/staff/login?next="+url.QueryEscape(r.URL.Path))
		return nil, false
	}
	return p.newView(w, r, conf), true
}

// staffConf loads the conference of a console page.
func (p *Pages) staffConf(w http.ResponseWriter, r *http.Request) (*conference, *view, bool) {
	private(w)
	if sessionToken(r) == "" {
		redirect(w, r, "/staff/login?next="+url.QueryEscape(r.URL.Path))
		return nil, nil, false
	}
	c, v, ok := p.loadConference(w, r)
	if !ok {
		return nil, nil, false
	}
	// Staff of another conference find nothing here (domain.Actor.RequireStaffIn); a delegate's
	// session and enrolment are answered by the operations themselves.
	if a := p.actor(r); a.Account != nil && !a.MustEnrol && a.RoleIn(c.ID) == "" {
		p.failed(w, r, v, models.ErrNotFound)
		return nil, nil, false
	}
	return c, v, true
}

func (p *Pages) staffHome(w http.ResponseWriter, r *http.Request) {
	v, ok := p.staffView(w, r, nil)
	if !ok {
		return
	}
	if p.actor(r).MustEnrol { // an admin requires a second factor: set it up first
		redirect(w, r, "/staff/totp")
		return
	}
	// A stale or delegate session shows the login page (or is refused).
	if err := p.actor(r).RequireStaff(domain.StaffAll...); err != nil {
		p.failed(w, r, v, err)
		return
	}
	ms, err := p.dom.StaffConferences(r.Context(), p.actor(r))
	if err != nil {
		p.failed(w, r, v, err)
		return
	}
	cs := make([]conference, len(ms))
	for i := range ms {
		cs[i] = *conferenceOf(&ms[i], p.dom.Now())
	}
	v.Data = cs
	p.render(w, http.StatusOK, "staff_home", v)
}

// staffConference is the console's start page for one conference: counts per status.
func (p *Pages) staffConference(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.staffConf(w, r)
	if !ok {
		return
	}
	counts, err := p.dom.CountRegistrations(r.Context(), p.actor(r), c.Slug)
	if err != nil {
		p.failed(w, r, v, err)
		return
	}
	v.Data = map[string]any{"Counts": counts.ByStatus, "More": counts.More, "Statuses": delegateStatuses}
	p.render(w, http.StatusOK, "staff_conference", v)
}

// delegateStatuses are the registration statuses, in review order.
var delegateStatuses = []string{"submitted", "waitlisted", "approved", "rejected", "pending_confirmation", "cancelled"}

// registrationsData is the review list.
type registrationsData struct {
	Delegates     []reviewRow
	Organisations []models.Organisation
	OrgNames      map[string]string
	Statuses      []string
	Roles         []string
	Next          string
	More          string
	Query         url.Values
}

// reviewRow is one registration in the review list (no personal fields), with its organisation
// ID as a plain string for the template.
type reviewRow struct {
	*models.Delegate
	OrganisationID string
}

// staffRegistrations lists registrations to review (domain.Service.ListDelegates) with filters
// and decision buttons.
func (p *Pages) staffRegistrations(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.staffConf(w, r)
	if !ok {
		return
	}
	in := r.URL.Query()
	q := url.Values{"limit": {"100"}}
	for _, k := range []string{"status", "organisation_id", "role", "q", "cursor"} {
		if x := strings.TrimSpace(in.Get(k)); x != "" {
			q.Set(k, x)
		}
	}
	if _, set := in["status"]; !set {
		q.Set("status", "submitted")
	}
	d := registrationsData{Statuses: delegateStatuses, Roles: roles, Query: q, OrgNames: map[string]string{}}
	a := p.actor(r)
	pg, err := models.ParsePage(100, q.Get("cursor"))
	var ds []models.Delegate
	if err == nil {
		ds, _, err = p.dom.ListDelegates(r.Context(), a, domain.DelegateQuery{Conference: c.Slug, Status: q.Get("status"),
			OrganisationID: q.Get("organisation_id"), Role: q.Get("role"), Query: q.Get("q"), Page: pg})
	}
	switch e, _ := models.Classify(err); {
	case err == nil:
		for i := range ds {
			row := reviewRow{Delegate: &ds[i]}
			if ds[i].OrganisationID != nil {
				row.OrganisationID = *ds[i].OrganisationID
			}
			d.Delegates = append(d.Delegates, row)
		}
		if len(ds) == pg.Limit {
			last := ds[len(ds)-1]
			d.Next = models.EncodeCursor(last.CreatedAt, last.ID)
			more := url.Values{}
			for k, vs := range q {
				more[k] = vs
			}
			more.Set("cursor", d.Next)
			more.Del("limit")
			d.More = "?" + more.Encode()
		}
	case e != nil && e.Kind == models.KindMalformed:
		p.formError(w, r, v, err)
	default:
		p.failed(w, r, v, err)
		return
	}
	// The filter offers every organisation of the conference, as staff see them.
	if d.Organisations, err = p.dom.Store().ListOrganisations(r.Context(), models.OrganisationFilter{ConferenceID: c.ID}); err != nil {
		p.failed(w, r, v, err)
		return
	}
	for _, o := range d.Organisations {
		d.OrgNames[o.ID] = o.Name
	}
	v.Form = q
	v.Data = d
	if r.URL.Query().Get("done") != "" {
		v.Notice = v.T("staff_decision_saved")
	}
	p.render(w, http.StatusOK, "staff_registrations", v)
}

// staffDecide posts an organiser's decision on one registration and goes back to the list.
func (p *Pages) staffDecide(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.staffConf(w, r)
	if !ok || !p.parseForm(w, r, v) {
		return
	}
	in := domain.Decision{DelegateID: r.PathValue("id"), Decision: v.Form.Get("decision"), Reason: v.Form.Get("reason")}
	back := "/staff/c/" + url.PathEscape(c.Slug) + "/registrations?" + backQuery(v.Form.Get("back"))
	if (in.Decision == "approve" || in.Decision == "reject") && v.Form.Get("confirmed") == "" {
		p.confirmDecision(w, r, c, v, in, back)
		return
	}
	_, err := p.dom.DecideDelegate(r.Context(), p.actor(r), in)
	if err == nil {
		redirect(w, r, back+"&done=1")
		return
	}
	if status, ok := p.formError(w, r, v, err); ok {
		v.Data = map[string]string{"Back": back}
		p.render(w, status, "staff_problem", v)
	}
}

// backQuery keeps only the list filters of a "back to the list" query string.
func backQuery(raw string) string {
	in, _ := url.ParseQuery(raw)
	out := url.Values{}
	for _, k := range []string{"status", "organisation_id", "role", "q"} {
		if _, ok := in[k]; ok {
			out.Set(k, in.Get(k))
		}
	}
	if _, ok := out["status"]; !ok {
		out.Set("status", "submitted")
	}
	return out.Encode()
}

// confirmDecision asks again before an approval or rejection (each mails the delegate at once,
// and a rejection cannot be taken back by them): the same form with "confirmed" set.
func (p *Pages) confirmDecision(w http.ResponseWriter, r *http.Request, c *conference, v *view, in domain.Decision, back string) {
	a := p.actor(r)
	err := a.RequireStaffIn(c.ID, domain.Organisers...) // reviewers may not decide: no confirmation to offer
	var d *models.Delegate
	if err == nil {
		d, _, err = p.dom.GetDelegate(r.Context(), a, in.DelegateID)
	}
	if err == nil && d.ConferenceID != c.ID {
		err = models.ErrNotFound
	}
	if err != nil {
		p.failed(w, r, v, err)
		return
	}
	v.Data = map[string]any{"Name": d.DisplayName, "Decision": in.Decision, "Back": back}
	p.render(w, http.StatusOK, "staff_confirm", v)
}
