package api

import (
	"bytes"
	"context"
	"encoding/xml"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/zimmerwald/zimmerwald/internal/seal"
	"github.com/zimmerwald/zimmerwald/models"
	"github.com/zimmerwald/zimmerwald/models/modelstest"
)

// updateGolden rewrites api/testdata/ from the current output (go test ./api -run Golden -update).
// It reuses an -update flag that another test file of the package may already define.
var updateGolden = func() *bool {
	if f := flag.Lookup("update"); f != nil {
		if g, ok := f.Value.(flag.Getter); ok {
			if b, ok := g.Get().(bool); ok {
				return &b
			}
		}
	}
	return flag.Bool("update", false, "rewrite the golden files in testdata/")
}()

// schemasDir holds the schedule schemas, in ../shared/schemas next to the repository.
const schemasDir = "../../shared/schemas"

// goldenAgenda builds a conference with fixed IDs, a fixed data key and a fixed clock, so that the
// exports are byte-for-byte reproducible, and publishes its first release.
func goldenAgenda(t *testing.T) (*testEnv, *models.Conference, map[string]time.Time) {
	t.Helper()
	ctx := context.Background()
	box, err := seal.New(bytes.Repeat([]byte{0x5a}, seal.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	st, err := models.Open(ctx, models.Options{SQLitePath: filepath.Join(t.TempDir(), "golden.db")}, box)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	st.SetClock(func() time.Time { return time.Date(2027, 8, 1, 12, 0, 0, 0, time.UTC) })
	e := newEnv(t, st)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	conf := &models.Conference{ID: "c0000000-0000-4000-8000-000000000001", Slug: "zw-2027", Title: "Zimmerwald 2027", Acronym: "ZW27",
		Timezone: "Europe/Zurich", StartsOn: time.Date(2027, 9, 5, 0, 0, 0, 0, time.UTC), EndsOn: time.Date(2027, 9, 8, 0, 0, 0, 0, time.UTC),
		Venue: "Zimmerwald", Languages: models.StringList{"en", "ru", "uk", "de", "fr"}}
	must(st.CreateConference(ctx, conf))
	listed := &models.Organisation{ID: "0a000000-0000-4000-8000-000000000001", ConferenceID: conf.ID, Name: "Swiss Workers' Union", Kind: models.OrgUnion, Status: models.OrgVerified, Listed: true}
	quiet := &models.Organisation{ID: "0a000000-0000-4000-8000-000000000002", ConferenceID: conf.ID, Name: "Quiet Group", Kind: models.OrgCollective, Status: models.OrgVerified}
	must(st.CreateOrganisation(ctx, listed))
	must(st.CreateOrganisation(ctx, quiet))
	delegate := func(id, name string, vis models.Visibility, org *models.Organisation) string {
		d := &models.Delegate{ID: id, ConferenceID: conf.ID, Role: models.RoleDelegate, Status: models.DelegateApproved, DisplayName: name,
			Email: id + "@delegates.test", Languages: models.StringList{"en"}, Attendance: models.AttendInPerson, Visibility: vis}
		if org != nil {
			d.OrganisationID = &org.ID
		}
		must(st.CreateDelegate(ctx, d))
		return id
	}
	anna := delegate("de000000-0000-4000-8000-000000000001", "Anna K.", models.VisibilityPublic, listed)
	vera := delegate("de000000-0000-4000-8000-000000000002", "Вера", models.VisibilityOrganisers, listed)
	hidden := delegate("de000000-0000-4000-8000-000000000003", "Hidden One", models.VisibilityParticipants, quiet)
	jean := delegate("de000000-0000-4000-8000-000000000004", "Jean-Marc", models.VisibilityPublic, nil)
	hall := &models.Room{ID: "a0000000-0000-4000-8000-000000000001", ConferenceID: conf.ID, Name: "Main hall", Capacity: 180}
	salle := &models.Room{ID: "a0000000-0000-4000-8000-000000000002", ConferenceID: conf.ID, Name: "Salle B; annexe", Capacity: 40}
	must(st.CreateRoom(ctx, hall))
	must(st.CreateRoom(ctx, salle))
	zurich, _ := time.LoadLocation("Europe/Zurich")
	at := func(day, hour, minute int) time.Time {
		return time.Date(2027, 9, day, hour, minute, 0, 0, zurich).UTC()
	}
	starts := map[string]time.Time{}
	add := func(id, title string, kind models.SessionKind, room *models.Room, start, end time.Time, speakers, chairs []string, status models.SessionStatus) {
		s := &models.Session{ID: id, ConferenceID: conf.ID, Title: title, Kind: kind, StartsAt: start, EndsAt: end, Status: status,
			Description: "About " + title + ".\nBring questions, comments; and friends.", Languages: models.StringList{"en", "de"},
			Interpretation: models.StringList{}, Track: "Main", SpeakerIDs: speakers, ChairIDs: chairs}
		if room != nil {
			s.RoomID = &room.ID
		}
		must(st.CreateSession(ctx, s))
		if status == models.SessionPublished {
			starts[id] = start
		}
	}
	add("5e000000-0000-4000-8000-000000000001", "Opening plenary: a century after Zimmerwald", models.KindPlenary, hall, at(5, 18, 0), at(5, 19, 30),
		[]string{anna, vera}, []string{jean}, models.SessionPublished)
	add("5e000000-0000-4000-8000-000000000002", "Пленарное заседание: война и рабочее движение", models.KindPlenary, hall, at(6, 9, 0), at(6, 11, 0),
		[]string{hidden, vera}, nil, models.SessionPublished)
	add("5e000000-0000-4000-8000-000000000003", `Workshop <security> & "trust", with a title long enough to be folded in calendars`, models.KindWorkshop, salle,
		at(6, 14, 30), at(6, 16, 0), []string{jean}, nil, models.SessionPublished)
	add("5e000000-0000-4000-8000-000000000004", "Lunch", models.KindBreak, nil, at(6, 12, 0), at(6, 13, 30), nil, nil, models.SessionPublished)
	add("5e000000-0000-4000-8000-000000000005", "Late meeting", models.KindMeeting, salle, at(7, 22, 30), at(8, 0, 30), []string{anna}, nil, models.SessionPublished)
	add("5e000000-0000-4000-8000-000000000006", "Secret draft", models.KindMeeting, salle, at(8, 9, 0), at(8, 10, 0), []string{anna}, nil, models.SessionDraft)
	e.publishRelease(t, e.staffToken("organiser"), conf)
	return e, conf, starts
}

func TestExportsGolden(t *testing.T) {
	e, conf, starts := goldenAgenda(t)
	for _, name := range []string{"schedule.xml", "schedule.json", "agenda.ics"} {
		t.Run(name, func(t *testing.T) {
			r := e.do("GET", "/api/v1/conferences/"+conf.Slug+"/"+name, "", nil).want(t, 200)
			if r.Header.Get("ETag") == "" || r.Header.Get("Cache-Control") != "public, max-age=60" {
				t.Errorf("headers: %v", r.Header)
			}
			golden := filepath.Join("testdata", name)
			if *updateGolden {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, r.Body, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(r.Body, want) {
				t.Errorf("%s differs from %s (run with -update after checking the change):\n%s", name, golden, r.Body)
			}
			for _, absent := range []string{"Hidden One", "Вера", "Quiet Group", "Secret draft", "@delegates.test"} {
				if bytes.Contains(r.Body, []byte(absent)) {
					t.Errorf("%s contains %q", name, absent)
				}
			}
			switch name {
			case "schedule.xml":
				checkXMLSchema(t, r.Body)
			case "schedule.json":
				checkJSONSchema(t, r.Body)
			case "agenda.ics":
				checkICS(t, r.Body, starts)
			}
		})
	}
}

// checkXMLSchema validates with xmllint against the frab/c3voc XSD.
func checkXMLSchema(t *testing.T, doc []byte) {
	t.Helper()
	xsd := filepath.Join(schemasDir, "schedule.xml.xsd")
	if _, err := os.Stat(xsd); err != nil {
		modelstest.Require(t, "the schedule.xml schema at "+xsd)
	}
	if _, err := exec.LookPath("xmllint"); err != nil {
		modelstest.Require(t, "xmllint (apt-get install libxml2-utils)")
	}
	file := filepath.Join(t.TempDir(), "schedule.xml")
	if err := os.WriteFile(file, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("xmllint", "--noout", "--schema", xsd, file).CombinedOutput()
	if err != nil {
		t.Errorf("xmllint: %v\n%s", err, out)
	}
	broken := bytes.Replace(doc, []byte("<duration>"), []byte("<duration>x"), 1)
	if err := os.WriteFile(file, broken, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := exec.Command("xmllint", "--noout", "--schema", xsd, file).Run(); err == nil {
		t.Error("xmllint accepts a broken duration: the validation proves nothing")
	}
}

// checkJSONSchema validates against the c3voc JSON Schema with format assertions on.
func checkJSONSchema(t *testing.T, doc []byte) {
	t.Helper()
	path := filepath.Join(schemasDir, "schedule.schema.json")
	raw, err := os.Open(path)
	if err != nil {
		modelstest.Require(t, "the schedule.json schema at "+path)
	}
	defer raw.Close()
	schemaDoc, err := jsonschema.UnmarshalJSON(raw)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const id = "https://c3voc.de/schedule/schema.json"
	if err := c.AddResource(id, schemaDoc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(id)
	if err != nil {
		t.Fatal(err)
	}
	validate := func(b []byte) error {
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			return err
		}
		return sch.Validate(inst)
	}
	if err := validate(doc); err != nil {
		t.Errorf("schedule.json does not match the schema: %v", err)
	}
	if err := validate(bytes.Replace(doc, []byte(`"duration": "`), []byte(`"duration": "x`), 1)); err == nil {
		t.Error("the schema accepts a broken duration: the validation proves nothing")
	}
}

// checkICS parses the calendar back with a real parser and checks the RFC 5545 form.
func checkICS(t *testing.T, doc []byte, starts map[string]time.Time) {
	t.Helper()
	text := string(doc)
	if !strings.HasSuffix(text, "\r\n") {
		t.Error("the calendar does not end with CRLF")
	}
	for i, line := range strings.Split(strings.TrimSuffix(text, "\r\n"), "\r\n") {
		if len(line) > 75 || strings.ContainsAny(line, "\r\n") {
			t.Errorf("line %d: %d octets or a bare line break: %q", i+1, len(line), line)
		}
	}
	if !strings.Contains(text, "BEGIN:VTIMEZONE\r\nTZID:Europe/Zurich\r\n") {
		t.Error("no VTIMEZONE for Europe/Zurich")
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	events := cal.Events()
	if len(events) != len(starts) {
		t.Fatalf("got %d events, want %d", len(events), len(starts))
	}
	titles := map[string]string{}
	for _, ev := range events {
		uid := ev.Id()
		id, host, _ := strings.Cut(uid, "@")
		want, ok := starts[id]
		if !ok || host != "zw.test" {
			t.Errorf("unexpected UID %q", uid)
			continue
		}
		got, err := ev.GetStartAt()
		if err != nil || !got.Equal(want) {
			t.Errorf("%s: DTSTART %v (%v), want %v", uid, got, err, want)
		}
		titles[id] = ev.GetProperty(ics.ComponentPropertySummary).Value
	}
	if got := titles["5e000000-0000-4000-8000-000000000003"]; got != `Workshop <security> & "trust", with a title long enough to be folded in calendars` {
		t.Errorf("folded, escaped summary read back as %q", got)
	}
	if got := titles["5e000000-0000-4000-8000-000000000002"]; got != "Пленарное заседание: война и рабочее движение" {
		t.Errorf("Cyrillic summary read back as %q", got)
	}
}

func TestExportsBeforeReleaseAndUnknown(t *testing.T) {
	e := sqliteEnv(t)
	conf := e.conference()
	for _, name := range []string{"schedule.xml", "schedule.json", "agenda.ics", "agenda"} {
		e.do("GET", "/api/v1/conferences/"+conf.Slug+"/"+name, "", nil).want(t, 404)
		e.do("GET", "/api/v1/conferences/no-such/"+name, "", nil).want(t, 404)
	}
}

// FuzzScheduleXML renders a release whose session has arbitrary text and reads the XML back: it
// must stay well-formed and keep the text (with characters XML cannot hold replaced).
func FuzzScheduleXML(f *testing.F) {
	for _, s := range []string{"Plenary", "a <b> & \"c\"", "\x00\x01\r\n\t", "Пленарное заседание", "]]>", "\xff\xfe"} {
		f.Add(s, s)
	}
	e := sqliteEnv(f)
	start := time.Date(2027, 9, 6, 8, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, title, room string) {
		doc := &releaseDoc{conf: models.Conference{ID: models.NewID(), Slug: "zw", Title: title, Timezone: "Europe/Zurich",
			StartsOn: start, EndsOn: start}, number: 1, snap: models.AgendaSnapshot{Sessions: []models.SnapshotSession{
			{ID: models.NewID(), Title: title, Description: title, Room: room, RoomID: models.NewID(), StartsAt: start, EndsAt: start.Add(time.Hour)}}}}
		out, err := e.srv.renderScheduleXML(doc, nil)
		if err != nil {
			t.Fatal(err)
		}
		var back xmlSchedule
		if err := xml.Unmarshal(out, &back); err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, out)
		}
		want := strings.Map(func(r rune) rune {
			if r == 0x9 || r == 0xA || r == 0xD || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF {
				return r
			}
			return '\uFFFD'
		}, title)
		if got := back.Days[0].Rooms[0].Events[0].Title; got != want {
			t.Fatalf("title: got %q, want %q", got, want)
		}
	})
}

// TestSchedulePersonsHaveIntegerIDs: ConfClerk shows a schedule.xml person only with an integer
// id; one person (one guid) has one id everywhere.
func TestSchedulePersonsHaveIntegerIDs(t *testing.T) {
	e, conf, _ := goldenAgenda(t)
	r := e.do("GET", "/api/v1/conferences/"+conf.Slug+"/schedule.xml", "", nil).want(t, 200)
	var doc struct {
		Persons []struct {
			ID   string `xml:"id,attr"`
			GUID string `xml:"guid,attr"`
		} `xml:"day>room>event>persons>person"`
	}
	if err := xml.Unmarshal(r.Body, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Persons) == 0 {
		t.Fatal("no persons in the schedule")
	}
	ids := map[string]string{}
	for _, p := range doc.Persons {
		if n, err := strconv.Atoi(p.ID); err != nil || n <= 0 {
			t.Errorf("person %s: id %q, want a positive integer", p.GUID, p.ID)
		}
		if prev, ok := ids[p.GUID]; ok && prev != p.ID {
			t.Errorf("person %s: ids %s and %s", p.GUID, prev, p.ID)
		}
		ids[p.GUID] = p.ID
	}
}
