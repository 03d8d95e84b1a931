package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
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

// agendaSession is one session as the agenda API shows it.
type agendaSession struct {
	ID             string            `json:"id"`
	Title          string            `json:"title"`
	Kind           string            `json:"kind"`
	Description    string            `json:"description"`
	Room           json.RawMessage   `json:"room"`
	StartsAt       time.Time         `json:"starts_at"`
	EndsAt         time.Time         `json:"ends_at"`
	Languages      []string          `json:"languages"`
	Interpretation []string          `json:"interpretation"`
	Track          string            `json:"track"`
	Status         string            `json:"status"`
	Capacity       int               `json:"capacity"`
	Speakers       []json.RawMessage `json:"speakers"`
	Chairs         []json.RawMessage `json:"chairs"`
	SpeakerIDs     []string          `json:"speaker_ids"`
	ChairIDs       []string          `json:"chair_ids"`
	StatementIDs   []string          `json:"statement_ids"`
}

// RoomName is the session's room whether the API sends a name or an object.
func (s *agendaSession) RoomName() string {
	var name string
	if json.Unmarshal(s.Room, &name) == nil {
		return name
	}
	var obj struct {
		Name string `json:"name"`
	}
	json.Unmarshal(s.Room, &obj)
	return obj.Name
}

// SpeakerNames and ChairNames are the people the API names (it names only public delegates).
func (s *agendaSession) SpeakerNames() []string { return personNames(s.Speakers) }

// ChairNames lists the named chairs.
func (s *agendaSession) ChairNames() []string { return personNames(s.Chairs) }

func personNames(raw []json.RawMessage) []string {
	var out []string
	for _, x := range raw {
		var name string
		if json.Unmarshal(x, &name) == nil && name != "" {
			out = append(out, name)
			continue
		}
		var ref struct {
			DisplayName  string `json:"display_name"`
			Name         string `json:"name"`
			Organisation string `json:"organisation"`
		}
		if json.Unmarshal(x, &ref) != nil {
			continue
		}
		n := ref.Name + ref.DisplayName
		switch {
		case n != "" && ref.Organisation != "":
			out = append(out, n+" ("+ref.Organisation+")")
		case n != "":
			out = append(out, n)
		case ref.Organisation != "":
			out = append(out, ref.Organisation)
		}
	}
	return out
}

// agendaJSON is the API's latest release: its number and its sessions (people named only as
// the API allows).
type agendaJSON struct {
	Release struct {
		Number      int       `json:"number"`
		PublishedAt time.Time `json:"published_at"`
	} `json:"release"`
	Sessions []agendaSession `json:"sessions"`
}

// agendaRoom is one room's sessions on one day.
type agendaRoom struct {
	Name     string
	Sessions []agendaSession
}

// agendaDay is one day of the agenda in the reader's time zone.
type agendaDay struct {
	Date  time.Time
	Rooms []agendaRoom
}

// agendaData is what the agenda page shows.
type agendaData struct {
	Release   int
	Days      []agendaDay
	Location  *time.Location
	Zone      string
	Zones     []string
	ConfZone  string
	Published bool
	Slug      string
}

// groupAgenda sorts sessions into days (in loc) and, within a day, rooms in name order.
func groupAgenda(sessions []agendaSession, loc *time.Location) []agendaDay {
	slices.SortStableFunc(sessions, func(a, b agendaSession) int { return a.StartsAt.Compare(b.StartsAt) })
	var days []agendaDay
	for _, s := range sessions {
		if s.Status == "cancelled" || s.Status == "draft" {
			continue
		}
		local := s.StartsAt.In(loc)
		day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc)
		if n := len(days); n == 0 || !days[n-1].Date.Equal(day) {
			days = append(days, agendaDay{Date: day})
		}
		d := &days[len(days)-1]
		room := s.RoomName()
		i := slices.IndexFunc(d.Rooms, func(r agendaRoom) bool { return r.Name == room })
		if i < 0 {
			d.Rooms = append(d.Rooms, agendaRoom{Name: room})
			i = len(d.Rooms) - 1
		}
		d.Rooms[i].Sessions = append(d.Rooms[i].Sessions, s)
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
	}
	return days
}

// agenda shows the latest agenda release by day and room, in the reader's time zone (chosen with
// ?tz= and remembered in a cookie; the conference's by default).
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
	d := agendaData{Location: loc, Zone: loc.String(), ConfZone: c.Timezone, Slug: c.Slug}
	d.Zones = append([]string{c.Timezone}, zones...)
	if !slices.Contains(d.Zones, d.Zone) {
		d.Zones = append(d.Zones, d.Zone)
	}
	d.Zones = slices.Compact(d.Zones)
	var a agendaJSON
	res, err := p.get(r, "/api/v1/conferences/"+url.PathEscape(c.Slug)+"/agenda", &a)
	switch {
	case err == nil && res.OK():
		d.Published = true
		d.Release = a.Release.Number
		d.Days = groupAgenda(a.Sessions, loc)
	case err == nil && res.Status == http.StatusNotFound:
		// No release published yet: the page says so.
	case err == nil && res.Status == http.StatusNotImplemented:
		v.Detail = v.T("err_not_built")
	default:
		p.fail(w, r, v, res, err)
		return
	}
	v.Data = d
	p.render(w, http.StatusOK, "agenda", v)
}

// agendaAttend signs the logged-in delegate up for a session (a place or the waiting list; the
// API decides and mails the outcome) and goes on to their page.
func (p *Pages) agendaAttend(w http.ResponseWriter, r *http.Request) {
	v := p.newView(w, r, nil)
	if sessionToken(r) == "" {
		v.Detail = v.T("err_login_needed")
		p.render(w, http.StatusUnauthorized, "error", v)
		return
	}
	res, err := p.api(r, http.MethodPost, "/api/v1/sessions/"+url.PathEscape(r.PathValue("id"))+"/attendance", map[string]any{})
	if err == nil && (res.OK() || res.Status == http.StatusConflict) {
		redirect(w, r, "/me?signed=1")
		return
	}
	if p.formFailed(w, r, v, res, err) {
		v.Data = map[string]string{"Back": "/c/" + url.PathEscape(r.PathValue("slug")) + "/agenda"}
		p.render(w, res.Status, "staff_problem", v)
	}
}
