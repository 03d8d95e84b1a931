package web

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/models"
)

// zones are the time zones offered to readers besides the conference's own and UTC: the
// countries the delegates typically come from, and a few far away.
var zones = []string{
	"UTC", "Europe/Lisbon", "Europe/London", "Europe/Dublin", "Europe/Paris", "Europe/Brussels", "Europe/Amsterdam",
	"Europe/Berlin", "Europe/Zurich", "Europe/Vienna", "Europe/Rome", "Europe/Madrid", "Europe/Stockholm", "Europe/Oslo",
	"Europe/Copenhagen", "Europe/Warsaw", "Europe/Prague", "Europe/Budapest", "Europe/Belgrade", "Europe/Athens",
	"Europe/Bucharest", "Europe/Sofia", "Europe/Helsinki", "Europe/Riga", "Europe/Vilnius", "Europe/Tallinn",
	"Europe/Kyiv", "Europe/Chisinau", "Europe/Minsk", "Europe/Moscow", "Europe/Istanbul", "Asia/Tbilisi", "Asia/Yerevan",
	"Asia/Baku", "Asia/Almaty", "Asia/Tashkent", "Asia/Bishkek", "Asia/Jerusalem", "Asia/Beirut", "Asia/Tehran",
	"Asia/Kolkata", "Asia/Shanghai", "Asia/Tokyo", "Africa/Cairo", "Africa/Johannesburg", "America/Sao_Paulo",
	"America/Buenos_Aires", "America/Mexico_City", "America/New_York", "America/Chicago", "America/Los_Angeles",
	"Australia/Sydney",
}

// validZone reports whether name is an IANA zone this host knows (never "Local").
func validZone(name string) bool {
	if name == "" || name == "Local" || len(name) > 64 {
		return false
	}
	_, err := time.LoadLocation(name)
	return err == nil
}

// readerLocation is the reader's time zone: the zw_tz cookie if valid, else the conference's.
func (p *Pages) readerLocation(r *http.Request, c *conference) *time.Location {
	if ck, err := r.Cookie(tzCookie); err == nil && validZone(ck.Value) {
		loc, _ := time.LoadLocation(ck.Value)
		return loc
	}
	return c.Location()
}

// agendaItem is one session of the agenda page, its text prepared once per rendering: times
// in the reader's zone, labels in the page language, people by the public rules.
type agendaItem struct {
	ID, Title, Kind, KindLabel, Description string
	Room                                    string
	Mine                                    string // the reader's sign-up: "confirmed", "waitlisted" or ""
	start, end                              time.Time
	StartISO, EndISO, Start, End            string
	Speakers, Chairs                        string
	Languages, Interpretation               string
}

// agendaRoom is one room's sessions on one day.
type agendaRoom struct {
	Name     string
	Sessions []agendaItem
}

// agendaDay is one day of the agenda in the reader's time zone: its sessions in time order, and
// the same sessions by room for the timetable.
type agendaDay struct {
	Label    string
	Sessions []agendaItem
	Rooms    []agendaRoom
	Grid     *timetable
}

// agendaLabels are the page's repeated words, translated once.
type agendaLabels struct {
	Speakers, Chairs, Languages, Interpretation, NoRoom, Attend, Room string
	Mine                                                              map[string]string // "confirmed"/"waitlisted" → label
}

// agendaData is what the agenda page shows.
type agendaData struct {
	Release   int
	Days      []agendaDay
	Zone      string
	Zones     []string
	ConfZone  string
	Published bool
	Slug      string
	Labels    agendaLabels
	CanAttend bool // the reader is an approved delegate of the conference
	ZoneName  string
	Webcal    template.URL // the agenda.ics feed as a webcal: link, for calendar apps to subscribe to
}

// groupAgenda sorts the release's sessions into days (in loc) and, within a day, rooms in name
// order, with every text the page shows already made (titles and descriptions in the page's
// language where the session is translated).
func groupAgenda(ag *domain.Agenda, loc *time.Location, tr translator) []agendaDay {
	confLoc := ag.Conference.Location()
	sessions := slices.Clone(ag.Snapshot.Sessions)
	slices.SortStableFunc(sessions, func(a, b models.SnapshotSession) int { return a.StartsAt.Compare(b.StartsAt) })
	kinds := map[string]string{}
	var days []agendaDay
	var last time.Time
	for i := range sessions {
		s := &sessions[i]
		start, end := s.StartsAt.In(loc), s.EndsAt.In(loc)
		day := time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, loc)
		if len(days) == 0 || !last.Equal(day) {
			days, last = append(days, agendaDay{Label: tr.Day(day)}), day
		}
		d := &days[len(days)-1]
		j := slices.IndexFunc(d.Rooms, func(r agendaRoom) bool { return r.Name == s.Room })
		if j < 0 {
			d.Rooms = append(d.Rooms, agendaRoom{Name: s.Room})
			j = len(d.Rooms) - 1
		}
		if _, ok := kinds[string(s.Kind)]; !ok && s.Kind != "" {
			kinds[string(s.Kind)] = tr.T(fmt.Sprintf("kind_%s", s.Kind))
		}
		item := agendaItem{ID: s.ID, Title: s.TitleIn(tr.Lang()), Kind: string(s.Kind), KindLabel: kinds[string(s.Kind)], Room: s.Room,
			Description: s.DescriptionIn(tr.Lang()), StartISO: s.StartsAt.In(confLoc).Format(time.RFC3339), EndISO: s.EndsAt.In(confLoc).Format(time.RFC3339),
			Start: start.Format("15:04"), End: end.Format("15:04"), Speakers: publicNames(s.Speakers, ag.People), Chairs: publicNames(s.Chairs, ag.People),
			Languages: langNames(s.Languages), Interpretation: langNames(s.Interpretation), start: start, end: end}
		d.Sessions = append(d.Sessions, item)
		d.Rooms[j].Sessions = append(d.Rooms[j].Sessions, item)
	}
	for i := range days {
		// Rooms in name order; sessions without a room (breaks, meals) last.
		slices.SortStableFunc(days[i].Rooms, func(a, b agendaRoom) int {
			if (a.Name == "") != (b.Name == "") {
				if a.Name == "" {
					return 1
				}
				return -1
			}
			return strings.Compare(a.Name, b.Name)
		})
		days[i].Grid = newTimetable(&days[i])
	}
	return days
}

// publicNames lists people as the public may see them, comma-separated.
func publicNames(ids []string, people map[string]models.AgendaPerson) string {
	var names []string
	for _, p := range domain.PublicPeople(ids, people) {
		names = append(names, p.String())
	}
	return strings.Join(names, ", ")
}

// agenda shows the latest agenda release by day and room, in the reader's time zone (chosen with
// ?tz= and remembered in a cookie; the conference's by default). Anonymous visitors get a page
// rendered once per agenda state, language, zone and query (see pageCache).
func (p *Pages) agenda(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.loadConference(w, r)
	if !ok {
		return
	}
	loc := p.readerLocation(r, c)
	if tz := r.URL.Query().Get("tz"); tz != "" {
		if !validZone(tz) {
			v.Notice = v.T("agenda_bad_zone")
		} else {
			http.SetCookie(w, p.cookie(tzCookie, tz, 365*24*3600))
			loc, _ = time.LoadLocation(tz)
		}
	}
	ag, err := p.dom.PublishedAgenda(r.Context(), c.Slug)
	if err != nil && !errors.Is(err, domain.ErrNoRelease) {
		p.failed(w, r, v, err)
		return
	}
	key := ""
	if ag != nil && v.Who == "" && v.Notice == "" {
		key = strings.Join([]string{ag.Key, strconv.FormatBool(c.RegistrationOpen), v.lang, loc.String(), r.URL.RawQuery}, "\x00")
		if body, ok := p.agendaPages.get(key); ok {
			writeHTML(w, body)
			return
		}
	}
	d := agendaData{Zone: loc.String(), ConfZone: c.Timezone, Slug: c.Slug,
		Labels: agendaLabels{Speakers: v.T("agenda_speakers"), Chairs: v.T("agenda_chairs"), Languages: v.T("field_languages"),
			Interpretation: v.T("agenda_interpretation"), NoRoom: v.T("agenda_no_room"), Attend: v.T("agenda_attend"), Room: v.T("field_room"),
			Mine: map[string]string{"confirmed": v.T("agenda_mine_confirmed"), "waitlisted": v.T("agenda_mine_waitlisted")}},
		ZoneName: v.ZoneName(loc.String()), Webcal: webcal(p.cfg.BaseURL, "/c/"+url.PathEscape(c.Slug)+"/agenda.ics")}
	d.Zones = append([]string{c.Timezone}, zones...)
	if !slices.Contains(d.Zones, d.Zone) {
		d.Zones = append(d.Zones, d.Zone)
	}
	d.Zones = slices.Compact(d.Zones)
	if ag != nil {
		d.Published, d.Release, d.Days = true, ag.Release.Number, groupAgenda(ag, loc, v.translator)
		if v.Who == "delegate" {
			d.CanAttend = p.markMine(r, c, d.Days)
		}
	}
	v.Data = d
	if key == "" {
		p.render(w, http.StatusOK, "agenda", v)
		return
	}
	// Visitors who arrive together wait for one rendering.
	body, err, _ := p.agendaPages.flight.Do(key, func() (any, error) {
		body, err := p.renderBytes("agenda", http.StatusOK, v)
		if err == nil {
			p.agendaPages.put(key, body)
		}
		return body, err
	})
	if err != nil {
		p.log.Error("render page", "page", "agenda", "err", err)
		http.Error(w, "the page could not be shown", http.StatusInternalServerError)
		return
	}
	writeHTML(w, body.([]byte))
}

// agendaAttend signs the signed-in delegate up for a session (a place or the waiting list; the
// outcome is mailed) and goes on to their page. A sign-up that exists already, or a session that
// was cancelled meanwhile, also goes there.
func (p *Pages) agendaAttend(w http.ResponseWriter, r *http.Request) {
	v := p.newView(w, r, nil)
	if sessionToken(r) == "" {
		v.Detail = v.T("err_login_needed")
		p.render(w, http.StatusUnauthorized, "error", v)
		return
	}
	_, err := p.dom.AttendSession(r.Context(), p.actor(r), r.PathValue("id"))
	if e, ok := models.Classify(err); err == nil || ok && e.Kind == models.KindConflict {
		redirect(w, r, "/me?signed=1")
		return
	}
	if status, ok := p.formError(w, r, v, err); ok {
		v.Data = map[string]string{"Back": "/c/" + url.PathEscape(r.PathValue("slug")) + "/agenda"}
		p.render(w, status, "staff_problem", v)
	}
}

// pageCache keeps rendered pages for anonymous visitors by a key that names everything they
// show; it holds at most maxCachedPages and starts afresh when full (a new release or people
// change makes new keys, so old ones are dropped that way).
type pageCache struct {
	mu     sync.Mutex
	pages  map[string][]byte
	flight singleflight.Group
}

const maxCachedPages = 64

func (c *pageCache) get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.pages[key]
	return b, ok
}

func (c *pageCache) put(key string, body []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pages == nil || len(c.pages) >= maxCachedPages {
		c.pages = map[string][]byte{}
	}
	c.pages[key] = body
}

// renderBytes renders a page to bytes, for pages that keep what they rendered.
func (p *Pages) renderBytes(name string, status int, v *view) ([]byte, error) {
	v.Status = status
	var buf bytes.Buffer
	if err := p.tmpl[name].Execute(&buf, v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeHTML answers 200 with a rendered page.
func writeHTML(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

// markMine marks the signed-in delegate's own sign-ups on the agenda and reports whether they
// may sign up at all (approved delegates of this conference only: nobody is offered a button
// that cannot work).
func (p *Pages) markMine(r *http.Request, c *conference, days []agendaDay) bool {
	a := p.actor(r)
	if a.Delegate == nil || a.Delegate.ConferenceID != c.ID {
		return false
	}
	as, err := p.dom.Store().DelegateAttendances(r.Context(), a.Delegate.ID)
	if err != nil {
		p.log.Warn("agenda sign-ups", "err", err)
	}
	mine := map[string]string{}
	for _, at := range as {
		mine[at.SessionID] = string(at.Status)
	}
	for i := range days {
		for j := range days[i].Sessions {
			days[i].Sessions[j].Mine = mine[days[i].Sessions[j].ID]
		}
		days[i].Grid = newTimetable(&days[i])
		for _, row := range daysGridCells(days[i].Grid) {
			for k := range row.Sessions {
				row.Sessions[k].Mine = mine[row.Sessions[k].ID]
			}
		}
	}
	return a.Delegate.Status == models.DelegateApproved
}

// daysGridCells lists the timetable's cells that hold sessions.
func daysGridCells(t *timetable) []*timetableCell {
	if t == nil {
		return nil
	}
	var out []*timetableCell
	for _, r := range t.Rows {
		for _, c := range r.Cells {
			if c != nil && len(c.Sessions) > 0 {
				out = append(out, c)
			}
		}
	}
	return out
}

// webcal turns a feed's address into a webcal: link (calendar apps subscribe to it and fetch it
// again; webcal means http(s) to them).
func webcal(base, path string) template.URL {
	host := strings.TrimPrefix(strings.TrimPrefix(base, "https://"), "http://")
	return template.URL("webcal://" + host + path) // #nosec: base URL from the configuration, path escaped
}
