package api

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"regexp"
	"time"

	"github.com/zimmerwald/zimmerwald/models"
)

// timeslot is the grid the schedule formats ask for; sessions may start at any minute.
const timeslot = "00:15"

const generatorName = "zimmerwald"

// The schedule.xml document (frab/c3voc, ../shared/schemas/schedule.xml.xsd).
type (
	xmlSchedule struct {
		XMLName    xml.Name      `xml:"schedule"`
		Generator  xmlGenerator  `xml:"generator"`
		URL        string        `xml:"url,omitempty"`
		Version    string        `xml:"version"`
		Conference xmlConference `xml:"conference"`
		Days       []xmlDay      `xml:"day"`
	}
	xmlGenerator struct {
		Name string `xml:"name,attr"`
	}
	xmlConference struct {
		Acronym          string `xml:"acronym"`
		Title            string `xml:"title"`
		Start            string `xml:"start"`
		End              string `xml:"end"`
		Days             int    `xml:"days"`
		TimeslotDuration string `xml:"timeslot_duration"`
		TimeZoneName     string `xml:"time_zone_name"`
	}
	xmlDay struct {
		Index int       `xml:"index,attr"`
		Date  string    `xml:"date,attr"`
		Start string    `xml:"start,attr"`
		End   string    `xml:"end,attr"`
		Rooms []xmlRoom `xml:"room"`
	}
	xmlRoom struct {
		Name   string     `xml:"name,attr"`
		GUID   string     `xml:"guid,attr"`
		Events []xmlEvent `xml:"event"`
	}
	xmlEvent struct {
		GUID        string     `xml:"guid,attr"`
		ID          int        `xml:"id,attr"`
		Room        string     `xml:"room"`
		Title       string     `xml:"title"`
		Type        string     `xml:"type"`
		Date        string     `xml:"date"`
		Start       string     `xml:"start"`
		Duration    string     `xml:"duration"`
		Abstract    string     `xml:"abstract"`
		Slug        string     `xml:"slug"`
		Track       string     `xml:"track"`
		Persons     xmlPersons `xml:"persons"`
		Language    string     `xml:"language"`
		Description string     `xml:"description"`
		URL         string     `xml:"url"`
	}
	xmlPersons struct {
		Person []xmlPerson `xml:"person"`
	}
	xmlPerson struct {
		ID   int    `xml:"id,attr"`
		GUID string `xml:"guid,attr"`
		Name string `xml:",chardata"`
	}
)

// renderScheduleXML writes the release as schedule.xml.
func (s *Server) renderScheduleXML(doc *releaseDoc, people map[string]models.AgendaPerson) ([]byte, error) {
	sc := s.buildSchedule(doc, people)
	out := xmlSchedule{Generator: xmlGenerator{Name: generatorName}, URL: sc.scheduleAt, Version: sc.version,
		Conference: xmlConference{Acronym: sc.acronym, Title: sc.conf.Title, Start: sc.days[0].date.Format(dateLayout),
			End: sc.days[len(sc.days)-1].date.Format(dateLayout), Days: len(sc.days), TimeslotDuration: timeslot,
			TimeZoneName: sc.loc.String()}}
	for _, d := range sc.days {
		xd := xmlDay{Index: d.index, Date: d.date.Format(dateLayout), Start: d.date.Format(time.RFC3339), End: dayEnd(d.date).Format(time.RFC3339)}
		for _, r := range d.rooms {
			xr := xmlRoom{Name: r.name, GUID: r.guid}
			for _, e := range r.events {
				xe := xmlEvent{GUID: e.s.ID, ID: e.id, Room: r.name, Title: e.s.Title, Type: string(e.s.Kind), Date: e.start.Format(time.RFC3339),
					Start: e.start.Format("15:04"), Duration: hhmm(e.end.Sub(e.start)), Abstract: e.s.Description, Slug: e.slug,
					Track: e.s.Track, Language: e.language, URL: e.url}
				for _, p := range e.persons {
					xe.Persons.Person = append(xe.Persons.Person, xmlPerson{ID: p.id, GUID: p.guid, Name: p.name})
				}
				xr.Events = append(xr.Events, xe)
			}
			xd.Rooms = append(xd.Rooms, xr)
		}
		out.Days = append(out.Days, xd)
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// dayEnd is the last minute of a conference day (local midnight d).
func dayEnd(d time.Time) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 23, 59, 0, 0, d.Location())
}

// The schedule.json document (c3voc, ../shared/schemas/schedule.schema.json).
type (
	jsonScheduleDoc struct {
		Schema    string        `json:"$schema"`
		Generator jsonGenerator `json:"generator"`
		Schedule  jsonSchedule  `json:"schedule"`
	}
	jsonGenerator struct {
		Name string `json:"name"`
	}
	jsonSchedule struct {
		Version    string         `json:"version"`
		URL        string         `json:"url"`
		Conference jsonConference `json:"conference"`
	}
	jsonConference struct {
		Acronym          string     `json:"acronym"`
		Title            string     `json:"title"`
		Start            string     `json:"start"`
		End              string     `json:"end"`
		DaysCount        int        `json:"daysCount"`
		TimeslotDuration string     `json:"timeslot_duration"`
		TimeZoneName     string     `json:"time_zone_name,omitempty"`
		Rooms            []jsonRoom `json:"rooms"`
		Days             []jsonDay  `json:"days"`
	}
	jsonRoom struct {
		Name     string `json:"name"`
		GUID     string `json:"guid"`
		Capacity *int   `json:"capacity"`
	}
	jsonDay struct {
		Index    int                    `json:"index"`
		Date     string                 `json:"date"`
		DayStart string                 `json:"day_start"`
		DayEnd   string                 `json:"day_end"`
		Rooms    map[string][]jsonEvent `json:"rooms"`
	}
	jsonEvent struct {
		GUID        string       `json:"guid"`
		ID          int          `json:"id"`
		Date        string       `json:"date"`
		Start       string       `json:"start"`
		End         string       `json:"end"`
		Duration    string       `json:"duration"`
		Room        string       `json:"room"`
		Slug        string       `json:"slug"`
		URL         string       `json:"url"`
		Title       string       `json:"title"`
		Subtitle    string       `json:"subtitle"`
		Track       string       `json:"track"`
		Type        string       `json:"type"`
		Language    string       `json:"language"`
		Abstract    string       `json:"abstract"`
		Description string       `json:"description"`
		Persons     []jsonPerson `json:"persons"`
		Links       []struct{}   `json:"links"`
	}
	// jsonPerson has a name (pretalx style) and the older public_name, but no integer id, so that
	// it matches exactly one of the schema's person kinds.
	jsonPerson struct {
		GUID       string `json:"guid"`
		Name       string `json:"name"`
		PublicName string `json:"public_name"`
	}
)

// timeZonePattern is what schedule.schema.json accepts as time_zone_name.
var timeZonePattern = regexp.MustCompile(`^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$`)

// renderScheduleJSON writes the release as schedule.json.
func (s *Server) renderScheduleJSON(doc *releaseDoc, people map[string]models.AgendaPerson) ([]byte, error) {
	sc := s.buildSchedule(doc, people)
	conf := jsonConference{Acronym: sc.acronym, Title: sc.conf.Title, Start: sc.days[0].date.Format(dateLayout),
		End: sc.days[len(sc.days)-1].date.Format(dateLayout), DaysCount: len(sc.days), TimeslotDuration: timeslot,
		Rooms: []jsonRoom{}, Days: []jsonDay{}}
	if tz := sc.loc.String(); timeZonePattern.MatchString(tz) {
		conf.TimeZoneName = tz
	}
	for _, r := range sc.rooms {
		jr := jsonRoom{Name: r.name, GUID: r.guid}
		if r.capacity > 0 {
			n := r.capacity
			jr.Capacity = &n
		}
		conf.Rooms = append(conf.Rooms, jr)
	}
	for _, d := range sc.days {
		jd := jsonDay{Index: d.index, Date: d.date.Format(dateLayout), DayStart: d.date.Format(time.RFC3339),
			DayEnd: dayEnd(d.date).Format(time.RFC3339), Rooms: map[string][]jsonEvent{}}
		for _, r := range d.rooms {
			for _, e := range r.events {
				je := jsonEvent{GUID: e.s.ID, ID: e.id, Date: e.start.Format(time.RFC3339), Start: e.start.Format("15:04"),
					End: e.end.Format(time.RFC3339), Duration: hhmm(e.end.Sub(e.start)), Room: r.name, Slug: e.slug, URL: e.url,
					Title: e.s.Title, Track: e.s.Track, Type: string(e.s.Kind), Language: e.language, Abstract: e.s.Description,
					Persons: []jsonPerson{}, Links: []struct{}{}}
				for _, p := range e.persons {
					je.Persons = append(je.Persons, jsonPerson{GUID: p.guid, Name: p.name, PublicName: p.name})
				}
				jd.Rooms[r.name] = append(jd.Rooms[r.name], je)
			}
		}
		conf.Days = append(conf.Days, jd)
	}
	out := jsonScheduleDoc{Schema: "https://c3voc.de/schedule/schema.json", Generator: jsonGenerator{Name: generatorName},
		Schedule: jsonSchedule{Version: sc.version, URL: sc.scheduleAt, Conference: conf}}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
