package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/zimmerwald/zimmerwald/models"
)

// debate is a published plenary with one debate item, two delegates on its list (one public,
// one who shows only to participants) and a chair logged in to the console.
type debate struct {
	conf           *models.Conference
	item           *models.AgendaItem
	public, hidden *models.Delegate
	chair          *browser
}

func (e *env) debate(t *testing.T) *debate {
	t.Helper()
	ctx := context.Background()
	d := &debate{conf: e.conference()}
	o := e.organisation(d.conf, "Listed Union", true)
	d.hidden = e.delegate(d.conf, o, "Hidden Pseudonym", models.DelegateApproved, models.VisibilityParticipants)
	d.public = e.delegate(d.conf, o, "Rosa Public", models.DelegateApproved, models.VisibilityPublic)
	start := time.Date(2027, 9, 6, 8, 0, 0, 0, time.UTC)
	sess := &models.Session{ConferenceID: d.conf.ID, Title: "Opening plenary", Kind: models.KindPlenary, Status: models.SessionPublished,
		StartsAt: start, EndsAt: start.Add(2 * time.Hour), Languages: models.StringList{"en"}, Interpretation: models.StringList{}}
	if err := e.st.CreateSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	d.item = &models.AgendaItem{SessionID: sess.ID, Title: "General debate", Kind: models.ItemDebate, SpeakingTimeSeconds: 120}
	if err := e.st.CreateItem(ctx, d.item); err != nil {
		t.Fatal(err)
	}
	for _, del := range []*models.Delegate{d.hidden, d.public} {
		if err := e.st.AddSpeaker(ctx, &models.SpeakerRequest{ItemID: d.item.ID, DelegateID: del.ID}); err != nil {
			t.Fatal(err)
		}
	}
	d.chair = e.staff(models.StaffOrganiser)
	return d
}

// next gives the floor to the next speaker from the chair's console.
func (d *debate) next(t *testing.T) *page {
	t.Helper()
	return d.chair.post("/staff/c/"+d.conf.Slug+"/items/"+d.item.ID+"/chair/next", url.Values{})
}

// TestProjectorWithoutScript checks the projector page as a page that refreshes itself: the
// current speaker, the queue, and a non-public speaker shown as "a delegate".
func TestProjectorWithoutScript(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		d := e.debate(t)
		d.next(t).want(t, 200).has(t, "General debate", "Rosa Public", "Hidden Pseudonym")
		e.browser().get("/c/"+d.conf.Slug+"/live?lang=en").want(t, 200).
			has(t, `<noscript><meta http-equiv="refresh" content="5"></noscript>`, "General debate", "Opening plenary", "A delegate", "Rosa Public", "data-ends=").
			lacks(t, "Hidden Pseudonym", d.hidden.Email)
		d.chair.get("/staff/c/"+d.conf.Slug+"/sessions/"+d.item.SessionID+"/chair").want(t, 200).has(t, "Hidden Pseudonym", "Rosa Public")
	})
}

// TestChairEditsAnItem changes an agenda item's title and speaking time from the chair's console,
// and refuses a speaking time out of bounds, changing nothing.
func TestChairEditsAnItem(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		d := e.debate(t)
		chairPage := "/staff/c/" + d.conf.Slug + "/sessions/" + d.item.SessionID + "/chair?item=" + d.item.ID
		d.chair.get(chairPage).want(t, 200).has(t, `action="/staff/c/`+d.conf.Slug+`/items/`+d.item.ID+`"`, `value="120"`)
		edit := "/staff/c/" + d.conf.Slug + "/items/" + d.item.ID
		d.chair.post(edit, url.Values{"title": {"Debate on the appeal"}, "kind": {"debate"}, "speaking_time_seconds": {"240"}}).
			want(t, 200).has(t, "Debate on the appeal", `value="240"`)
		it, err := e.st.Item(context.Background(), d.item.ID)
		if err != nil || it.Title != "Debate on the appeal" || it.SpeakingTimeSeconds != 240 {
			t.Fatalf("after the edit: got %+v %v, want the new title and 240 s", it, err)
		}
		d.chair.post(edit, url.Values{"speaking_time_seconds": {"5"}}).want(t, 422)
		if it, _ := e.st.Item(context.Background(), d.item.ID); it.SpeakingTimeSeconds != 240 {
			t.Errorf("a refused edit changed the speaking time to %d", it.SpeakingTimeSeconds)
		}
	})
}

// TestProjectorFollowsDebate opens the projector in Chromium and follows a debate while the
// chair gives the floor from the console: the page changes without reloading.
func TestProjectorFollowsDebate(t *testing.T) {
	e := sqliteEnv(t)
	ctx := chrome(t) // after the server, so that the browser (and its stream) closes first
	d := e.debate(t)
	do(t, ctx,
		chromedp.Navigate(e.URL+"/c/"+d.conf.Slug+"/live?lang=en"),
		waitFor(`#live`),
		chromedp.Evaluate[chromedp.Void](`window.zwMarker = 1`),
	)
	if got := text(t, ctx, `#live-speaker`); got != "Nobody" {
		t.Errorf("before the debate: speaker %q, want Nobody", got)
	}
	wait := func(sel, want string) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for text(t, ctx, sel) != want {
			if time.Now().After(deadline) {
				t.Fatalf("%s shows %q, want %q", sel, text(t, ctx, sel), want)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	d.next(t).want(t, 200)
	wait(`#live-speaker`, "A delegate · Listed Union")
	wait(`#live-queue`, "Rosa Public · Listed Union")
	if clock := text(t, ctx, `#live-clock`); !strings.HasPrefix(clock, "2:") && !strings.HasPrefix(clock, "1:5") {
		t.Errorf("clock %q, want about 2:00", clock)
	}
	d.next(t).want(t, 200)
	wait(`#live-speaker`, "Rosa Public · Listed Union")
	wait(`#live-queue`, "")
	do(t, ctx, screenshot("live-projector"))
	if marker := read(t, ctx, chromedp.Evaluate[int](`window.zwMarker || 0`)); marker != 1 {
		t.Error("the projector page reloaded instead of following the stream")
	}
	if body := text(t, ctx, `body`); strings.Contains(body, "Hidden Pseudonym") {
		t.Error("the projector names a delegate who is not public")
	}
}

// TestOnlineLinkOnPages checks that a remote delegate finds a plenary's online link on their own
// page, and that no public page carries it.
func TestOnlineLinkOnPages(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		d := e.debate(t)
		const link = "https://meet.example.org/hall-secret"
		room := &models.Room{ConferenceID: d.conf.ID, Name: "Hall", OnlineURL: link}
		if err := e.st.CreateRoom(ctx, room); err != nil {
			t.Fatal(err)
		}
		sess, err := e.st.Session(ctx, d.item.SessionID)
		if err != nil {
			t.Fatal(err)
		}
		sess.RoomID = &room.ID
		if err := e.st.UpdateSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
		d.public.Attendance = models.AttendRemote
		if err := e.st.UpdateDelegate(ctx, d.public); err != nil {
			t.Fatal(err)
		}
		e.delegateBrowser(d.public).get("/me?lang=en").want(t, 200).has(t, link, "Opening plenary")
		e.delegateBrowser(d.hidden).get("/me?lang=en").want(t, 200).lacks(t, link)
		anon := e.browser()
		for _, path := range []string{"/c/" + d.conf.Slug, "/c/" + d.conf.Slug + "/agenda", "/c/" + d.conf.Slug + "/live", "/c/" + d.conf.Slug + "/participants"} {
			anon.get(path).want(t, 200).lacks(t, "meet.example.org")
		}
	})
}

// TestAskToSpeakFromThePage lets a delegate ask to speak, raise a point of order and withdraw
// from the live page (a phone in the hall, or from afar), and refuses one who is not approved.
func TestAskToSpeakFromThePage(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		d := e.debate(t)
		d.next(t).want(t, 200)
		o := e.organisation(d.conf, "Other Union", true)
		carl := e.delegate(d.conf, o, "Carl Public", models.DelegateApproved, models.VisibilityPublic)
		b := e.delegateBrowser(carl)
		b.get("/c/"+d.conf.Slug+"/live?lang=en").want(t, 200).has(t, "Ask to speak", "Point of order")
		form := url.Values{"item_id": {d.item.ID}}
		b.post("/c/"+d.conf.Slug+"/live/speak", form).want(t, 200).has(t, "You are on the list of speakers.", "Carl Public")
		b.post("/c/"+d.conf.Slug+"/live/speak", form).want(t, 409)
		b.post("/c/"+d.conf.Slug+"/live/withdraw", form).want(t, 200).lacks(t, "Carl Public")
		form.Set("point_of_order", "yes")
		page := b.post("/c/"+d.conf.Slug+"/live/speak", form).want(t, 200)
		if q := page.Body[strings.Index(page.Body, `id="live-queue"`):]; !strings.HasPrefix(q[strings.Index(q, "<li>"):], "<li>Carl Public") {
			t.Errorf("a point of order is not first in the queue: %.200s", q)
		}
		pending := e.delegate(d.conf, o, "Pending", models.DelegateSubmitted, models.VisibilityPublic)
		e.delegateBrowser(pending).post("/c/"+d.conf.Slug+"/live/speak", url.Values{"item_id": {d.item.ID}}).want(t, 403)
		e.browser().get("/c/"+d.conf.Slug+"/live").want(t, 200).lacks(t, "/live/speak")
	})
}
