package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/models"
)

// liveData is the projector page: the live view and the time left of the current turn when the
// page was made (the script counts it down and follows the stream).
type liveData struct {
	*domain.LiveView
	SecondsLeft int
	Stream      string
}

// TimeLeft is the time left of the current turn as m:ss ("0:00" when over).
func (d liveData) TimeLeft() string { return clock(d.SecondsLeft) }

func clock(s int) string {
	if s < 0 {
		s = 0
	}
	return strconv.Itoa(s/60) + ":" + strconv.Itoa(s%60/10) + strconv.Itoa(s%10)
}

// live is the projector page /c/{slug}/live (domain.Service.Live): large type, the current
// speaker and time left, the queue, the ballot. Without JavaScript it reloads itself.
func (p *Pages) live(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.loadConference(w, r)
	if !ok {
		return
	}
	lv, err := p.dom.Live(r.Context(), c.Slug)
	if err != nil {
		p.failed(w, r, v, err)
		return
	}
	d := liveData{LiveView: lv, Stream: "/c/" + url.PathEscape(c.Slug) + "/live/stream"}
	if lv.Speakers != nil && lv.Speakers.Current != nil && lv.Speakers.Current.EndsAt != nil {
		d.SecondsLeft = int(time.Until(*lv.Speakers.Current.EndsAt).Seconds())
	}
	w.Header().Set("Cache-Control", "no-store")
	if r.URL.Query().Get("asked") == "1" {
		v.Notice = v.T("live_asked")
	}
	v.Data = d
	p.render(w, http.StatusOK, "live", v)
}

// liveSpeak puts the signed-in delegate on the live item's list of speakers
// (domain.Service.RequestToSpeak), from a phone in the hall or from afar; "withdraw" takes them
// off again (domain.Service.WithdrawRequest).
func (p *Pages) liveSpeak(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.loadConference(w, r)
	if !ok || !p.parseForm(w, r, v) {
		return
	}
	a, item := p.actor(r), r.PostFormValue("item_id")
	back, done := "/c/"+url.PathEscape(c.Slug)+"/live", "?asked=1"
	var err error
	switch r.PathValue("action") {
	case "withdraw":
		err, done = p.dom.WithdrawRequest(r.Context(), a, item), ""
	case "speak":
		_, err = p.dom.RequestToSpeak(r.Context(), a, item, r.PostFormValue("point_of_order") == checkboxValue)
	default:
		p.notFound(w, r)
		return
	}
	if err == nil {
		redirect(w, r, back+done)
		return
	}
	if status, ok := p.formError(w, r, v, err); ok {
		v.Data = map[string]string{"Back": back}
		p.render(w, status, "staff_problem", v)
	}
}

// chairData is the chair's console of one session: its items, and the list of the chosen item.
type chairData struct {
	Session *models.Session
	Items   []models.AgendaItem
	List    *domain.SpeakerListView
	Action  string // the form actions' prefix of the chosen item
}

// staffChair is the chair's console: the session's agenda items, a form to add one, and for the
// chosen item (?item=) its list of speakers with the chair's controls.
func (p *Pages) staffChair(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.staffConf(w, r)
	if !ok {
		return
	}
	a := p.actor(r)
	if err := a.RequireStaffIn(c.ID, domain.Organisers...); err != nil {
		p.failed(w, r, v, err)
		return
	}
	sess, err := p.dom.VisibleSession(r.Context(), a, r.PathValue("id"))
	if err == nil && sess.ConferenceID != c.ID {
		err = models.ErrNotFound
	}
	if err != nil {
		p.failed(w, r, v, err)
		return
	}
	d := chairData{Session: sess}
	if d.Items, err = p.dom.Items(r.Context(), a, sess.ID); err != nil {
		p.failed(w, r, v, err)
		return
	}
	item := r.URL.Query().Get("item")
	if item == "" && len(d.Items) > 0 {
		item = d.Items[0].ID
	}
	if item != "" {
		if d.List, err = p.dom.SpeakerList(r.Context(), a, item); err != nil {
			p.failed(w, r, v, err)
			return
		}
		d.Action = "/staff/c/" + url.PathEscape(c.Slug) + "/items/" + url.PathEscape(item) + "/chair/"
	}
	v.Data = d
	p.render(w, http.StatusOK, "staff_chair", v)
}

// staffItemCreate adds an agenda item to a session from the console (domain.Service.CreateItem).
func (p *Pages) staffItemCreate(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.staffConf(w, r)
	if !ok {
		return
	}
	back := "/staff/c/" + url.PathEscape(c.Slug) + "/sessions/" + url.PathEscape(r.PathValue("id")) + "/chair"
	it, err := p.dom.CreateItem(r.Context(), p.actor(r), r.PathValue("id"), itemForm(r))
	p.itemSaved(w, r, v, back, it, err)
}

// staffItemUpdate changes an agenda item's title, kind or speaking time from the chair's console
// (domain.Service.UpdateItem, as PATCH /api/v1/items/{id}).
func (p *Pages) staffItemUpdate(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.staffConf(w, r)
	if !ok {
		return
	}
	it, err := p.dom.UpdateItem(r.Context(), p.actor(r), r.PathValue("id"), itemForm(r))
	p.itemSaved(w, r, v, "/staff/c/"+url.PathEscape(c.Slug)+"/agenda", it, err)
}

// itemForm reads an agenda item's fields from a form; a field the form does not carry is left
// as it is.
func itemForm(r *http.Request) domain.ItemInput {
	var in domain.ItemInput
	_ = r.ParseForm() // a body that does not parse leaves every field as it is
	if _, ok := r.PostForm["title"]; ok {
		title := r.PostFormValue("title")
		in.Title = &title
	}
	if _, ok := r.PostForm["kind"]; ok {
		kind := r.PostFormValue("kind")
		in.Kind = &kind
	}
	if s := r.PostFormValue("speaking_time_seconds"); s != "" {
		n, _ := strconv.Atoi(s)
		in.SpeakingTimeSeconds = &n
	}
	return in
}

// itemSaved shows the chair's console on the saved item, or the problem with a way back.
func (p *Pages) itemSaved(w http.ResponseWriter, r *http.Request, v *view, back string, it *models.AgendaItem, err error) {
	if err == nil {
		redirect(w, r, "/staff/c/"+url.PathEscape(v.Conf.Slug)+"/sessions/"+url.PathEscape(it.SessionID)+"/chair?item="+url.QueryEscape(it.ID))
		return
	}
	if status, ok := p.formError(w, r, v, err); ok {
		v.Data = map[string]string{"Back": back}
		p.render(w, status, "staff_problem", v)
	}
}

// staffChairAction runs one of the chair's controls (domain.Service.Chair) and shows the console
// again.
func (p *Pages) staffChairAction(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.staffConf(w, r)
	if !ok {
		return
	}
	seconds, _ := strconv.Atoi(r.PostFormValue("seconds"))
	l, err := p.dom.Chair(r.Context(), p.actor(r), r.PathValue("id"), domain.ChairAction(r.PathValue("action")), seconds)
	if err == nil {
		redirect(w, r, "/staff/c/"+url.PathEscape(c.Slug)+"/sessions/"+url.PathEscape(l.Item.SessionID)+"/chair?item="+url.QueryEscape(l.Item.ID))
		return
	}
	if status, ok := p.formError(w, r, v, err); ok {
		v.Data = map[string]string{"Back": "/staff/c/" + url.PathEscape(c.Slug) + "/agenda"}
		p.render(w, status, "staff_problem", v)
	}
}
