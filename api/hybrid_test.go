package api

import (
	"context"
	"strings"
	"testing"

	"github.com/zimmerwald/zimmerwald/models"
)

// TestOnlineLinkReachesOnlyParticipants checks who gets a session's online link (its room's or
// its own): approved speakers, chairs and those signed up, and approved remote delegates for
// plenaries, in GET /sessions/{id}, /me and the personal feed; nobody else, and no public output.
func TestOnlineLinkReachesOnlyParticipants(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		c := e.conference()
		o := e.organisation(c, "Union", true, 20)
		staff := e.staffToken(models.StaffOrganiser)
		const roomLink, ownLink = "https://meet.example.org/room-secret-1", "https://meet.example.org/own-secret-2"
		e.do("POST", "/api/v1/conferences/"+c.Slug+"/rooms", staff, map[string]any{"name": "Online Hall", "online_url": roomLink}).want(t, 201)
		newDelegate := func(name string, status models.DelegateStatus, remote bool) *models.Delegate {
			d := e.delegate(c, o, name, status, models.VisibilityPublic)
			if remote {
				d.Attendance = models.AttendRemote
				if err := e.st.UpdateDelegate(ctx, d); err != nil {
					t.Fatal(err)
				}
			}
			return d
		}
		speaker, chair := newDelegate("Speaker", models.DelegateApproved, false), newDelegate("Chair", models.DelegateApproved, false)
		attendee, remote := newDelegate("Attendee", models.DelegateApproved, false), newDelegate("Remote", models.DelegateApproved, true)
		onSite, pendingRemote := newDelegate("On Site", models.DelegateApproved, false), newDelegate("Pending Remote", models.DelegateSubmitted, true)

		plenary := sessionBody("Plenary", "Online Hall", 6, 10, speaker)
		plenary["kind"], plenary["chair_ids"] = "plenary", []string{chair.ID}
		plenaryID := e.addSession(t, staff, c, plenary)["id"].(string)
		workshop := sessionBody("Workshop", "Room B", 6, 14)
		workshop["online_url"] = ownLink
		workshopID := e.addSession(t, staff, c, workshop)["id"].(string)
		e.publishSession(t, staff, plenaryID)
		e.publishSession(t, staff, workshopID)
		e.do("POST", "/api/v1/sessions/"+workshopID+"/attendance", e.delegateToken(attendee), nil).want(t, 201)

		for _, tc := range []struct {
			who     string
			token   string
			session string
			want    string
		}{
			{"speaker", e.delegateToken(speaker), plenaryID, roomLink},
			{"chair", e.delegateToken(chair), plenaryID, roomLink},
			{"remote delegate, plenary", e.delegateToken(remote), plenaryID, roomLink},
			{"staff", staff, workshopID, ownLink},
			{"signed up", e.delegateToken(attendee), workshopID, ownLink},
			{"remote delegate, workshop", e.delegateToken(remote), workshopID, ""},
			{"on site, not signed up", e.delegateToken(onSite), plenaryID, ""},
			{"remote but not approved", e.delegateToken(pendingRemote), plenaryID, ""},
			{"anonymous", "", plenaryID, ""},
			{"anonymous", "", workshopID, ""},
		} {
			got, _ := e.do("GET", "/api/v1/sessions/"+tc.session, tc.token, nil).want(t, 200).json(t)["online_url"].(string)
			if got != tc.want {
				t.Errorf("%s: online_url %q, want %q", tc.who, got, tc.want)
			}
		}
		me := e.do("GET", "/api/v1/me", e.delegateToken(remote), nil).want(t, 200)
		if !strings.Contains(string(me.Body), roomLink) || strings.Contains(string(me.Body), ownLink) {
			t.Errorf("/me of the remote delegate: %s", me.Body)
		}
		if strings.Contains(string(e.do("GET", "/api/v1/me", e.delegateToken(onSite), nil).want(t, 200).Body), "meet.example.org") {
			t.Error("/me of an on-site delegate who takes no part carries an online link")
		}
		e.publishRelease(t, staff, c)
		feed := e.do("POST", "/api/v1/me/feed", e.delegateToken(remote), nil).want(t, 201).json(t)["url"].(string)
		ics := e.do("GET", strings.TrimPrefix(feed, "http://zw.test"), "", nil).want(t, 200)
		if unfolded := strings.ReplaceAll(string(ics.Body), "\r\n ", ""); !strings.Contains(unfolded, "CONFERENCE;VALUE=URI;FEATURE=VIDEO,AUDIO:"+roomLink) {
			t.Errorf("the personal feed lacks the online link:\n%s", ics.Body)
		}

		// Every public output, read anonymously: no online link anywhere.
		for _, path := range []string{
			"/api/v1/conferences/" + c.Slug + "/agenda", "/api/v1/conferences/" + c.Slug + "/schedule.xml",
			"/api/v1/conferences/" + c.Slug + "/schedule.json", "/api/v1/conferences/" + c.Slug + "/agenda.ics",
			"/api/v1/conferences/" + c.Slug + "/sessions", "/api/v1/sessions/" + plenaryID, "/api/v1/sessions/" + workshopID,
			"/api/v1/conferences/" + c.Slug + "/rooms", "/api/v1/conferences/" + c.Slug + "/live", "/api/v1/conferences/" + c.Slug + "/participants",
			"/api/v1/conferences/" + c.Slug + "/agenda/releases", "/api/v1/conferences/" + c.Slug,
		} {
			body := string(e.do("GET", path, "", nil).want(t, 200).Body)
			if strings.Contains(body, "meet.example.org") {
				t.Errorf("public %s carries an online link", path)
			}
		}
	})
}
