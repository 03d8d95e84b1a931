package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/models"
)

// staffStatements lists statements for review, submitted ones first by default.
func (p *Pages) staffStatements(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.staffConf(w, r)
	if !ok {
		return
	}
	status := r.URL.Query().Get("status")
	if _, set := r.URL.Query()["status"]; !set {
		status = string(models.StatementSubmitted)
	}
	q := domain.StatementQuery{Slug: c.Slug, Status: status, Lang: v.lang, Page: models.Page{Limit: 200}}
	views, _, err := p.dom.ListStatements(r.Context(), p.actor(r), q)
	if err != nil {
		if _, ok := p.formError(w, r, v, err); !ok {
			return
		}
	}
	sts := make([]statement, 0, len(views))
	for _, sv := range views {
		sts = append(sts, statement{sv})
	}
	v.Form = url.Values{"status": {status}}
	v.Data = map[string]any{"Statements": sts,
		"Statuses": []string{"submitted", "accepted", "rejected", "withdrawn", "adopted", "not_adopted"}}
	if r.URL.Query().Get("done") != "" {
		v.Notice = v.T("staff_decision_saved")
	}
	p.render(w, http.StatusOK, "staff_statements", v)
}

// staffStatementDecide records a reviewer's decision on a statement.
func (p *Pages) staffStatementDecide(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.staffConf(w, r)
	if !ok || !p.parseForm(w, r, v) {
		return
	}
	in := domain.StatementDecision{StatementID: r.PathValue("id"), Decision: models.StatementDecision(v.Form.Get("decision")), Comment: strings.TrimSpace(v.Form.Get("comment"))}
	_, err := p.dom.DecideStatement(r.Context(), p.actor(r), in)
	back := "/staff/c/" + url.PathEscape(c.Slug) + "/statements"
	if err == nil {
		redirect(w, r, back+"?done=1")
		return
	}
	if status, ok := p.formError(w, r, v, err); ok {
		v.Data = map[string]string{"Back": back}
		p.render(w, status, "staff_problem", v)
	}
}

// announcementData is what the announcement form shows.
type announcementData struct {
	Organisations []models.Organisation
	Statuses      []string
	Roles         []string
	Languages     []string
	Attendances   []string
	Preview       *domain.AnnouncementPreview
}

func (p *Pages) announcementPage(w http.ResponseWriter, r *http.Request, a *domain.Actor, c *conference, v *view, d *announcementData, status int) {
	orgs, err := p.dom.ListOrganisations(r.Context(), a, c.Slug, "")
	if err != nil {
		p.failed(w, r, v, err)
		return
	}
	d.Organisations, d.Statuses, d.Roles, d.Languages, d.Attendances = orgs, delegateStatuses, roles, c.Languages, attendances
	v.Data = d
	p.render(w, status, "staff_announcements", v)
}

func (p *Pages) staffAnnouncementForm(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.staffConf(w, r)
	if !ok {
		return
	}
	v.Form.Set("statuses", "approved")
	if r.URL.Query().Get("sent") != "" {
		v.Notice = v.T("ann_sent_queued")
		if n, err := strconv.Atoi(r.URL.Query().Get("n")); err == nil {
			v.Notice = v.T("ann_sent", "Count", n)
		}
	}
	p.announcementPage(w, r, p.actor(r), c, v, &announcementData{}, http.StatusOK)
}

// staffAnnouncementSend previews an announcement (recipient count and the rendered mail) or,
// from a previewed form and with the explicit send button only, sends it.
func (p *Pages) staffAnnouncementSend(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.staffConf(w, r)
	if !ok || !p.parseForm(w, r, v) {
		return
	}
	f, a := v.Form, p.actor(r)
	in := domain.AnnouncementInput{Subject: strings.TrimSpace(f.Get("subject")), Body: strings.TrimSpace(f.Get("body")), PreviewLang: v.lang,
		Audience: models.Audience{Statuses: models.Typed[models.DelegateStatus](f["statuses"]), OrganisationIDs: f["organisation_ids"],
			Languages: f["languages"], Roles: models.Typed[models.DelegateRole](f["roles"]), Attendance: models.Typed[models.AttendanceMode](f["attendance"])}}
	for _, l := range c.Languages {
		if s, b := strings.TrimSpace(f.Get("subject_"+l)), strings.TrimSpace(f.Get("body_"+l)); s != "" || b != "" {
			if in.Translations == nil {
				in.Translations = map[string]models.AnnouncementText{}
			}
			in.Translations[l] = models.AnnouncementText{Subject: s, Body: b}
		}
	}
	if pl := f.Get("preview_lang"); pl != "" {
		in.PreviewLang = pl
	}
	d := &announcementData{}
	if f.Get("action") == "send" && f.Get("previewed") == checkboxValue {
		in.PreviewLang = ""
		sent, err := p.dom.CreateAnnouncement(r.Context(), a, c.Slug, in)
		if err == nil {
			redirect(w, r, "/staff/c/"+url.PathEscape(c.Slug)+"/announcements?sent=1&n="+strconv.Itoa(sent.Announcement.Recipients))
			return
		}
		if status, ok := p.formError(w, r, v, err); ok {
			p.announcementPage(w, r, a, c, v, d, status)
		}
		return
	}
	pv, err := p.dom.PreviewAnnouncement(r.Context(), a, c.Slug, in)
	if err == nil {
		d.Preview = pv
		p.announcementPage(w, r, a, c, v, d, http.StatusOK)
		return
	}
	if status, ok := p.formError(w, r, v, err); ok {
		p.announcementPage(w, r, a, c, v, d, status)
	}
}

// staffOutbox shows delivery status: counts per state and the messages of one state (dead letters
// by default), with a retry button for dead ones.
func (p *Pages) staffOutbox(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.staffConf(w, r)
	if !ok {
		return
	}
	state := r.URL.Query().Get("state")
	if _, set := r.URL.Query()["state"]; !set {
		state = "dead"
	}
	d, err := p.delivery(r, c.Slug, state)
	if err != nil {
		if _, ok := p.formError(w, r, v, err); !ok {
			return
		}
		d = &domain.Delivery{}
	}
	v.Form = url.Values{"state": {state}}
	v.Data = map[string]any{"Outbox": d, "States": domain.OutboxStates}
	if r.URL.Query().Get("retried") != "" {
		v.Notice = v.T("outbox_retried")
	}
	p.render(w, http.StatusOK, "staff_outbox", v)
}

// delivery reads one page of 100 messages of the delivery view, from the ?cursor= of r.
func (p *Pages) delivery(r *http.Request, slug, state string) (*domain.Delivery, error) {
	pg, err := models.ParsePage(100, r.URL.Query().Get("cursor"))
	if err != nil {
		return nil, err
	}
	return p.dom.ListOutbox(r.Context(), p.actor(r), slug, models.OutboxState(state), pg)
}

// staffOutboxRetry puts a dead letter back in the queue.
func (p *Pages) staffOutboxRetry(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.staffConf(w, r)
	if !ok {
		return
	}
	base := "/staff/c/" + url.PathEscape(c.Slug) + "/outbox"
	err := p.dom.RetryOutbox(r.Context(), p.actor(r), c.Slug, r.PathValue("id"))
	if err == nil {
		redirect(w, r, base+"?retried=1")
		return
	}
	if status, ok := p.formError(w, r, v, err); ok {
		v.Data = map[string]string{"Back": base}
		p.render(w, status, "staff_problem", v)
	}
}
