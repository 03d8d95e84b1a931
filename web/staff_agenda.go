package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// sessionKinds and sessionStatuses are the session choices of the agenda builder.
var (
	sessionKinds    = []string{"plenary", "commission", "workshop", "meeting", "break"}
	sessionStatuses = []string{"draft", "published", "cancelled"}
)

// conflict is one problem the API finds in the agenda.
type conflict struct {
	Kind       string   `json:"kind"`
	SessionIDs []string `json:"session_ids"`
	RoomID     string   `json:"room_id"`
	Room       string   `json:"room"`
	DelegateID string   `json:"delegate_id"`
	Delegate   string   `json:"delegate"`
	Role       string   `json:"role"`
	Detail     string   `json:"detail"`
}

// builderData is what the agenda builder shows.
type builderData struct {
	Sessions   []agendaSession
	Conflicts  map[string][]conflict
	Titles     map[string]string
	NConflicts int
	Location   *time.Location
	Kinds      []string
	Statuses   []string
	People     []delegate
	Editing    *agendaSession
	Released   string
}

// sessionBody is the JSON body of POST …/sessions and PATCH /sessions/{id}.
type sessionBody struct {
	Title       string   `json:"title"`
	Kind        string   `json:"kind"`
	Description string   `json:"description"`
	Room        string   `json:"room"`
	StartsAt    string   `json:"starts_at"`
	EndsAt      string   `json:"ends_at"`
	Capacity    int      `json:"capacity"`
	Languages   []string `json:"languages"`
	Interp      []string `json:"interpretation"`
	Track       string   `json:"track"`
	SpeakerIDs  []string `json:"speaker_ids"`
	ChairIDs    []string `json:"chair_ids"`
	Status      string   `json:"status,omitempty"`
}

// localLayout is the value format of <input type="datetime-local">.
const localLayout = "2006-01-02T15:04"

// sessionFromForm builds the API body from the builder form; times are read in the conference's
// time zone. Unreadable times and capacities become field errors.
func sessionFromForm(f url.Values, loc *time.Location, errs map[string]string, tr translator) sessionBody {
	b := sessionBody{Title: strings.TrimSpace(f.Get("title")), Kind: f.Get("kind"), Description: strings.TrimSpace(f.Get("description")),
		Room: strings.TrimSpace(f.Get("room")), Languages: nonNil(f["languages"]), Interp: nonNil(f["interpretation"]), Track: strings.TrimSpace(f.Get("track")),
		SpeakerIDs: nonNil(f["speaker_ids"]), ChairIDs: nonNil(f["chair_ids"]), Status: f.Get("status")}
	for name, dst := range map[string]*string{"starts_at": &b.StartsAt, "ends_at": &b.EndsAt} {
		t, err := time.ParseInLocation(localLayout, f.Get(name), loc)
		if err != nil {
			errs[name] = tr.T("form_bad_time")
			continue
		}
		*dst = t.UTC().Format(time.RFC3339)
	}
	if c := strings.TrimSpace(f.Get("capacity")); c != "" {
		n, err := strconv.Atoi(c)
		if err != nil || n < 0 {
			errs["capacity"] = tr.T("form_bad_number")
		}
		b.Capacity = n
	}
	return b
}

func nonNil(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

// sessionForm fills the builder form from an existing session.
func sessionForm(s *agendaSession, loc *time.Location) url.Values {
	f := url.Values{"title": {s.Title}, "kind": {s.Kind}, "description": {s.Description}, "room": {s.RoomName()},
		"starts_at": {s.StartsAt.In(loc).Format(localLayout)}, "ends_at": {s.EndsAt.In(loc).Format(localLayout)},
		"track": {s.Track}, "status": {s.Status}, "languages": s.Languages, "interpretation": s.Interpretation, "speaker_ids": s.SpeakerIDs, "chair_ids": s.ChairIDs}
	if s.Capacity > 0 {
		f.Set("capacity", strconv.Itoa(s.Capacity))
	}
	return f
}

// loadBuilder reads the sessions, conflicts and possible speakers of a conference.
func (p *Pages) loadBuilder(w http.ResponseWriter, r *http.Request, c *conference, v *view) (*builderData, bool) {
	base := "/api/v1/conferences/" + url.PathEscape(c.Slug)
	d := &builderData{Conflicts: map[string][]conflict{}, Titles: map[string]string{}, Location: c.Location(),
		Kinds: sessionKinds, Statuses: sessionStatuses}
	var ss list[agendaSession]
	res, err := p.get(r, base+"/sessions?limit=500", &ss)
	if err != nil || !res.OK() && res.Status != http.StatusNotImplemented {
		p.fail(w, r, v, res, err)
		return nil, false
	}
	if res.Status == http.StatusNotImplemented {
		v.Detail = v.T("err_not_built")
	}
	d.Sessions = ss.Items
	for _, s := range ss.Items {
		d.Titles[s.ID] = s.Title
	}
	var cs list[conflict]
	if res, err := p.get(r, base+"/agenda/conflicts", &cs); err == nil && res.OK() {
		d.NConflicts = len(cs.Items)
		for _, x := range cs.Items {
			for _, id := range x.SessionIDs {
				d.Conflicts[id] = append(d.Conflicts[id], x)
			}
		}
	}
	var people list[delegate]
	if res, err := p.get(r, base+"/delegates?status=approved&limit=500", &people); err == nil && res.OK() {
		d.People = people.Items
	}
	return d, true
}

// staffAgenda is the agenda builder: the sessions with their conflicts, a form to add one and the
// button that publishes a release.
func (p *Pages) staffAgenda(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.staffConf(w, r)
	if !ok {
		return
	}
	d, ok := p.loadBuilder(w, r, c, v)
	if !ok {
		return
	}
	v.Form = url.Values{"kind": {"plenary"}, "status": {"draft"}}
	d.Released = r.URL.Query().Get("released")
	switch {
	case d.Released != "":
		v.Notice = v.T("builder_released", "Number", d.Released)
	case r.URL.Query().Get("saved") != "":
		v.Notice = v.T("builder_saved")
	}
	v.Data = d
	p.render(w, http.StatusOK, "staff_agenda", v)
}

func (p *Pages) staffSessionCreate(w http.ResponseWriter, r *http.Request) {
	p.saveSession(w, r, "")
}

func (p *Pages) staffSessionUpdate(w http.ResponseWriter, r *http.Request) {
	p.saveSession(w, r, r.PathValue("id"))
}

// saveSession creates (id "") or changes a session from the builder form.
func (p *Pages) saveSession(w http.ResponseWriter, r *http.Request, id string) {
	c, v, ok := p.staffConf(w, r)
	if !ok || !p.parseForm(w, r, v) {
		return
	}
	body := sessionFromForm(v.Form, c.Location(), v.Errors, v.translator)
	page := "staff_agenda"
	if id != "" {
		page = "staff_session"
	}
	show := func(status int) {
		d, ok := p.loadBuilder(w, r, c, v)
		if !ok {
			return
		}
		if id != "" {
			d.Editing = &agendaSession{ID: id}
		}
		v.Data = d
		p.render(w, status, page, v)
	}
	if len(v.Errors) > 0 {
		v.Detail = v.T("err_fix_fields")
		show(http.StatusUnprocessableEntity)
		return
	}
	method, path := http.MethodPost, "/api/v1/conferences/"+url.PathEscape(c.Slug)+"/sessions"
	if id != "" {
		method, path = http.MethodPatch, "/api/v1/sessions/"+url.PathEscape(id)
	}
	res, err := p.api(r, method, path, body)
	if err == nil && res.OK() {
		redirect(w, r, "/staff/c/"+url.PathEscape(c.Slug)+"/agenda?saved=1")
		return
	}
	if p.formFailed(w, r, v, res, err) {
		show(res.Status)
	}
}

// staffSessionEdit shows the builder form for one session.
func (p *Pages) staffSessionEdit(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.staffConf(w, r)
	if !ok {
		return
	}
	d, ok := p.loadBuilder(w, r, c, v)
	if !ok {
		return
	}
	for i := range d.Sessions {
		if d.Sessions[i].ID == r.PathValue("id") {
			d.Editing = &d.Sessions[i]
		}
	}
	if d.Editing == nil {
		p.render(w, http.StatusNotFound, "notfound", v)
		return
	}
	v.Form = sessionForm(d.Editing, d.Location)
	v.Data = d
	p.render(w, http.StatusOK, "staff_session", v)
}

// staffSessionDelete deletes a session (the API refuses one that is part of a release).
func (p *Pages) staffSessionDelete(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.staffConf(w, r)
	if !ok {
		return
	}
	res, err := p.api(r, http.MethodDelete, "/api/v1/sessions/"+url.PathEscape(r.PathValue("id")), nil)
	back := "/staff/c/" + url.PathEscape(c.Slug) + "/agenda"
	if err == nil && res.OK() {
		redirect(w, r, back+"?saved=1")
		return
	}
	if p.formFailed(w, r, v, res, err) {
		v.Data = map[string]string{"Back": back}
		p.render(w, res.Status, "staff_problem", v)
	}
}

// staffRelease publishes the next agenda release.
func (p *Pages) staffRelease(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.staffConf(w, r)
	if !ok {
		return
	}
	res, err := p.api(r, http.MethodPost, "/api/v1/conferences/"+url.PathEscape(c.Slug)+"/agenda/releases", map[string]any{})
	back := "/staff/c/" + url.PathEscape(c.Slug) + "/agenda"
	if err == nil && res.OK() {
		var rel struct {
			Number int `json:"number"`
		}
		res.Decode(&rel)
		redirect(w, r, back+"?released="+strconv.Itoa(rel.Number))
		return
	}
	if p.formFailed(w, r, v, res, err) {
		v.Data = map[string]string{"Back": back}
		p.render(w, res.Status, "staff_problem", v)
	}
}
