package api

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/internal/ical"
	"github.com/zimmerwald/zimmerwald/models"
)

// icsFilter selects the sessions of a personal feed and marks a waitlisted place as tentative.
type icsFilter struct {
	delegateID string
	signedUp   map[string]string // session ID → attendance status
	online     map[string]string // session ID → online link the delegate may have
	lang       string            // the delegate's mail language: titles and descriptions in it where translated
}

func (f *icsFilter) keep(ss *models.SnapshotSession) bool {
	if _, ok := f.signedUp[ss.ID]; ok {
		return true
	}
	if _, ok := f.online[ss.ID]; ok {
		return true
	}
	for _, id := range ss.People() {
		if id == f.delegateID {
			return true
		}
	}
	return false
}

// renderICS writes the release (or, with a filter, one delegate's part of it) as RFC 5545
// iCalendar: CRLF lines folded at 75 octets, escaped text, a VTIMEZONE for the conference's zone
// covering every event, local times with TZID, and UIDs that stay the same across releases.
// From hist each event takes its SEQUENCE (raised only by releases that changed it) and
// LAST-MODIFIED; sessions dropped by an earlier release stay as STATUS:CANCELLED so that
// subscribed calendars remove them.
func (s *Server) renderICS(doc *releaseDoc, people map[string]models.AgendaPerson, hist map[string]models.SessionHistory, f *icsFilter) []byte {
	conf, loc := &doc.conf, doc.conf.Location()
	var keep func(*models.SnapshotSession) bool
	if f != nil {
		keep = f.keep
	}
	sessions := doc.sessionsOf(keep)
	var cancelled []*models.SnapshotSession
	for _, h := range hist {
		if h.Cancelled && (keep == nil || keep(&h.Last)) {
			cancelled = append(cancelled, &h.Last)
		}
	}
	slices.SortFunc(cancelled, func(a, b *models.SnapshotSession) int {
		if c := a.StartsAt.Compare(b.StartsAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	from, to := models.ConferenceWindow(conf)
	for _, ss := range slices.Concat(sessions, cancelled) {
		if ss.StartsAt.Before(from) {
			from = ss.StartsAt
		}
		if ss.EndsAt.After(to) {
			to = ss.EndsAt
		}
	}
	host := "zimmerwald"
	if u, err := url.Parse(s.cfg.BaseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	w := &ical.Writer{}
	w.Begin("VCALENDAR")
	w.Raw("VERSION", "2.0")
	w.Raw("PRODID", "-//Zimmerwald//Agenda//EN")
	w.Raw("CALSCALE", "GREGORIAN")
	w.Raw("METHOD", "PUBLISH")
	w.Text("X-WR-CALNAME", conf.Title)
	w.Text("X-WR-TIMEZONE", loc.String())
	w.Raw("REFRESH-INTERVAL", "PT1H", "VALUE=DURATION")
	w.Raw("X-PUBLISHED-TTL", "PT1H")
	// Start half a year early so that zones with daylight saving time show both observances.
	w.Timezone(loc, from.AddDate(0, -6, 0), to)
	tzid := "TZID=" + loc.String()
	for i, ss := range slices.Concat(sessions, cancelled) {
		h, ok := hist[ss.ID]
		if !ok {
			h.Modified = doc.created.CreatedAt
		}
		w.Begin("VEVENT")
		w.Raw("UID", ss.ID+"@"+host)
		w.Raw("DTSTAMP", ical.UTCTime(doc.created.CreatedAt))
		w.Raw("LAST-MODIFIED", ical.UTCTime(h.Modified))
		w.Raw("SEQUENCE", strconv.Itoa(h.Sequence))
		w.Raw("DTSTART", ical.LocalTime(ss.StartsAt.In(loc)), tzid)
		w.Raw("DTEND", ical.LocalTime(ss.EndsAt.In(loc)), tzid)
		title, desc := ss.Title, icsDescription(ss, ss.Description, people)
		if f != nil {
			title, desc = ss.TitleIn(f.lang), icsDescription(ss, ss.DescriptionIn(f.lang), people)
		}
		w.Text("SUMMARY", title)
		if ss.Room != "" {
			w.Text("LOCATION", ss.Room)
		}
		if desc != "" {
			w.Text("DESCRIPTION", desc)
		}
		w.Text("CATEGORIES", string(ss.Kind))
		status := "CONFIRMED"
		switch {
		case i >= len(sessions):
			status = "CANCELLED"
		case f != nil && f.signedUp[ss.ID] == string(models.AttendanceWaitlisted):
			status = "TENTATIVE"
		}
		w.Raw("STATUS", status)
		w.Raw("TRANSP", "OPAQUE")
		w.Raw("URL", s.link("/c/"+url.PathEscape(conf.Slug)+"#session-"+ss.ID))
		if f != nil && f.online[ss.ID] != "" {
			w.Raw("CONFERENCE", f.online[ss.ID], "VALUE=URI", "FEATURE=VIDEO,AUDIO")
		}
		w.End("VEVENT")
	}
	w.End("VCALENDAR")
	return w.Bytes()
}

// icsDescription is the session's description (given, in the feed's language) followed by who
// speaks and chairs, by the public rules.
func icsDescription(ss *models.SnapshotSession, description string, people map[string]models.AgendaPerson) string {
	parts := []string{}
	if d := strings.TrimSpace(description); d != "" {
		parts = append(parts, d)
	}
	for _, line := range []struct {
		label string
		ids   []string
	}{{"Speakers", ss.Speakers}, {"Chairs", ss.Chairs}} {
		var names []string
		for _, p := range domain.PublicPeople(line.ids, people) {
			names = append(names, p.String())
		}
		if len(names) > 0 {
			parts = append(parts, line.label+": "+strings.Join(names, "; "))
		}
	}
	return strings.Join(parts, "\n\n")
}

// feedICS serves a delegate's personal calendar at their secret address: the sessions of the
// latest release they speak in, chair or signed up for, titled in the delegate's language. Before the first release the calendar is
// empty. An unknown or revoked address is a 404.
func (s *Server) feedICS(c *gin.Context) error {
	feed, err := s.dom.FeedBySecret(c.Request.Context(), c.Param("token"))
	if err != nil {
		return err
	}
	f := &icsFilter{delegateID: feed.Delegate.ID, signedUp: feed.SignedUp, online: feed.Online, lang: feed.Delegate.Lang()}
	doc := docOf(feed.Agenda)
	hist, err := s.dom.AgendaHistory(c.Request.Context(), doc.conf.ID, doc.number)
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "private, no-store")
	c.Data(http.StatusOK, "text/calendar; charset=utf-8", s.renderICS(doc, feed.Agenda.People, hist, f))
	return nil
}
