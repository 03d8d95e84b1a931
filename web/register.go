package web

import (
	"github.com/zimmerwald/zimmerwald/models"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// registrationBody is the JSON body of POST /api/v1/conferences/{slug}/delegates.
type registrationBody struct {
	Email               string   `json:"email"`
	DisplayName         string   `json:"display_name"`
	OrganisationID      string   `json:"organisation_id,omitempty"`
	NewOrganisation     *newOrg  `json:"new_organisation,omitempty"`
	Role                string   `json:"role"`
	Country             string   `json:"country,omitempty"`
	Languages           []string `json:"languages"`
	Attendance          string   `json:"attendance"`
	Visibility          string   `json:"visibility"`
	InterpretationNeeds string   `json:"interpretation_needs,omitempty"`
	AccessibilityNeeds  string   `json:"accessibility_needs,omitempty"`
	LegalName           string   `json:"legal_name,omitempty"`
	NeedsVisaLetter     bool     `json:"needs_visa_letter"`
	Consent             bool     `json:"consent"`
}

type newOrg struct {
	Name    string `json:"name"`
	Country string `json:"country,omitempty"`
	Kind    string `json:"kind"`
}

// Choices offered by the forms (the API checks them again).
var (
	roles         = []string{"delegate", "observer", "press", "guest"}
	attendances   = []string{"in_person", "remote"}
	visibilities  = []string{"public", "participants", "organisers"}
	orgKinds      = []string{"party", "union", "movement", "collective", "media", "other"}
	newOrgChoice  = "new"
	noOrgChoice   = ""
	checkboxValue = "yes"
)

// registerData is what the registration form shows besides the input.
type registerData struct {
	Organisations []organisation
	Roles         []string
	Attendances   []string
	Visibilities  []string
	OrgKinds      []string
}

func (p *Pages) registerPage(w http.ResponseWriter, r *http.Request, c *conference, v *view, status int) {
	var orgs list[organisation]
	res, err := p.get(r, "/api/v1/conferences/"+url.PathEscape(c.Slug)+"/organisations", &orgs)
	if err != nil || !res.OK() {
		p.fail(w, r, v, res, err)
		return
	}
	var verified []organisation
	for _, o := range orgs.Items {
		if o.Status == "" || o.Status == "verified" {
			verified = append(verified, o)
		}
	}
	verified = p.withInvitedOrganisation(r, c, verified, v.Form.Get("organisation_id"))
	v.Data = registerData{Organisations: verified, Roles: roles, Attendances: attendances, Visibilities: visibilities, OrgKinds: orgKinds}
	private(w)
	p.render(w, status, "register", v)
}

func (p *Pages) registerForm(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.loadConference(w, r)
	if !ok {
		return
	}
	v.Form.Set("role", "delegate")
	v.Form.Set("attendance", "in_person")
	v.Form.Set("visibility", "organisers")
	for _, l := range c.Languages {
		if l == v.lang {
			v.Form.Set("languages", l)
		}
	}
	if o := r.URL.Query().Get("organisation"); o != "" {
		v.Form.Set("organisation_id", o)
	}
	p.registerPage(w, r, c, v, http.StatusOK)
}

func (p *Pages) registerSubmit(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.loadConference(w, r)
	if !ok || !p.parseForm(w, r, v) {
		return
	}
	f := v.Form
	body := registrationBody{
		Email: strings.TrimSpace(f.Get("email")), DisplayName: strings.TrimSpace(f.Get("display_name")),
		Role: f.Get("role"), Country: strings.ToUpper(strings.TrimSpace(f.Get("country"))), Languages: f["languages"],
		Attendance: f.Get("attendance"), Visibility: f.Get("visibility"),
		InterpretationNeeds: strings.TrimSpace(f.Get("interpretation_needs")), AccessibilityNeeds: strings.TrimSpace(f.Get("accessibility_needs")),
		LegalName: strings.TrimSpace(f.Get("legal_name")), NeedsVisaLetter: f.Get("needs_visa_letter") == checkboxValue,
		Consent: f.Get("consent") == checkboxValue,
	}
	if body.Languages == nil {
		body.Languages = []string{}
	}
	switch org := f.Get("organisation_id"); org {
	case noOrgChoice:
	case newOrgChoice:
		body.NewOrganisation = &newOrg{Name: strings.TrimSpace(f.Get("new_organisation.name")),
			Country: strings.ToUpper(strings.TrimSpace(f.Get("new_organisation.country"))), Kind: f.Get("new_organisation.kind")}
	default:
		body.OrganisationID = org
	}
	res, err := p.apiAs(r, http.MethodPost, "/api/v1/conferences/"+url.PathEscape(c.Slug)+"/delegates", "", body)
	if err == nil && res.OK() {
		redirect(w, r, "/c/"+url.PathEscape(c.Slug)+"/register/sent")
		return
	}
	if p.formFailed(w, r, v, res, err) {
		p.registerPage(w, r, c, v, res.Status)
	}
}

// formFailed handles an API answer to a form that is not a success. For answers about the input
// (400, 403, 409, 422, 429, 501) it puts the messages into v and returns true: the caller shows
// the form again with the input kept, under the API's status. Anything else it answers itself.
func (p *Pages) formFailed(w http.ResponseWriter, r *http.Request, v *view, res *apiResult, err error) bool {
	if err != nil || res == nil {
		p.fail(w, r, v, res, err)
		return false
	}
	switch res.Status {
	case http.StatusBadRequest, http.StatusForbidden, http.StatusConflict, http.StatusUnprocessableEntity, http.StatusRequestEntityTooLarge:
		v.fieldErrors(res.Problem)
		if v.Detail == "" {
			v.Detail = v.T("err_fix_fields")
		}
		if res.Status == http.StatusForbidden {
			v.Detail = v.T("err_forbidden")
		}
		return true
	case http.StatusTooManyRequests:
		v.Detail = v.T("err_too_many")
		return true
	case http.StatusNotImplemented:
		v.Detail = v.T("err_not_built")
		return true
	}
	p.fail(w, r, v, res, err)
	return false
}

func (p *Pages) registerSent(w http.ResponseWriter, r *http.Request) {
	_, v, ok := p.loadConference(w, r)
	if !ok {
		return
	}
	v.Data = "register"
	p.render(w, http.StatusOK, "sent", v)
}

func (p *Pages) loginLinkForm(w http.ResponseWriter, r *http.Request) {
	_, v, ok := p.loadConference(w, r)
	if !ok {
		return
	}
	private(w)
	p.render(w, http.StatusOK, "login_link", v)
}

func (p *Pages) loginLinkSubmit(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.loadConference(w, r)
	if !ok || !p.parseForm(w, r, v) {
		return
	}
	body := map[string]string{"conference": c.Slug, "email": strings.TrimSpace(v.Form.Get("email"))}
	res, err := p.apiAs(r, http.MethodPost, "/api/v1/auth/magic-link", "", body)
	if err == nil && res.OK() {
		redirect(w, r, "/c/"+url.PathEscape(c.Slug)+"/login/sent")
		return
	}
	if p.formFailed(w, r, v, res, err) {
		private(w)
		p.render(w, res.Status, "login_link", v)
	}
}

func (p *Pages) loginLinkSent(w http.ResponseWriter, r *http.Request) {
	_, v, ok := p.loadConference(w, r)
	if !ok {
		return
	}
	v.Data = "login"
	p.render(w, http.StatusOK, "sent", v)
}

// Landing pages of the links mailed to delegates.
const (
	landingConfirm = "confirm"
	landingLogin   = "login"
)

// landingAPI maps a landing page to the API call that redeems its token.
var landingAPI = map[string]string{landingConfirm: "/api/v1/delegates/confirm", landingLogin: "/api/v1/auth/magic-link/verify"}

// landing shows the page a mailed link opens: a button that redeems the one-time token (pressed
// by a small script when JavaScript runs). A GET never consumes the token, so mail scanners that
// follow links do not burn it.
func (p *Pages) landing(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v := p.newView(w, r, nil)
		v.Form.Set("token", r.URL.Query().Get("token"))
		v.Data = kind
		private(w)
		p.render(w, http.StatusOK, "landing", v)
	}
}

// tokenAnswer is the API's answer to a login: a bearer token and when it expires.
type tokenAnswer struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
}

// landingSubmit redeems the token of a mailed link and opens a delegate session.
func (p *Pages) landingSubmit(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v := p.newView(w, r, nil)
		if !p.parseForm(w, r, v) {
			return
		}
		private(w)
		v.Data = kind
		token := strings.TrimSpace(v.Form.Get("token"))
		if token == "" || len(token) > 200 {
			v.Detail = v.T("landing_invalid")
			p.render(w, http.StatusBadRequest, "landing", v)
			return
		}
		res, err := p.apiAs(r, http.MethodPost, landingAPI[kind], "", map[string]string{"token": token})
		if err != nil || res.Status >= 500 || res.Status == http.StatusTooManyRequests || res.Status == http.StatusNotImplemented {
			p.fail(w, r, v, res, err)
			return
		}
		var t tokenAnswer
		if !res.OK() || res.Decode(&t) != nil || t.Token == "" {
			status := res.Status
			if status < 400 {
				status = http.StatusBadGateway
			}
			v.Detail = v.T("landing_invalid")
			p.render(w, status, "landing", v)
			return
		}
		p.startSession(w, t.Token, kindDelegate, t.ExpiresAt)
		redirect(w, r, "/me")
	}
}

// logout ends the session at the API and deletes the cookies.
func (p *Pages) logout(w http.ResponseWriter, r *http.Request) {
	if sessionToken(r) != "" {
		if res, err := p.api(r, http.MethodPost, "/api/v1/auth/logout", nil); err != nil {
			p.log.Warn("logout", "err", err)
		} else if !res.OK() && res.Status != http.StatusUnauthorized {
			p.log.Warn("logout", "status", res.Status)
		}
	}
	p.endSession(w)
	redirect(w, r, "/")
}

// withInvitedOrganisation adds the organisation named by an invitation link
// (/c/{slug}/register?organisation=ID) to the choices when it is verified but not listed: an
// organisation at risk is not named publicly, so its members register through the link its
// organisers hand them. A random ID reveals nothing; an unknown or unverified one adds nothing.
func (p *Pages) withInvitedOrganisation(r *http.Request, c *conference, orgs []organisation, id string) []organisation {
	if id == "" || id == newOrgChoice {
		return orgs
	}
	for _, o := range orgs {
		if o.ID == id {
			return orgs
		}
	}
	o, err := p.store.Organisation(r.Context(), c.ID, id)
	if err != nil || o.Status != models.OrgVerified {
		return orgs
	}
	return append(orgs, organisation{ID: o.ID, Name: o.Name, Country: o.Country, Kind: string(o.Kind), Status: string(o.Status)})
}
