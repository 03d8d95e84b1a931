package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/models"
)

// mySession is a session the delegate signed up for, with their place: confirmed or waitlisted.
type mySession struct {
	ID, Title, RoomName, Status string
	StartsAt, EndsAt            time.Time
	Place                       string
}

// mySessions lists the visitor's sign-ups for their page (domain.Service.MySessions), titles in
// lang where the session is translated.
func (p *Pages) mySessions(r *http.Request, lang string) []mySession {
	ms, err := p.dom.MySessions(r.Context(), p.actor(r))
	if err != nil {
		p.log.Warn("my sessions", "err", err)
		return nil
	}
	out := make([]mySession, 0, len(ms))
	for _, m := range ms {
		s := m.Session
		out = append(out, mySession{ID: s.ID, Title: s.TitleIn(lang), RoomName: s.RoomName, Status: string(s.Status), StartsAt: s.StartsAt, EndsAt: s.EndsAt, Place: string(m.Place)})
	}
	return out
}

// meData is what the delegate's page shows.
type meData struct {
	Me           *models.Delegate
	Conference   *conference
	Roles        []string
	Attendances  []string
	Visibilities []string
	Location     *time.Location
	Sessions     []mySession
	FeedURL      string
	Plenary      *mePlenary
	Online       []domain.OnlineSession // sessions the delegate may join online, with the links
}

// loadMe fetches the delegate of the session (domain.Service.GetMe) and fills the form with their
// data. Without a delegate session it shows the "log in" page and returns false.
func (p *Pages) loadMe(w http.ResponseWriter, r *http.Request) (*view, *meData, bool) {
	private(w)
	if sessionToken(r) == "" {
		v := p.newView(w, r, nil)
		v.Detail = v.T("err_login_needed")
		p.render(w, http.StatusUnauthorized, "error", v)
		return nil, nil, false
	}
	d := &meData{Roles: roles, Attendances: attendances, Visibilities: visibilities, Location: time.UTC}
	var err error
	if d.Me, err = p.dom.GetMe(r.Context(), p.actor(r)); err != nil {
		p.failed(w, r, nil, err)
		return nil, nil, false
	}
	d.Conference = p.conferenceByID(r, d.Me.ConferenceID)
	v := p.newView(w, r, d.Conference)
	if d.Conference != nil {
		d.Location = p.readerLocation(r, d.Conference)
	}
	d.Sessions = p.mySessions(r, v.Lang())
	d.Plenary = p.loadPlenary(r, d.Me, d.Conference)
	if online, err := p.dom.MyOnlineSessions(r.Context(), p.actor(r)); err == nil {
		d.Online = online
	}
	m := d.Me
	v.Form = url.Values{"display_name": {m.DisplayName}, "country": {m.Country}, "languages": []string(m.Languages), "attendance": {string(m.Attendance)},
		"visibility": {string(m.Visibility)}, "interpretation_needs": {m.InterpretationNeeds}, "accessibility_needs": {m.AccessibilityNeeds},
		"legal_name": {m.LegalName}, "mail_language": {m.Lang()}, "openpgp_key": {m.OpenPGPKey}}
	for name, on := range map[string]bool{"needs_visa_letter": m.NeedsVisaLetter, "notify_announcements": m.NotifyAnnouncements, "notify_agenda": m.NotifyAgenda} {
		if on {
			v.Form.Set(name, checkboxValue)
		}
	}
	return v, d, true
}

func (p *Pages) me(w http.ResponseWriter, r *http.Request) {
	v, d, ok := p.loadMe(w, r)
	if !ok {
		return
	}
	v.Data = d
	switch {
	case r.URL.Query().Get("saved") == "1":
		v.Notice = v.T("me_saved")
	case r.URL.Query().Get("signed") == "1":
		v.Notice = v.T("me_signed")
	case r.URL.Query().Get("voted") == "1":
		v.Notice = v.T("me_voted")
	case r.URL.Query().Get("presence") == "1":
		v.Notice = v.T("me_presence_saved")
	}
	p.render(w, http.StatusOK, "me", v)
}

// meUpdate saves the delegate's own fields (domain.Service.UpdateMe).
func (p *Pages) meUpdate(w http.ResponseWriter, r *http.Request) {
	v, d, ok := p.loadMe(w, r)
	if !ok || !p.parseForm(w, r, v) {
		return
	}
	f := v.Form
	text := func(name string) *string { s := strings.TrimSpace(f.Get(name)); return &s }
	tick := func(name string) *bool { on := f.Get(name) == checkboxValue; return &on }
	in := domain.MeChange{DisplayName: text("display_name"), Country: text("country"), Languages: f["languages"],
		Attendance: typed[models.AttendanceMode](text("attendance")), Visibility: typed[models.Visibility](text("visibility")), InterpretationNeeds: text("interpretation_needs"),
		AccessibilityNeeds: text("accessibility_needs"), LegalName: text("legal_name"), NeedsVisaLetter: tick("needs_visa_letter"),
		NotifyAnnouncements: tick("notify_announcements"), NotifyAgenda: tick("notify_agenda"), MailLanguage: text("mail_language"), OpenPGPKey: text("openpgp_key")}
	if in.Languages == nil {
		in.Languages = []string{}
	}
	_, err := p.dom.UpdateMe(r.Context(), p.actor(r), in)
	if err == nil {
		redirect(w, r, "/me?saved=1")
		return
	}
	if status, ok := p.formError(w, r, v, err); ok {
		v.Data = d
		p.render(w, status, "me", v)
	}
}

// meExport downloads the delegate's own data (domain.Service.ExportMe), the same file as the API's.
func (p *Pages) meExport(w http.ResponseWriter, r *http.Request) {
	private(w)
	doc, err := p.dom.ExportMe(r.Context(), p.actor(r))
	if err != nil {
		p.failed(w, r, nil, err)
		return
	}
	body, err := json.Marshal(doc)
	if err != nil {
		p.failed(w, r, nil, err)
		return
	}
	download(w, "application/json; charset=utf-8", `attachment; filename="my-registration.json"`, body)
}

// download answers a file the delegate asked for.
func download(w http.ResponseWriter, contentType, disposition string, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", disposition)
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

func (p *Pages) meDeleteForm(w http.ResponseWriter, r *http.Request) {
	v, d, ok := p.loadMe(w, r)
	if !ok {
		return
	}
	v.Data = d
	p.render(w, http.StatusOK, "me_delete", v)
}

// meDelete withdraws the registration and erases the personal data, once the delegate ticked
// the confirmation box.
func (p *Pages) meDelete(w http.ResponseWriter, r *http.Request) {
	v, d, ok := p.loadMe(w, r)
	if !ok || !p.parseForm(w, r, v) {
		return
	}
	v.Data = d
	if v.Form.Get("confirm") != checkboxValue {
		v.Errors["confirm"] = v.T("me_delete_confirm_needed")
		p.render(w, http.StatusUnprocessableEntity, "me_delete", v)
		return
	}
	if err := p.dom.DeleteMe(r.Context(), p.actor(r)); err != nil {
		if status, ok := p.formError(w, r, v, err); ok {
			p.render(w, status, "me_delete", v)
		}
		return
	}
	p.endSession(w)
	v.Who, v.Data = "", nil
	p.render(w, http.StatusOK, "me_deleted", v)
}

// meLeaveSession cancels the delegate's sign-up for a session (one already gone is no error).
func (p *Pages) meLeaveSession(w http.ResponseWriter, r *http.Request) {
	err := p.dom.LeaveSession(r.Context(), p.actor(r), r.PathValue("id"))
	if e, ok := models.Classify(err); err != nil && (!ok || e.Kind != models.KindNotFound) {
		p.failed(w, r, p.newView(w, r, nil), err)
		return
	}
	redirect(w, r, "/me")
}

// meFeed makes a new secret address for the delegate's personal calendar and shows it once.
func (p *Pages) meFeed(w http.ResponseWriter, r *http.Request) {
	v, d, ok := p.loadMe(w, r)
	if !ok {
		return
	}
	feed, err := p.dom.CreateFeed(r.Context(), p.actor(r))
	if err != nil {
		if status, ok := p.formError(w, r, v, err); ok {
			v.Data = d
			p.render(w, status, "me", v)
		}
		return
	}
	d.FeedURL = feed.URL
	v.Data = d
	p.render(w, http.StatusOK, "me", v)
}

// typed converts a form value to a named string type.
func typed[T ~string](v *string) *T {
	t := T(*v)
	return &t
}
