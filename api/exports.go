package api

import (
	"encoding/binary"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/models"
)

// The exports (schedule.xml, schedule.json, agenda.ics) come from the latest release only and
// name people by the public rules. Their stable identifiers are derived with the server's keyed
// hash from row IDs, never from an email address: an event's GUID is its session's random ID,
// its integer ID and the people's GUIDs are keyed hashes.

// scheduleXML serves the latest release in the frab/c3voc schedule.xml format.
func (s *Server) scheduleXML(c *gin.Context) error {
	return s.serveRelease(c, "schedule.xml", "application/xml; charset=utf-8", s.renderScheduleXML)
}

// scheduleJSON serves the latest release in the c3voc schedule.json format.
func (s *Server) scheduleJSON(c *gin.Context) error {
	return s.serveRelease(c, "schedule.json", "application/json; charset=utf-8", s.renderScheduleJSON)
}

// agendaICS serves the latest release as an iCalendar file with the conference's VTIMEZONE.
func (s *Server) agendaICS(c *gin.Context) error {
	return s.serveRelease(c, "agenda.ics", "text/calendar; charset=utf-8", func(doc *releaseDoc, people map[string]models.AgendaPerson) ([]byte, error) {
		hist, err := s.dom.AgendaHistory(c.Request.Context(), doc.conf.ID, doc.number)
		if err != nil {
			return nil, err
		}
		return s.renderICS(doc, people, hist, nil), nil
	})
}

// exportSchedule is a release laid out by conference day and room, as the schedule formats want.
type exportSchedule struct {
	conf       *models.Conference
	loc        *time.Location
	acronym    string
	version    string
	days       []exportDay
	rooms      []*exportRoom // every room with an event, by name
	scheduleAt string        // public URL of the schedule
}

type exportDay struct {
	index int
	date  time.Time // local midnight
	rooms []*exportRoom
}

type exportRoom struct {
	name, guid string
	capacity   int
	events     []*exportEvent
}

type exportEvent struct {
	s          *models.SnapshotSession
	id         int
	slug       string
	room       *exportRoom
	start, end time.Time // in the conference's zone
	persons    []exportPerson
	language   string
	url        string
}

type exportPerson struct {
	guid, name string
	id         int // a stable positive integer (ConfClerk reads persons by it), from the keyed hash
}

// noRoomName places sessions without a room (breaks, online meetings) in the schedule formats,
// which require one.
const noRoomName = "Venue"

// buildSchedule lays out the release for the schedule formats.
func (s *Server) buildSchedule(doc *releaseDoc, people map[string]models.AgendaPerson) *exportSchedule {
	conf := &doc.conf
	out := &exportSchedule{conf: conf, loc: conf.Location(), acronym: exportAcronym(conf), version: strconv.Itoa(doc.number),
		scheduleAt: s.link("/api/v1/conferences/" + url.PathEscape(conf.Slug) + "/schedule.xml")}
	first, last := localDate(conf.StartsOn, out.loc), localDate(conf.EndsOn, out.loc)
	ids := s.eventIDs(doc.snap.Sessions)
	rooms := map[string]*exportRoom{}
	var events []*exportEvent
	for _, ss := range doc.sessionsOf(nil) {
		e := &exportEvent{s: ss, id: ids[ss.ID], start: ss.StartsAt.In(out.loc), end: ss.EndsAt.In(out.loc),
			persons: s.exportPersons(ss, people), language: sessionLanguage(ss, conf),
			url: s.link("/c/" + url.PathEscape(conf.Slug) + "#session-" + ss.ID)}
		e.slug = fmt.Sprintf("%s-%d-%s", out.acronym, e.id, slugify(ss.Title))
		name, guid := ss.Room, ss.RoomID
		if guid == "" {
			name, guid = conf.Venue, s.keyedUUID("export.room", conf.ID)
			if strings.TrimSpace(name) == "" {
				name = noRoomName
			}
		}
		r := rooms[guid]
		if r == nil {
			r = &exportRoom{name: name, guid: guid, capacity: ss.RoomCapacity}
			rooms[guid] = r
			out.rooms = append(out.rooms, r)
		}
		e.room = r
		events = append(events, e)
		if d := midnight(e.start); d.Before(first) {
			first = d
		} else if d.After(last) {
			last = d
		}
	}
	slices.SortFunc(out.rooms, func(a, b *exportRoom) int { return strings.Compare(a.name+a.guid, b.name+b.guid) })
	for d, i := first, 1; !d.After(last); d, i = time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, out.loc), i+1 {
		out.days = append(out.days, exportDay{index: i, date: d})
	}
	for _, e := range events {
		day := &out.days[dayIndex(first, midnight(e.start))]
		var room *exportRoom
		for _, r := range day.rooms {
			if r.guid == e.room.guid {
				room = r
			}
		}
		if room == nil {
			room = &exportRoom{name: e.room.name, guid: e.room.guid, capacity: e.room.capacity}
			day.rooms = append(day.rooms, room)
		}
		room.events = append(room.events, e)
	}
	for i := range out.days {
		slices.SortFunc(out.days[i].rooms, func(a, b *exportRoom) int { return strings.Compare(a.name+a.guid, b.name+b.guid) })
	}
	return out
}

// exportPersons lists a session's speakers, then chairs, as the public may see them: public
// delegates by name, others by their listed organisation (once), the rest not at all.
func (s *Server) exportPersons(ss *models.SnapshotSession, people map[string]models.AgendaPerson) []exportPerson {
	out := []exportPerson{}
	seen := map[string]bool{}
	for _, id := range append(slices.Clone(ss.Speakers), ss.Chairs...) {
		v, ok := people[id]
		var p exportPerson
		switch {
		case !ok:
			continue
		case v.IsPublic():
			p = exportPerson{guid: s.keyedUUID("export.person", id), name: v.DisplayName}
		case v.PublicOrganisation() != "":
			p = exportPerson{guid: s.keyedUUID("export.organisation", *v.OrganisationID), name: v.PublicOrganisation()}
		default:
			continue
		}
		if !seen[p.guid] {
			seen[p.guid] = true
			p.id = int(binary.BigEndian.Uint32(s.store.Box().Index("export.person.id", p.guid)[:4])&0x7fffffff) | 1<<20
			out = append(out, p)
		}
	}
	return out
}

// keyedUUID derives a stable UUID (version 8) from an ID with the server's keyed hash, so that it
// says nothing about the ID (or any email address) to someone without the key.
func (s *Server) keyedUUID(purpose, id string) string {
	b := s.store.Box().Index(purpose, id)[:16]
	b[6] = b[6]&0x0f | 0x80
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// eventIDs gives each session a stable positive 31-bit integer from the keyed hash of its ID.
// Collisions (rare) move the later ID, in ID order, to the next free number.
func (s *Server) eventIDs(sessions []models.SnapshotSession) map[string]int {
	ids := make([]string, len(sessions))
	for i := range sessions {
		ids[i] = sessions[i].ID
	}
	slices.Sort(ids)
	out := make(map[string]int, len(ids))
	taken := make(map[int]bool, len(ids))
	for _, id := range ids {
		n := int(binary.BigEndian.Uint32(s.store.Box().Index("export.event", id)[:4])&0x7fffffff) | 1<<20
		for taken[n] {
			n = n%0x7fffffff + 1
		}
		taken[n] = true
		out[id] = n
	}
	return out
}

var (
	acronymChars = regexp.MustCompile(`[^a-z0-9_]+`)
	slugChars    = regexp.MustCompile(`[^a-z0-9]+`)
)

// exportAcronym is the conference's acronym as the schedule formats allow it: lower-case letters,
// digits and underscores, at least four (else the slug is used).
func exportAcronym(c *models.Conference) string {
	a := acronymChars.ReplaceAllString(strings.ToLower(c.Acronym), "_")
	if len(a) < 4 {
		a = acronymChars.ReplaceAllString(strings.ToLower(c.Slug), "_")
	}
	for len(a) < 4 {
		a += "_"
	}
	return a
}

// slugify turns a title into lower-case ASCII words joined by dashes (Cyrillic is transliterated).
func slugify(title string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(title) {
		if t, ok := translit[r]; ok {
			b.WriteString(t)
		} else {
			b.WriteRune(r)
		}
	}
	slug := strings.Trim(slugChars.ReplaceAllString(b.String(), "-"), "-")
	if len(slug) > 40 {
		slug = strings.TrimRight(slug[:40], "-")
	}
	if len(slug) < 4 {
		return "session"
	}
	return slug
}

var translit = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'ґ': "g", 'д': "d", 'е': "e", 'є': "ye", 'ё': "yo", 'ж': "zh", 'з': "z",
	'и': "i", 'і': "i", 'ї': "yi", 'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r",
	'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "",
	'ы': "y", 'ь': "", 'э': "e", 'ю': "yu", 'я': "ya", 'ä': "ae", 'ö': "oe", 'ü': "ue", 'ß': "ss", 'é': "e",
	'è': "e", 'ê': "e", 'à': "a", 'â': "a", 'ç': "c", 'ô': "o", 'î': "i", 'û': "u", 'ù': "u", 'ë': "e", 'ï': "i",
}

// sessionLanguage is the session's first language, else the conference's, else English.
func sessionLanguage(ss *models.SnapshotSession, c *models.Conference) string {
	if len(ss.Languages) > 0 {
		return ss.Languages[0]
	}
	if len(c.Languages) > 0 {
		return c.Languages[0]
	}
	return "en"
}

// localDate is a conference date (stored at UTC midnight) as local midnight in loc.
func localDate(d time.Time, loc *time.Location) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)
}

func midnight(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

// dayIndex counts calendar days from first to d (both local midnights; DST-safe).
func dayIndex(first, d time.Time) int {
	a := time.Date(first.Year(), first.Month(), first.Day(), 0, 0, 0, 0, time.UTC)
	b := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	return int(b.Sub(a) / (24 * time.Hour))
}

// hhmm formats a duration as hh:mm.
func hhmm(d time.Duration) string {
	m := int(d.Round(time.Minute) / time.Minute)
	return fmt.Sprintf("%02d:%02d", m/60, m%60)
}
