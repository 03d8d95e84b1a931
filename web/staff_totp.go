package web

import (
	"html/template"
	"net/http"

	"github.com/zimmerwald/zimmerwald/internal/domain"
)

// totpData is the console's second-factor page: whether it is on, and an enrolment just begun.
type totpData struct {
	On        bool
	Required  bool
	Enrolment *domain.TOTPEnrolment
	// URL is the enrolment's otpauth:// address, which html/template would otherwise refuse as an
	// unknown scheme; it is built by the domain from a random secret, not from input.
	URL template.URL
	// Admin shows the instance setting RequireAll (require a second factor of every staff account).
	Admin, RequireAll bool
}

// staffTOTP shows whether the account's second factor is on, with a button to set it up.
func (p *Pages) staffTOTP(w http.ResponseWriter, r *http.Request) {
	v, ok := p.staffView(w, r, nil)
	if !ok {
		return
	}
	a := p.actor(r)
	if a.Account == nil {
		p.failed(w, r, v, a.RequireStaff(domain.StaffAll...))
		return
	}
	// An admin who must enrol first changes settings only after enrolling.
	d := totpData{On: a.Account.TOTPEnabledAt != nil, Required: a.MustEnrol, Admin: a.IsStaff(domain.AdminOnly...) && !a.MustEnrol}
	if d.Admin {
		st, err := p.dom.GetSettings(r.Context(), a)
		if err != nil {
			p.failed(w, r, v, err)
			return
		}
		d.RequireAll = st.RequireStaffTOTP
	}
	v.Data = d
	if r.URL.Query().Get("saved") == "1" {
		v.Notice = v.T("totp_require_saved")
	}
	if r.URL.Query().Get("on") == "1" {
		v.Notice = v.T("totp_now_on")
	}
	p.render(w, http.StatusOK, "staff_totp", v)
}

// staffTOTPStart begins the enrolment (domain.Service.StartTOTP) and shows the secret, its
// otpauth:// address and the recovery codes once, with the form that confirms a code.
func (p *Pages) staffTOTPStart(w http.ResponseWriter, r *http.Request) {
	v, ok := p.staffView(w, r, nil)
	if !ok || !p.parseForm(w, r, v) {
		return
	}
	e, err := p.dom.StartTOTP(r.Context(), p.actor(r))
	if err != nil {
		p.failed(w, r, v, err)
		return
	}
	v.Data = totpData{Enrolment: e, URL: template.URL(e.URL)}
	p.render(w, http.StatusOK, "staff_totp", v)
}

// staffTOTPConfirm turns the factor on with a current code (domain.Service.ConfirmTOTP).
func (p *Pages) staffTOTPConfirm(w http.ResponseWriter, r *http.Request) {
	v, ok := p.staffView(w, r, nil)
	if !ok || !p.parseForm(w, r, v) {
		return
	}
	err := p.dom.ConfirmTOTP(r.Context(), p.actor(r), v.Form.Get("code"))
	if err == nil {
		redirect(w, r, "/staff/totp?on=1")
		return
	}
	if status, ok := p.formError(w, r, v, err); ok {
		v.Data = totpData{}
		p.render(w, status, "staff_totp", v)
	}
}

// staffTOTPRequire turns the instance setting "a second factor for every staff account" on or
// off (admins; domain.Service.UpdateSettings).
func (p *Pages) staffTOTPRequire(w http.ResponseWriter, r *http.Request) {
	v, ok := p.staffView(w, r, nil)
	if !ok || !p.parseForm(w, r, v) {
		return
	}
	on := v.Form.Get("require") == checkboxValue
	if _, err := p.dom.UpdateSettings(r.Context(), p.actor(r), &on); err != nil {
		p.failed(w, r, v, err)
		return
	}
	redirect(w, r, "/staff/totp?saved=1")
}
