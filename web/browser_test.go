package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/zimmerwald/zimmerwald/models"
	"github.com/zimmerwald/zimmerwald/models/modelstest"
)

// screens is where the browser tests leave screenshots for a human to look at.
const screens = "/tmp/zw-screens"

// chromePath finds a Chromium or Chrome binary ("" if there is none).
func chromePath() string {
	if p := os.Getenv("ZW_CHROME"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// chrome starts a fresh headless Chromium for one test; without one it calls modelstest.Require
// (skip, or fail in CI).
func chrome(t *testing.T) context.Context {
	t.Helper()
	path := chromePath()
	if path == "" {
		modelstest.Require(t, "a chromium binary (apt-get install chromium, or set ZW_CHROME)")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	// A safety net so that a broken page cannot hang the test run; no assertion depends on it.
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// do runs browser steps and fails the test on error.
func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// read runs one browser action that returns a value and fails the test on error.
func read[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// submit runs steps that end in a navigation (a click on a submit button or a link) and waits
// until the new page has loaded.
func submit(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if _, err := chromedp.RunResponse(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// waitPath waits until the browser shows a page whose path is path (a page may move on by
// itself, as the landing page of a mailed link does).
func waitPath(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	waitURL(t, ctx, func(u *url.URL) bool { return u.Path == path })
}

// waitURL waits until the browser has completely loaded a page whose URL satisfies ok.
func waitURL(t *testing.T, ctx context.Context, ok func(*url.URL) bool) {
	t.Helper()
	for {
		loc, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		if u, err := url.Parse(loc); err == nil && ok(u) {
			state, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.readyState`))
			if err == nil && state == "complete" {
				return
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the browser never reached the page it waited for (last at %s)", loc)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// waitFor waits until the page has loaded completely and shows an element matching the CSS
// selector. It asks the page itself, so a navigation in between only makes it ask again.
func waitFor(sel string) chromedp.Action[chromedp.Void] {
	expr := `(() => { const e = document.querySelector(` + jsString(sel) + `);
		return document.readyState === "complete" && !!e && e.getClientRects().length > 0; })()`
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		for {
			if ok, err := chromedp.Evaluate[bool](expr)(ctx, tg); err == nil && ok {
				return chromedp.Void{}, nil
			}
			select {
			case <-ctx.Done():
				return chromedp.Void{}, fmt.Errorf("waiting for %s: %w", sel, ctx.Err())
			case <-time.After(20 * time.Millisecond):
			}
		}
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// text reads the visible text of the first element matching a CSS selector.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return strings.TrimSpace(read(t, ctx, chromedp.Evaluate[string](`(document.querySelector(`+jsString(sel)+`) || {innerText: ""}).innerText`)))
}

// value reads the value of the first form field matching a CSS selector.
func value(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return read(t, ctx, chromedp.Evaluate[string](`(document.querySelector(`+jsString(sel)+`) || {value: ""}).value`))
}

// screenshot saves a screenshot of the whole page as /tmp/zw-screens/name.png. It makes the
// viewport as tall as the page for the capture (Chrome's capture beyond the viewport proved
// unreliable on long pages) and restores it afterwards.
func screenshot(name string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		height, err := chromedp.Evaluate[int64](`Math.ceil(document.documentElement.scrollHeight)`)(ctx, tg)
		if err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, tg, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
			Width: 1280, Height: min(max(height, 600), 12000), DeviceScaleFactor: 1}); err != nil {
			return err
		}
		defer cdp.Call(ctx, tg, emulation.ClearDeviceMetricsOverride, cdp.Empty{})
		buf, err := chromedp.CaptureScreenshot()(ctx, tg)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(screens, 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(screens, name+".png"), buf, 0o644)
	})
}

// css is a CSS selector.
func css(s string) chromedp.CSS { return chromedp.CSS(s) }

// fillRegistration fills every field of the registration form except consent.
func fillRegistration(email, name, orgID string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.SendKeys(css(`#email`), email),
		chromedp.SendKeys(css(`#display_name`), name),
		chromedp.SendKeys(css(`#country`), "ua"),
		chromedp.SetValue(css(`#organisation_id`), orgID),
		chromedp.Click(css(`input[name=role][value=delegate]`)),
		chromedp.Click(css(`input[name=languages][value=uk]`)),
		chromedp.Click(css(`input[name=attendance][value=remote]`)),
		chromedp.Click(css(`input[name=visibility][value=participants]`)),
		chromedp.SendKeys(css(`#interpretation_needs`), "Ukrainian to English"),
		chromedp.SendKeys(css(`#accessibility_needs`), "step-free access"),
		chromedp.Click(css(`input[name=needs_visa_letter]`)),
		chromedp.SendKeys(css(`#legal_name`), "Olena Kovalenko"),
	)
}

// TestBrowserRegisterConfirm: a delegate fills every field of the registration form in a real
// browser, sees "check your mail", opens the mailed confirmation link and lands on their page.
func TestBrowserRegisterConfirm(t *testing.T) {
	ctx := chrome(t)
	e := sqliteEnv(t)
	c := e.conference()
	o := e.organisation(c, "Sotsialnyi Rukh", true)
	e.organisation(c, "Swiss Workers' Union", true)
	do(t, ctx,
		chromedp.Navigate(e.URL+"/c/"+c.Slug+"/register?lang=en"),
		waitFor(`#register`),
		screenshot("register-empty"),
		fillRegistration("olena@example.org", "Olena K.", o.ID),
		chromedp.Click(css(`#consent`)),
		screenshot("register-filled"),
	)
	submit(t, ctx, chromedp.Click(css(`#register button[type=submit]`)))
	if h1 := text(t, ctx, `main h1`); h1 != "Check your mail" {
		t.Fatalf("after submitting: h1 %q, want Check your mail", h1)
	}
	d, err := e.st.DelegateByEmail(context.Background(), c.ID, "olena@example.org")
	if err != nil {
		t.Fatalf("the registration was not stored: %v", err)
	}
	if d.LegalName != "Olena Kovalenko" || d.Attendance != "remote" || d.Visibility != "participants" || !d.NeedsVisaLetter ||
		d.InterpretationNeeds != "Ukrainian to English" || d.Country != "UA" || d.OrganisationID == nil || *d.OrganisationID != o.ID {
		t.Fatalf("stored registration does not match the form: %+v", d)
	}
	link := e.mailedLink(c, "confirm", "olena@example.org")
	// The landing page's script presses "Confirm"; the browser ends on /me.
	do(t, ctx, chromedp.Navigate(e.URL+link))
	waitPath(t, ctx, "/me")
	do(t, ctx, waitFor(`.display-name`), screenshot("me"))
	name := text(t, ctx, `.display-name`)
	loc := read(t, ctx, chromedp.Location())
	if name != "Olena K." || !strings.HasSuffix(loc, "/me") {
		t.Fatalf("after the confirmation link: name %q at %s, want Olena K. at /me", name, loc)
	}
	if got, _ := e.st.Delegate(context.Background(), d.ID); got.Status != models.DelegateSubmitted {
		t.Fatalf("status %s after confirming, want submitted", got.Status)
	}
}

// TestBrowserRegisterErrors: submitting without consent shows the error next to the consent box,
// with everything typed still in the form.
func TestBrowserRegisterErrors(t *testing.T) {
	ctx := chrome(t)
	e := sqliteEnv(t)
	c := e.conference()
	o := e.organisation(c, "Union", true)
	do(t, ctx,
		chromedp.Navigate(e.URL+"/c/"+c.Slug+"/register?lang=en"),
		waitFor(`#register`),
		fillRegistration("kept@example.org", "Kept Name", o.ID),
	)
	submit(t, ctx, chromedp.Click(css(`#register button[type=submit]`)))
	do(t, ctx, waitFor(`#e-consent`), screenshot("register-errors"))
	msg := text(t, ctx, `#e-consent`)
	name := value(t, ctx, `#display_name`)
	legal := value(t, ctx, `#legal_name`)
	country := value(t, ctx, `#country`)
	org := value(t, ctx, `#organisation_id`)
	remote := read(t, ctx, chromedp.Evaluate[bool](`document.querySelector('input[name=attendance][value=remote]').checked`))
	visa := read(t, ctx, chromedp.Evaluate[bool](`document.querySelector('input[name=needs_visa_letter]').checked`))
	if !strings.Contains(msg, "consent") || name != "Kept Name" || legal != "Olena Kovalenko" || country != "ua" || org != o.ID || !remote || !visa {
		t.Fatalf("error %q; kept name %q legal %q country %q organisation %q remote %v visa %v", msg, name, legal, country, org, remote, visa)
	}
	if n, _ := e.st.CountDelegates(context.Background(), models.DelegateFilter{ConferenceID: c.ID}); n != 0 {
		t.Fatalf("a registration without consent was stored (%d)", n)
	}
}

// TestBrowserStaffApproves: an organiser logs in, finds the registration in the console and
// approves it; the delegate's status changes and their decision mail is queued.
func TestBrowserStaffApproves(t *testing.T) {
	ctx := chrome(t)
	e := sqliteEnv(t)
	c := e.conference()
	o := e.organisation(c, "Collectif Paix et Travail", true)
	d := e.delegate(c, o, "Jean-Marc", models.DelegateSubmitted, models.VisibilityPublic)
	e.delegate(c, o, "Another One", models.DelegateSubmitted, models.VisibilityOrganisers)
	email := e.account(models.StaffOrganiser)
	row := `#d-` + d.ID
	do(t, ctx,
		chromedp.Navigate(e.URL+"/staff/c/"+c.Slug+"/registrations?lang=en"),
		waitFor(`#password`),
		chromedp.SendKeys(css(`#email`), email),
		chromedp.SendKeys(css(`#password`), testPassword),
	)
	submit(t, ctx, chromedp.Click(css(`main form button[type=submit]`)))
	do(t, ctx, waitFor(row), screenshot("console-registrations"))
	if rowText := text(t, ctx, row); !strings.Contains(rowText, "Jean-Marc") || !strings.Contains(rowText, "Collectif Paix et Travail") {
		t.Fatalf("console row %q", rowText)
	}
	submit(t, ctx, chromedp.Click(css(row+` button[value=approve]`)))
	do(t, ctx, waitFor(`#confirm`), screenshot("console-confirm"))
	submit(t, ctx, chromedp.Click(css(`#confirm`)))
	do(t, ctx, waitFor(`.notice`))
	if notice := text(t, ctx, `.notice`); !strings.Contains(notice, "decision is saved") {
		t.Fatalf("notice %q", notice)
	}
	got, _ := e.st.Delegate(context.Background(), d.ID)
	if got.Status != models.DelegateApproved {
		t.Fatalf("status %s after approving, want approved", got.Status)
	}
	if !e.mailed(c, "decision", d.Email) {
		t.Fatal("no decision mail to the delegate in the outbox")
	}
}

// TestBrowserLanguageSwitch: the language switcher turns the registration page Ukrainian, and
// the choice sticks on the next page.
func TestBrowserLanguageSwitch(t *testing.T) {
	ctx := chrome(t)
	e := sqliteEnv(t)
	c := e.conference()
	do(t, ctx,
		chromedp.Navigate(e.URL+"/c/"+c.Slug+"/register?lang=en"),
		waitFor(`a[hreflang=uk]`),
	)
	submit(t, ctx, chromedp.Click(css(`a[hreflang=uk]`)))
	do(t, ctx, waitFor(`html[lang=uk] main h1`), screenshot("register-uk"))
	h1, label := text(t, ctx, `main h1`), text(t, ctx, `label[for=display_name]`)
	if h1 != "Реєстрація" || !strings.Contains(label, "Ім'я для показу") {
		t.Fatalf("after switching to uk: h1 %q, label %q", h1, label)
	}
	do(t, ctx,
		chromedp.Navigate(e.URL+"/c/"+c.Slug),
		waitFor(`main h1`),
	)
	lang := read(t, ctx, chromedp.Evaluate[string](`document.documentElement.lang`))
	if nav := text(t, ctx, `nav.conf`); lang != "uk" || !strings.Contains(nav, "Програма") {
		t.Fatalf("the next page is in %q (%q), want uk", lang, nav)
	}
}
