package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/models"
)

// staffRooms lists the conference's rooms with forms to add, rename, change and remove them.
func (p *Pages) staffRooms(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.staffConfFor(w, r, domain.StaffAll)
	if !ok {
		return
	}
	rooms, err := p.dom.Store().ListRooms(r.Context(), c.ID)
	if err != nil {
		p.failed(w, r, v, err)
		return
	}
	doneNotice(r, v)
	v.Data = rooms
	p.render(w, http.StatusOK, "staff_rooms", v)
}

// roomInput reads a room form.
func roomInput(f url.Values) (domain.RoomInput, error) {
	fe := models.FieldErrors{}
	in := domain.RoomInput{Name: optText(f, "name"), Capacity: optInt(f, "capacity", fe), OnlineURL: optText(f, "online_url")}
	return in, fe.Err()
}

func (p *Pages) staffRoomCreate(r *http.Request, a *domain.Actor, c *conference, f url.Values) error {
	in, err := roomInput(f)
	if err == nil {
		_, err = p.dom.CreateRoom(r.Context(), a, c.Slug, in)
	}
	return err
}

func (p *Pages) staffRoomUpdate(r *http.Request, a *domain.Actor, c *conference, f url.Values) error {
	in, err := roomInput(f)
	if err == nil {
		_, err = p.dom.UpdateRoom(r.Context(), a, r.PathValue("id"), in)
	}
	return err
}

func (p *Pages) staffRoomDelete(r *http.Request, a *domain.Actor, _ *conference, _ url.Values) error {
	return p.dom.DeleteRoom(r.Context(), a, r.PathValue("id"))
}

// settingsData is what the conference settings form offers.
type settingsData struct {
	Zones     []string
	Languages []string
	Policies  []string
	VoteRules []string
}

// staffSettings is the conference settings form (title, days, time zone, languages, registration
// window, quotas and vote rule, retention), filled with the stored values.
func (p *Pages) staffSettings(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.staffConfFor(w, r, domain.Organisers)
	if !ok {
		return
	}
	loc, _ := time.LoadLocation(c.Timezone)
	if loc == nil {
		loc = time.UTC
	}
	local := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.In(loc).Format(formTime)
	}
	v.Form = url.Values{"title": {c.Title}, "acronym": {c.Acronym}, "venue": {c.Venue}, "timezone": {c.Timezone},
		"starts_on": {c.StartsOn.Format(domain.DateLayout)}, "ends_on": {c.EndsOn.Format(domain.DateLayout)},
		"languages": c.Languages, "registration_opens_at": {local(c.RegistrationOpensAt)}, "registration_closes_at": {local(c.RegistrationClosesAt)},
		"quota_policy": {string(c.QuotaPolicy)}, "vote_rule": {string(c.VoteRule)}}
	if c.BlindReview {
		v.Form.Set("blind_review", "on")
	}
	doneNotice(r, v)
	p.renderSettings(w, http.StatusOK, c, v)
}

// formTime is the layout of a datetime-local input.
const formTime = "2006-01-02T15:04"

func (p *Pages) renderSettings(w http.ResponseWriter, status int, c *conference, v *view) {
	zs := append([]string{c.Timezone}, zones...)
	v.Data = settingsData{Zones: compact(zs), Languages: Languages, Policies: []string{"organisation", "none"}, VoteRules: []string{"organisation", "delegate"}}
	p.render(w, status, "staff_settings", v)
}

// compact drops repeated and empty entries, keeping the first of each.
func compact(in []string) []string {
	seen := map[string]bool{"": true}
	var out []string
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// conferenceInput reads the settings form; times are in the conference's time zone (tz).
func conferenceInput(f url.Values, tz string) (domain.ConferenceInput, error) {
	fe := models.FieldErrors{}
	in := domain.ConferenceInput{Slug: optText(f, "slug"), Title: optText(f, "title"), Acronym: optText(f, "acronym"), Venue: optText(f, "venue"),
		Timezone: optText(f, "timezone"), StartsOn: optText(f, "starts_on"), EndsOn: optText(f, "ends_on"),
		QuotaPolicy: optText(f, "quota_policy"), VoteRule: optText(f, "vote_rule"), BlindReview: checkbox(f, "blind_review")}
	if _, ok := f["languages_present"]; ok {
		in.Languages = f["languages"]
		if len(in.Languages) == 0 {
			fe.Set("languages", models.FieldRequired, "is required")
		}
	}
	if in.Timezone != nil && *in.Timezone != "" {
		tz = *in.Timezone
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		loc = time.UTC
	}
	for name, dst := range map[string]**time.Time{"registration_opens_at": &in.RegistrationOpensAt, "registration_closes_at": &in.RegistrationClosesAt} {
		if s := strings.TrimSpace(f.Get(name)); s != "" {
			t, err := time.ParseInLocation(formTime, s, loc)
			if err != nil {
				fe.Set(name, models.FieldInvalid, "must be a date and time")
				continue
			}
			*dst = &t
		}
	}
	return in, fe.Err()
}

// staffSettingsSave stores the settings form (domain.Service.UpdateConference); refused input
// shows the form again with the messages.
func (p *Pages) staffSettingsSave(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.staffConf(w, r)
	if !ok || !p.parseForm(w, r, v) {
		return
	}
	in, err := conferenceInput(v.Form, c.Timezone)
	if err == nil {
		_, err = p.dom.UpdateConference(r.Context(), p.actor(r), c.Slug, in)
	}
	if err == nil {
		redirect(w, r, consolePath(c, "settings")+"?done=1")
		return
	}
	if status, ok := p.formError(w, r, v, err); ok {
		p.renderSettings(w, status, c, v)
	}
}

// staffConferenceCreate creates a conference from the console's start page (admins).
func (p *Pages) staffConferenceCreate(r *http.Request, a *domain.Actor, _ *conference, f url.Values) error {
	in, err := conferenceInput(f, "UTC")
	in.Languages = f["languages"]
	if err == nil {
		_, err = p.dom.CreateConference(r.Context(), a, in)
	}
	return err
}

// ZoneName names a time zone for people: its translated name when the catalogue has one, else
// the city with spaces, with the offset from UTC now ("Zurich (UTC+01:00)").
func (v *view) ZoneName(name string) string {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return name
	}
	_, off := time.Now().In(loc).Zone()
	offset := "UTC"
	if off != 0 {
		offset = time.Unix(0, 0).In(time.FixedZone("", off)).Format("UTC-07:00")
	}
	key := "zone_" + strings.NewReplacer("/", "_", "-", "_").Replace(name)
	city := name
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		city = strings.ReplaceAll(name[i+1:], "_", " ")
	}
	if v.Has(key) {
		city = v.T(key)
	}
	if name == "UTC" {
		return v.T("zone_UTC")
	}
	return city + " (" + offset + ")"
}
