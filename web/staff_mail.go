package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

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
		"Statuses": []string{"submitted", "accepted", "rejected", "draft", "withdrawn", "adopted", "not_adopted"}}
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

// announcementBody is the JSON body of POST …/announcements and …/announcements/preview.
type announcementBody struct {
	Subject     string   `json:"subject"`
	Body        string   `json:"body"`
	Audience    audience `json:"audience"`
	PreviewLang string   `json:"preview_lang,omitempty"`
}

type audience struct {
	Statuses        []string `json:"statuses"`
	OrganisationIDs []string `json:"organisation_ids"`
	Languages       []string `json:"languages"`
	Roles           []string `json:"roles"`
	Attendance      []string `json:"attendance"`
}

// announcementPreview is the API's preview: how many people the announcement reaches (per mail
// language) and the mail as one of them would read it.
type announcementPreview struct {
	Recipients int            `json:"recipients"`
	Languages  map[string]int `json:"languages"`
	Preview    struct {
		Lang    string `json:"lang"`
		Subject string `json:"subject"`
		Text    string `json:"text"`
	} `json:"preview"`
}

// announcementData is what the announcement form shows.
type announcementData struct {
	Organisations []organisation
	Statuses      []string
	Roles         []string
	Languages     []string
	Attendances   []string
	Preview       *announcementPreview
}

func (p *Pages) announcementPage(w http.ResponseWriter, r *http.Request, c *conference, v *view, d *announcementData, status int) {
	var orgs list[organisation]
	if res, err := p.get(r, "/api/v1/conferences/"+url.PathEscape(c.Slug)+"/organisations", &orgs); err != nil || !res.OK() {
		p.fail(w, r, v, res, err)
		return
	}
	d.Organisations, d.Statuses, d.Roles, d.Languages, d.Attendances = orgs.Items, delegateStatuses, roles, c.Languages, attendances
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
	p.announcementPage(w, r, c, v, &announcementData{}, http.StatusOK)
}

// staffAnnouncementSend previews an announcement (recipient count and the rendered mail) or,
// from a previewed form and with the explicit send button only, sends it.
func (p *Pages) staffAnnouncementSend(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.staffConf(w, r)
	if !ok || !p.parseForm(w, r, v) {
		return
	}
	f := v.Form
	body := announcementBody{Subject: strings.TrimSpace(f.Get("subject")), Body: strings.TrimSpace(f.Get("body")), PreviewLang: v.lang,
		Audience: audience{Statuses: nonNil(f["statuses"]), OrganisationIDs: nonNil(f["organisation_ids"]),
			Languages: nonNil(f["languages"]), Roles: nonNil(f["roles"]), Attendance: nonNil(f["attendance"])}}
	base := "/api/v1/conferences/" + url.PathEscape(c.Slug) + "/announcements"
	d := &announcementData{}
	if f.Get("action") == "send" && f.Get("previewed") == checkboxValue {
		body.PreviewLang = ""
		res, err := p.api(r, http.MethodPost, base, body)
		if err == nil && res.OK() {
			var out struct {
				Recipients int `json:"recipients"`
			}
			res.Decode(&out)
			redirect(w, r, "/staff/c/"+url.PathEscape(c.Slug)+"/announcements?sent=1&n="+strconv.Itoa(out.Recipients))
			return
		}
		if p.formFailed(w, r, v, res, err) {
			p.announcementPage(w, r, c, v, d, res.Status)
		}
		return
	}
	res, err := p.api(r, http.MethodPost, base+"/preview", body)
	if err == nil && res.OK() {
		var pv announcementPreview
		if err := res.Decode(&pv); err != nil {
			p.fail(w, r, v, nil, err)
			return
		}
		d.Preview = &pv
		p.announcementPage(w, r, c, v, d, http.StatusOK)
		return
	}
	if p.formFailed(w, r, v, res, err) {
		p.announcementPage(w, r, c, v, d, res.Status)
	}
}

// outboxMessage is one mail as the delivery view shows it (never the address in full).
type outboxMessage struct {
	ID        string     `json:"id"`
	Template  string     `json:"template"`
	Lang      string     `json:"lang"`
	To        string     `json:"to"`
	State     string     `json:"state"`
	Attempts  int        `json:"attempts"`
	LastError string     `json:"last_error"`
	CreatedAt time.Time  `json:"created_at"`
	SentAt    *time.Time `json:"sent_at"`
}

// outboxJSON is the API's delivery view: counts per state and one page of messages.
type outboxJSON struct {
	Counts     map[string]int  `json:"counts"`
	Items      []outboxMessage `json:"items"`
	NextCursor string          `json:"next_cursor"`
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
	q := url.Values{"limit": {"100"}}
	if state != "" {
		q.Set("state", state)
	}
	if cur := r.URL.Query().Get("cursor"); cur != "" {
		q.Set("cursor", cur)
	}
	var o outboxJSON
	res, err := p.get(r, "/api/v1/conferences/"+url.PathEscape(c.Slug)+"/outbox?"+q.Encode(), &o)
	if err != nil || !res.OK() {
		if !p.formFailed(w, r, v, res, err) {
			return
		}
	}
	v.Form = url.Values{"state": {state}}
	v.Data = map[string]any{"Outbox": o, "States": []string{"pending", "sending", "sent", "dead"}, "Q": q}
	if r.URL.Query().Get("retried") != "" {
		v.Notice = v.T("outbox_retried")
	}
	p.render(w, http.StatusOK, "staff_outbox", v)
}

// staffOutboxRetry puts a dead letter back in the queue.
func (p *Pages) staffOutboxRetry(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.staffConf(w, r)
	if !ok {
		return
	}
	base := "/staff/c/" + url.PathEscape(c.Slug) + "/outbox"
	res, err := p.api(r, http.MethodPost, "/api/v1/conferences/"+url.PathEscape(c.Slug)+"/outbox/"+url.PathEscape(r.PathValue("id"))+"/retry", map[string]any{})
	if err == nil && res.OK() {
		redirect(w, r, base+"?retried=1")
		return
	}
	if p.formFailed(w, r, v, res, err) {
		v.Data = map[string]string{"Back": base}
		p.render(w, res.Status, "staff_problem", v)
	}
}
