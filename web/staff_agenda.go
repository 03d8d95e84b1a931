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

// sessionKinds and sessionStatuses are the session choices of the agenda builder.
var (
	sessionKinds    = []string{"plenary", "commission", "workshop", "meeting", "break"}
	sessionStatuses = []string{"draft", "published", "cancelled"}
)

// conflict is one problem the domain finds in the agenda, as the builder shows it.
type conflict struct {
	Kind       string
	SessionIDs []string
	Room       string
	Delegate   string
	Detail     string
}

// builderData is what the agenda builder shows.
type builderData struct {
	Sessions   []models.Session
	Conflicts  map[string][]conflict
	Titles     map[string]string
	NConflicts int
	Location   *time.Location
	Kinds      []string
	Statuses   []string
	People     []domain.PersonChoice
	Statements []domain.StatementChoice // statements a session may debate
	Editing    *models.Session
	Released   string
	Pending    []models.AgendaChange // what publishing a release now would announce
}

// localLayout is the value format of <input type="datetime-local">.
const localLayout = "2006-01-02T15:04"

// sessionFromForm builds the operation's input from the builder form; times are read in the
// conference's time zone, and the title_<lang>/description_<lang> fields of the conference's
// languages replace the translations. Unreadable times and capacities become field errors.
func sessionFromForm(f url.Values, c *conference, errs map[string]string, tr translator) domain.SessionInput {
	loc := c.Location()
	text := func(name string) *string { s := strings.TrimSpace(f.Get(name)); return &s }
	kind, status := f.Get("kind"), f.Get("status")
	in := domain.SessionInput{Title: text("title"), Kind: &kind, Description: text("description"), Room: text("room"), Track: text("track"),
		Languages: nonNil(f["languages"]), Interpretation: nonNil(f["interpretation"]), SpeakerIDs: nonNil(f["speaker_ids"]), ChairIDs: nonNil(f["chair_ids"])}
	if f.Get("statements_shown") != "" { // the form offered statements: its choice replaces the links
		in.StatementIDs = nonNil(f["statement_ids"])
	}
	if status != "" {
		in.Status = &status
	}
	in.Translations = map[string]models.SessionText{}
	for _, l := range c.Languages {
		if t, d := strings.TrimSpace(f.Get("title_"+l)), strings.TrimSpace(f.Get("description_"+l)); t != "" || d != "" {
			in.Translations[l] = models.SessionText{Title: t, Description: d}
		}
	}
	for name, dst := range map[string]**string{"starts_at": &in.StartsAt, "ends_at": &in.EndsAt} {
		t, err := time.ParseInLocation(localLayout, f.Get(name), loc)
		if err != nil {
			errs[name] = tr.T("form_bad_time")
			continue
		}
		at := t.UTC().Format(time.RFC3339)
		*dst = &at
	}
	n := 0
	if c := strings.TrimSpace(f.Get("capacity")); c != "" {
		var err error
		if n, err = strconv.Atoi(c); err != nil || n < 0 {
			errs["capacity"] = tr.T("form_bad_number")
		}
	}
	in.Capacity = &n
	return in
}

func nonNil(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

// sessionForm fills the builder form from an existing session.
func sessionForm(s *models.Session, loc *time.Location) url.Values {
	f := url.Values{"title": {s.Title}, "kind": {string(s.Kind)}, "description": {s.Description}, "room": {s.RoomName},
		"starts_at": {s.StartsAt.In(loc).Format(localLayout)}, "ends_at": {s.EndsAt.In(loc).Format(localLayout)},
		"track": {s.Track}, "status": {string(s.Status)}, "languages": s.Languages, "interpretation": s.Interpretation, "speaker_ids": s.SpeakerIDs, "chair_ids": s.ChairIDs,
		"statement_ids": s.StatementIDs}
	if s.Capacity > 0 {
		f.Set("capacity", strconv.Itoa(s.Capacity))
	}
	for l, t := range s.Translations {
		f.Set("title_"+l, t.Title)
		f.Set("description_"+l, t.Description)
	}
	return f
}

// loadBuilder reads the sessions, conflicts and possible speakers of a conference.
func (p *Pages) loadBuilder(w http.ResponseWriter, r *http.Request, c *conference, v *view) (*builderData, bool) {
	b, err := p.dom.StaffSessions(r.Context(), p.actor(r), c.Slug)
	if err != nil {
		p.failed(w, r, v, err)
		return nil, false
	}
	d := &builderData{Sessions: b.Sessions, Conflicts: map[string][]conflict{}, Titles: map[string]string{}, Location: c.Location(),
		Kinds: sessionKinds, Statuses: sessionStatuses, People: b.People, Statements: b.Statements, NConflicts: len(b.Conflicts)}
	for _, s := range b.Sessions {
		d.Titles[s.ID] = s.Title
	}
	for _, x := range b.Conflicts {
		cf := conflict{Kind: string(x.Kind), SessionIDs: x.SessionIDs, Room: b.Rooms[x.RoomID]}
		for _, id := range x.SessionIDs {
			d.Conflicts[id] = append(d.Conflicts[id], cf)
		}
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
	if pending, err := p.dom.PendingChanges(r.Context(), p.actor(r), c.Slug); err == nil {
		d.Pending = pending
	} else {
		p.failed(w, r, v, err)
		return
	}
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
	in := sessionFromForm(v.Form, c, v.Errors, v.translator)
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
			d.Editing = &models.Session{ID: id}
		}
		v.Data = d
		p.render(w, status, page, v)
	}
	if len(v.Errors) > 0 {
		v.Detail = v.T("err_fix_fields")
		show(http.StatusUnprocessableEntity)
		return
	}
	ctx, a := r.Context(), p.actor(r)
	var err error
	if id == "" {
		_, err = p.dom.CreateSession(ctx, a, c.Slug, in)
	} else {
		_, err = p.dom.UpdateSession(ctx, a, id, in)
	}
	if err == nil {
		redirect(w, r, "/staff/c/"+url.PathEscape(c.Slug)+"/agenda?saved=1")
		return
	}
	if status, ok := p.formError(w, r, v, err); ok {
		show(status)
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
	back := "/staff/c/" + url.PathEscape(c.Slug) + "/agenda"
	err := p.dom.DeleteSession(r.Context(), p.actor(r), r.PathValue("id"))
	if err == nil {
		redirect(w, r, back+"?saved=1")
		return
	}
	if status, ok := p.formError(w, r, v, err); ok {
		v.Data = map[string]string{"Back": back}
		p.render(w, status, "staff_problem", v)
	}
}

// staffRelease publishes the next agenda release.
func (p *Pages) staffRelease(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.staffConf(w, r)
	if !ok {
		return
	}
	back := "/staff/c/" + url.PathEscape(c.Slug) + "/agenda"
	rel, err := p.dom.PublishRelease(r.Context(), p.actor(r), c.Slug)
	if err == nil {
		redirect(w, r, back+"?released="+strconv.Itoa(rel.Release.Number))
		return
	}
	if status, ok := p.formError(w, r, v, err); ok {
		v.Data = map[string]string{"Back": back}
		p.render(w, status, "staff_problem", v)
	}
}
