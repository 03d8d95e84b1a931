package web

import (
	"errors"
	"net/http"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/models"
)

// sessionData is what a session's own page shows: the session as the latest release has it.
type sessionData struct {
	Day       string
	Session   agendaItem
	Labels    agendaLabels
	Slug      string
	CanAttend bool
	ZoneName  string
}

// agendaSession is the page of one session of the published agenda (its address is stable, so
// mails and calendars can link to it), in the reader's time zone, with the sign-up button for
// approved delegates who have not signed up.
func (p *Pages) agendaSession(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.loadConference(w, r)
	if !ok {
		return
	}
	ag, err := p.dom.PublishedAgenda(r.Context(), c.Slug)
	if errors.Is(err, domain.ErrNoRelease) {
		err = models.ErrNotFound
	}
	if err != nil {
		p.failed(w, r, v, err)
		return
	}
	loc := p.readerLocation(r, c)
	days := groupAgenda(ag, loc, v.translator)
	d := sessionData{Slug: c.Slug, ZoneName: v.ZoneName(loc.String()),
		Labels: agendaLabels{Speakers: v.T("agenda_speakers"), Chairs: v.T("agenda_chairs"), Languages: v.T("field_languages"),
			Interpretation: v.T("agenda_interpretation"), NoRoom: v.T("agenda_no_room"), Attend: v.T("agenda_attend"), Room: v.T("field_room"),
			Mine: map[string]string{"confirmed": v.T("agenda_mine_confirmed"), "waitlisted": v.T("agenda_mine_waitlisted")}}}
	if v.Who == "delegate" {
		d.CanAttend = p.markMine(r, c, days)
	}
	found := false
	for _, day := range days {
		for _, s := range day.Sessions {
			if s.ID == r.PathValue("id") {
				d.Day, d.Session, found = day.Label, s, true
			}
		}
	}
	if !found {
		p.render(w, http.StatusNotFound, "notfound", v)
		return
	}
	v.Data = d
	p.render(w, http.StatusOK, "session", v)
}
