package web

import (
	"html/template"
	"net/http"
	"time"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/models"
)

// conference is the API's view of a conference.
type conference struct {
	models.Conference
	RegistrationOpen bool // at the time the page was made
}

// conferenceOf is the view of c at now.
func conferenceOf(c *models.Conference, now time.Time) *conference {
	return &conference{Conference: *c, RegistrationOpen: c.RegistrationOpen(now)}
}

// Starts is the first day of the conference.
func (c *conference) Starts() time.Time { return c.StartsOn }

// Ends is the last day of the conference.
func (c *conference) Ends() time.Time { return c.EndsOn }

// RegistrationNotYet reports whether registration opens in the future.
func (c *conference) RegistrationNotYet() bool {
	return c.RegistrationOpensAt != nil && time.Now().Before(*c.RegistrationOpensAt)
}

// loadConference fetches the conference of the {slug} path value and prepares the view; on
// failure it has already answered.
func (p *Pages) loadConference(w http.ResponseWriter, r *http.Request) (*conference, *view, bool) {
	m, err := p.dom.Conference(r.Context(), r.PathValue("slug"))
	if err != nil {
		p.failed(w, r, nil, err)
		return nil, nil, false
	}
	c := conferenceOf(m, p.dom.Now())
	return c, p.newView(w, r, c), true
}

// conferences lists every conference, as views.
func (p *Pages) conferences(r *http.Request) ([]conference, error) {
	ms, err := p.dom.Store().ListConferences(r.Context())
	if err != nil {
		return nil, err
	}
	now := p.dom.Now()
	out := make([]conference, len(ms))
	for i := range ms {
		out[i] = *conferenceOf(&ms[i], now)
	}
	return out, nil
}

func (p *Pages) home(w http.ResponseWriter, r *http.Request) {
	cs, err := p.conferences(r)
	if err != nil {
		p.failed(w, r, nil, err)
		return
	}
	v := p.newView(w, r, nil)
	v.Data = cs
	p.render(w, http.StatusOK, "home", v)
}

func (p *Pages) conference(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.loadConference(w, r)
	if !ok {
		return
	}
	orgs, err := p.dom.ListOrganisations(r.Context(), p.actor(r), c.Slug, "")
	if err != nil {
		p.failed(w, r, v, err)
		return
	}
	v.Data = orgs
	p.render(w, http.StatusOK, "conference", v)
}

// participantsData is one page of the public participants list.
type participantsData struct {
	Items      []models.Participant
	NextCursor string
	Tier       bool // the reader is an approved delegate: those who show to participants are listed too
}

// participants is the public list (domain.Service.ParticipantsFor): only what each delegate
// chose to show.
func (p *Pages) participants(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.loadConference(w, r)
	if !ok {
		return
	}
	pg, err := models.ParseParticipantPage(200, r.URL.Query().Get("cursor"))
	var ps []models.Participant
	var d participantsData
	if err == nil {
		ps, d.Tier, err = p.dom.ParticipantsFor(r.Context(), p.actor(r), c.Slug, pg)
	}
	if err != nil {
		p.failed(w, r, v, err)
		return
	}
	d.Items = ps
	if len(ps) == pg.Limit {
		d.NextCursor = models.EncodeParticipantCursor(ps[len(ps)-1])
	}
	v.Data = d
	p.render(w, http.StatusOK, "participants", v)
}

// statement is a position statement as the pages show it: as the visitor may see it.
type statement struct{ domain.StatementView }

// HTML is the statement body as the domain rendered and sanitised it: the only statement HTML
// the pages show unescaped.
func (s statement) HTML() template.HTML { return template.HTML(s.BodyHTML) }

func (p *Pages) statements(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.loadConference(w, r)
	if !ok {
		return
	}
	p.statementsPage(w, r, p.actor(r), c, v, http.StatusOK)
}

func (p *Pages) statement(w http.ResponseWriter, r *http.Request) {
	v, d, ok := p.loadStatement(w, r)
	if !ok {
		return
	}
	if id, ok := statementNotices[r.URL.Query().Get("done")]; ok {
		v.Notice = v.T(id)
	}
	p.renderStatement(w, v, d, http.StatusOK)
}

// conferenceByID finds a conference among all of them (nil if none has the ID).
func (p *Pages) conferenceByID(r *http.Request, id string) *conference {
	m, err := p.dom.Store().ConferenceByID(r.Context(), id)
	if err != nil {
		return nil
	}
	return conferenceOf(m, p.dom.Now())
}
