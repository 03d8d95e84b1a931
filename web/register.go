package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/models"
)

// Choices offered by the forms (the domain checks them again).
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
	Organisations []models.Organisation
	Roles         []string
	Attendances   []string
	Visibilities  []string
	OrgKinds      []string
}

// registerPage shows the registration form with the organisations it offers
// (domain.Service.RegistrationOrganisations: the public ones, or the one of an invitation link).
func (p *Pages) registerPage(w http.ResponseWriter, r *http.Request, c *conference, v *view, status int) {
	invited := v.Form.Get("organisation_id")
	if invited == newOrgChoice {
		invited = ""
	}
	orgs, err := p.dom.RegistrationOrganisations(r.Context(), &c.Conference, invited)
	if err != nil {
		p.failed(w, r, v, err)
		return
	}
	v.Data = registerData{Organisations: orgs, Roles: roles, Attendances: attendances, Visibilities: visibilities, OrgKinds: orgKinds}
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
	v.Form.Set("mail_language", v.lang) // the language the form is read in, unless they choose another
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

// registerSubmit registers the visitor (domain.Service.Register) and says a mail is on its way.
func (p *Pages) registerSubmit(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.loadConference(w, r)
	if !ok || !p.parseForm(w, r, v) {
		return
	}
	f := v.Form
	in := domain.Registration{
		Email: f.Get("email"), DisplayName: f.Get("display_name"), Role: models.DelegateRole(f.Get("role")), Country: f.Get("country"),
		Languages: f["languages"], Attendance: models.AttendanceMode(f.Get("attendance")), Visibility: models.Visibility(f.Get("visibility")),
		InterpretationNeeds: strings.TrimSpace(f.Get("interpretation_needs")), AccessibilityNeeds: strings.TrimSpace(f.Get("accessibility_needs")),
		LegalName: f.Get("legal_name"), NeedsVisaLetter: f.Get("needs_visa_letter") == checkboxValue,
		Consent: f.Get("consent") == checkboxValue, MailLanguage: f.Get("mail_language"),
	}
	switch org := f.Get("organisation_id"); org {
	case noOrgChoice:
	case newOrgChoice:
		in.NewOrganisation = &domain.NewOrganisation{Name: f.Get("new_organisation.name"),
			Country: f.Get("new_organisation.country"), Kind: models.OrganisationKind(f.Get("new_organisation.kind"))}
	default:
		in.OrganisationID = &org
	}
	err := p.dom.Register(r.Context(), p.actor(r), c.Slug, in)
	if err == nil {
		redirect(w, r, "/c/"+url.PathEscape(c.Slug)+"/register/sent")
		return
	}
	if status, ok := p.formError(w, r, v, err); ok {
		p.registerPage(w, r, c, v, status)
	}
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
	err := p.dom.RequestMagicLink(r.Context(), p.actor(r), c.Slug, v.Form.Get("email"))
	if err == nil {
		redirect(w, r, "/c/"+url.PathEscape(c.Slug)+"/login/sent")
		return
	}
	if status, ok := p.formError(w, r, v, err); ok {
		private(w)
		p.render(w, status, "login_link", v)
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

// landingSubmit redeems the token of a mailed link (domain.Service.ConfirmRegistration or
// VerifyMagicLink) and opens a delegate session.
func (p *Pages) landingSubmit(kind string) http.HandlerFunc {
	redeem := p.dom.VerifyMagicLink
	if kind == landingConfirm {
		redeem = p.dom.ConfirmRegistration
	}
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
		sess, err := redeem(r.Context(), p.actor(r), token)
		if err != nil {
			e, ok := models.Classify(err)
			if !ok || e.Kind != models.KindNotFound && e.Kind != models.KindMalformed && e.Kind != models.KindInvalid {
				p.failed(w, r, v, err)
				return
			}
			v.Detail = v.T("landing_invalid")
			p.render(w, e.Kind.Status(), "landing", v)
			return
		}
		p.startSession(w, sess.Token, kindDelegate, sess.ExpiresAt)
		redirect(w, r, "/me")
	}
}

// logout ends the session (domain.Service.Logout) and deletes the cookies.
func (p *Pages) logout(w http.ResponseWriter, r *http.Request) {
	if tok := sessionToken(r); tok != "" {
		if err := p.dom.Logout(r.Context(), tok); err != nil {
			p.log.Warn("logout", "err", err)
		}
	}
	p.endSession(w)
	redirect(w, r, "/")
}
