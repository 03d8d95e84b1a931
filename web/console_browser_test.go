package web_test

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/zimmerwald/zimmerwald/models"
)

// axeViolation is a serious or critical axe-core finding on a page.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Nodes  []string `json:"nodes"`
}

// widths are the viewports every page is checked at: a desktop and a 375 px phone.
var widths = []struct {
	name   string
	width  int64
	mobile bool
}{{"desktop", 1280, false}, {"phone", 375, true}}

// viewport sets the browser's viewport (a phone's: mobile, so the page's meta viewport counts).
func viewport(width int64, mobile bool) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
			Width: width, Height: 800, DeviceScaleFactor: 1, Mobile: mobile})
		return err
	})
}

// signIn gives the browser the session of b (an HTTP client that signed in), as cookies.
func signIn(t *testing.T, ctx context.Context, e *env, b *browser) {
	t.Helper()
	do(t, ctx, chromedp.Navigate(e.URL+"/static/site.css"),
		chromedp.Evaluate[chromedp.Void](`document.cookie = "zw_session=`+b.cookie("zw_session")+`; path=/"; document.cookie = "zw_kind=`+b.cookie("zw_kind")+`; path=/";`))
}

// axeScript is axe-core's script, to run in a page.
func axeScript(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile("testdata/axe/axe.min.js")
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// checkPage opens path and fails the test when the page is wider than the viewport (a phone
// must not scroll sideways) or axe-core reports a serious or critical violation.
func checkPage(t *testing.T, ctx context.Context, axe, label string, width int64) {
	t.Helper()
	do(t, ctx, waitFor(`main`))
	// Against the device's width: a phone browser widens its layout viewport to fit a page that
	// overflows, so window.innerWidth would grow with the page.
	w := strconv.FormatInt(width, 10)
	if over := read(t, ctx, chromedp.Evaluate[int64](`document.documentElement.scrollWidth - `+w)); over > 0 {
		wide := read(t, ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("main *")].filter(e => e.getBoundingClientRect().right > `+w+` + 1).slice(0, 3).map(e => e.tagName + "." + e.className).join(", ")`))
		t.Errorf("%s: the page is %d px wider than the viewport (%s)", label, over, wide)
	}
	do(t, ctx, chromedp.Evaluate[chromedp.Void](axe))
	vs := read(t, ctx, chromedp.Evaluate[[]axeViolation](`axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations
		.filter(v => v.impact === "serious" || v.impact === "critical")
		.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))})))`, chromedp.EvalAwaitPromise))
	for _, v := range vs {
		t.Errorf("%s: axe %s (%s) at %s", label, v.ID, v.Impact, strings.Join(v.Nodes, " | "))
	}
}

// TestBrowserConsoleAndDelegatePages opens every console page and the delegate pages this issue
// changed, at desktop and phone width and in English and Ukrainian: none is wider than a 375 px
// phone, none has a serious or critical axe-core violation, and the fixed defects stay fixed
// (the announcement preview and the staff agenda fit a phone; unapproved delegates see no
// sign-up; approval asks for confirmation).
func TestBrowserConsoleAndDelegatePages(t *testing.T) {
	axe := axeScript(t)
	e := sqliteEnv(t)
	c := e.demo()
	bg := context.Background()
	o := e.organisation(c, "Browser Union", true)
	waiting := e.delegate(c, o, "Waiting Wanda", models.DelegateSubmitted, models.VisibilityOrganisers)
	approved := e.delegate(c, o, "Approved Andriy", models.DelegateApproved, models.VisibilityParticipants)
	sts, _ := e.st.ListStatements(bg, models.StatementFilter{ConferenceID: c.ID, Status: models.StatementAccepted, Page: models.Page{Limit: 1}})
	ss, _ := e.st.ListSessions(bg, models.SessionFilter{ConferenceID: c.ID, Statuses: []models.SessionStatus{models.SessionPublished}})
	if len(sts) == 0 || len(ss) == 0 {
		t.Fatal("the demo has no accepted statement or published session")
	}
	base := "/staff/c/" + c.Slug
	staffPages := []string{base, base + "/registrations", base + "/registrations/" + waiting.ID, base + "/organisations", base + "/rooms",
		base + "/settings", base + "/agenda", base + "/statements", base + "/statements/" + sts[0].ID, base + "/announcements", base + "/outbox",
		"/staff", "/staff/accounts", "/staff/audit", "/staff/tokens"}
	delegatePages := []string{"/me", "/c/" + c.Slug + "/agenda", "/c/" + c.Slug + "/sessions/" + ss[0].ID, "/c/" + c.Slug + "/participants",
		"/statements/" + sts[0].ID, "/u/" + e.st.UnsubscribeToken(approved.ID)}

	admin := e.staff(models.StaffAdmin)
	for _, w := range widths {
		for _, lang := range []string{"en", "uk"} {
			label := w.name + "/" + lang
			t.Run(label, func(t *testing.T) {
				ctx := chrome(t) // one browser per width and language: each has its own time limit
				do(t, ctx, viewport(w.width, w.mobile))
				signIn(t, ctx, e, admin)
				// The measure itself must see an overflow: a page made too wide on purpose.
				do(t, ctx, chromedp.Navigate(e.URL+"/staff?lang="+lang), waitFor(`main`))
				if over := read(t, ctx, chromedp.Evaluate[int64](`(() => { const d = document.createElement("div"); d.style.width = "`+strconv.FormatInt(w.width+200, 10)+`px";
					d.style.height = "1px"; document.querySelector("main").append(d); return document.documentElement.scrollWidth - `+strconv.FormatInt(w.width, 10)+`; })()`)); over < 150 {
					t.Fatalf("%s: a page 200 px too wide measures %d px too wide: the overflow check cannot fail", label, over)
				}
				for _, p := range staffPages {
					do(t, ctx, chromedp.Navigate(e.URL+p+"?lang="+lang))
					checkPage(t, ctx, axe, label+" "+p, w.width)
				}
				// The announcement preview with a long unbroken line must fit a phone too.
				do(t, ctx, chromedp.Navigate(e.URL+base+"/announcements?lang="+lang), waitFor(`#subject`),
					chromedp.SendKeys(css(`#subject`), "Practical information"),
					chromedp.SendKeys(css(`#body`), "See https://example.org/"+strings.Repeat("very-long-path-segment/", 12)+" and bring your badge."))
				submit(t, ctx, chromedp.Click(css(`button[value=preview]`)))
				do(t, ctx, waitFor(`#recipients`))
				checkPage(t, ctx, axe, label+" announcement preview", w.width)
				// Approving asks first.
				do(t, ctx, chromedp.Navigate(e.URL+base+"/registrations?lang="+lang), waitFor(`#d-`+waiting.ID))
				submit(t, ctx, chromedp.Click(css(`#d-`+waiting.ID+` button[value=approve]`)))
				do(t, ctx, waitFor(`#confirm`))
				checkPage(t, ctx, axe, label+" confirmation", w.width)
				if got, _ := e.st.Delegate(bg, waiting.ID); got.Status != models.DelegateSubmitted {
					t.Fatalf("the first click approved (%s)", got.Status)
				}

				for _, d := range []*models.Delegate{waiting, approved} {
					signIn(t, ctx, e, e.delegateBrowser(d))
					for _, p := range delegatePages {
						do(t, ctx, chromedp.Navigate(e.URL+p+"?lang="+lang))
						checkPage(t, ctx, axe, label+" "+d.DisplayName+" "+p, w.width)
					}
					do(t, ctx, chromedp.Navigate(e.URL+"/c/"+c.Slug+"/agenda?lang="+lang), waitFor(`main`))
					attend := read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("form[action$='/attend']").length`))
					if (attend > 0) != (d == approved) {
						t.Errorf("%s: %s is offered %d sign-up buttons", label, d.DisplayName, attend)
					}
				}
				if w.mobile {
					signIn(t, ctx, e, admin)
					do(t, ctx, chromedp.Navigate(e.URL+base+"/agenda?lang="+lang), waitFor(`main`), screenshot("phone-staff-agenda-"+lang))
				}
			})
		}
	}
}
