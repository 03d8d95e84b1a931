package web_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/zimmerwald/zimmerwald/models"
)

// TestAgendaChronologicalMineAndOffers: a day's sessions are listed by time (not by room) with
// a timetable by room; an approved delegate's own sign-ups are marked and not offered again, a
// delegate not yet approved is offered no sign-up at all, and nobody registered is offered to
// register; each session has its own page; the feed has a webcal: link.
func TestAgendaChronologicalMineAndOffers(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		c := e.demo()
		agenda := "/c/" + c.Slug + "/agenda?lang=en"
		anon := e.browser().get(agenda).want(t, 200)
		anon.has(t, `<table class="timetable">`, "webcal://", "/agenda.ics").lacks(t, "/attend")
		times := regexp.MustCompile(`(?s)<section class="day">.*?</section>`).FindAllString(anon.Body, -1)
		if len(times) == 0 {
			t.Fatal("no days on the agenda")
		}
		starts := regexp.MustCompile(`<li class="session[^"]*" id="s-[^"]+">\s*<p class="when"><time datetime="([^"]+)"`)
		for _, day := range times {
			var prev string
			for _, m := range starts.FindAllStringSubmatch(day, -1) {
				if m[1] < prev {
					t.Fatalf("a day's sessions are not in time order: %s after %s", m[1], prev)
				}
				prev = m[1]
			}
		}
		sessionID := regexp.MustCompile(`id="s-([0-9a-f-]{36})"`).FindStringSubmatch(anon.Body)[1]

		o := e.organisation(c, "Agenda Union", true)
		waiting := e.delegateBrowser(e.delegate(c, o, "Waiting", models.DelegateSubmitted, models.VisibilityOrganisers))
		page := waiting.get(agenda).want(t, 200)
		page.lacks(t, "/attend", `/c/`+c.Slug+`/register"`)
		approved := e.delegateBrowser(e.delegate(c, o, "Approved", models.DelegateApproved, models.VisibilityOrganisers))
		attend := "/c/" + c.Slug + "/agenda/" + sessionID + "/attend"
		approved.get(agenda).has(t, attend)
		approved.post(attend, nil).want(t, 200)
		after := approved.get(agenda)
		block := after.Body[strings.Index(after.Body, `id="s-`+sessionID+`"`):]
		block = block[:strings.Index(block, "</li>")]
		if !strings.Contains(block, "You are signed up") || strings.Contains(block, "/attend") {
			t.Fatalf("own sign-up not marked or offered again:\n%s", block)
		}
		approved.get("/c/"+c.Slug+"/sessions/"+sessionID+"?lang=en").want(t, 200).has(t, "You are signed up", "Back to the agenda").lacks(t, "/attend")
		e.browser().get("/c/"+c.Slug+"/sessions/"+sessionID+"?lang=uk").want(t, 200).has(t, "Назад до програми")
		e.browser().get("/c/"+c.Slug+"/sessions/"+models.NewID()).want(t, 404)
		e.browser().get("/c/"+e.conference().Slug+"/register?lang=en").has(t, `/register">Register</a>`)
	})
}
