package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/models"
)

// badgeCode gives d a check-in code through the rules layer and returns it.
func (e *env) badgeCode(d *models.Delegate) string {
	e.t.Helper()
	b, err := e.dom.MyBadge(context.Background(), &domain.Actor{Role: domain.RoleDelegate, Delegate: d})
	if err != nil {
		e.t.Fatal(err)
	}
	return b.CheckinCode
}

// TestPlenaryPages: an organiser sets a delegation, opens a motion, a delegate sees their role,
// badge and the open ballot on /me and votes there; the organiser checks them in by typed code,
// watches turnout and closes the ballot; the result shows on both pages.
func TestPlenaryPages(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		c := e.conference()
		o := e.organisation(c, "Union A", true)
		head := e.delegate(c, o, "Head Hanna", models.DelegateApproved, models.VisibilityPublic)
		mem := e.delegate(c, o, "Member Max", models.DelegateApproved, models.VisibilityPublic)
		staff := e.staff(models.StaffOrganiser)
		base := "/staff/c/" + c.Slug
		staff.get(base+"/delegations?lang=en").want(t, 200).has(t, "Union A")
		staff.get(base+"/delegations?org="+o.ID).want(t, 200).has(t, "Head Hanna", "Member Max")
		staff.post(base+"/delegations/"+o.ID, url.Values{"voting_mandates": {"1"}, "role_" + head.ID: {"head"}, "role_" + mem.ID: {"voting"}}).
			want(t, http.StatusUnprocessableEntity).has(t, "More voting delegates than the organisation has mandates")
		staff.post(base+"/delegations/"+o.ID, url.Values{"voting_mandates": {"1"}, "role_" + head.ID: {"head"}, "role_" + mem.ID: {"member"}}).
			want(t, 200).has(t, "The delegation is saved")
		if !e.mailed(c, "credentials", head.Email) {
			t.Error("no credentials mail to the head")
		}
		staff.post(base+"/ballots", url.Values{"kind": {"motion"}, "question": {"Ceasefire now?"}, "rule": {"simple"}, "quorum": {"50"}}).
			want(t, 200).has(t, "The ballot is open", "Ceasefire now?", "0 of 1 voted")

		me := e.delegateBrowser(head)
		me.get("/me?lang=en").want(t, 200).has(t, "Delegation of Union A", "head of delegation", "/me/badge.pdf", "Ceasefire now?", `name="choice" value="yes"`)
		e.delegateBrowser(mem).get("/me?lang=en").want(t, 200).has(t, "You do not vote in this ballot.").lacks(t, `name="choice"`)
		pdf := me.get("/me/badge.pdf").want(t, 200)
		if !strings.HasPrefix(pdf.Body, "%PDF-") {
			t.Errorf("badge.pdf starts %q", pdf.Body[:min(10, len(pdf.Body))])
		}
		bs, err := e.dom.ListBallots(context.Background(), &domain.Actor{Role: domain.RoleDelegate, Delegate: head}, c.Slug)
		if err != nil || len(bs) != 1 {
			t.Fatalf("ballots: %v %v", bs, err)
		}
		me.post("/me/ballots/"+bs[0].ID+"/vote", url.Values{"choice": {"yes"}}).want(t, 200).has(t, "Your vote is counted.")
		me.post("/me/ballots/"+bs[0].ID+"/vote", url.Values{"choice": {"no"}}).want(t, http.StatusConflict)

		code := e.badgeCode(head)
		staff.post(base+"/checkins", url.Values{"code": {strings.ToLower(code)}}).want(t, 200).has(t, "Head Hanna is checked in.")
		staff.post(base+"/checkins", url.Values{"code": {"0000-0000-0000-0000"}}).want(t, 404).has(t, "No such code.").lacks(t, "Head Hanna is")
		p := staff.get(base+"/plenary").want(t, 200).has(t, "1 of 1 voted")
		if !strings.Contains(p.Body, `class="delegates-present">1<`) || !strings.Contains(p.Body, `class="mandates-present">1<`) {
			t.Errorf("presence counts not shown:\n%s", p.Body)
		}
		staff.post(base+"/ballots/"+bs[0].ID+"/close", nil).want(t, 200).has(t, "The ballot is closed and counted.", "adopted")
		me.get("/me").want(t, 200).has(t, "Results", "adopted")
		e.staff(models.StaffReviewer).post(base+"/ballots", url.Values{"kind": {"motion"}, "question": {"Q"}}).want(t, http.StatusForbidden)
	})
}

// TestBrowserPlenaryConsole: in a real browser an organiser opens a ballot, checks a delegate in
// by typing the code from their badge, and closes the ballot.
func TestBrowserPlenaryConsole(t *testing.T) {
	ctx := chrome(t)
	e := sqliteEnv(t)
	c := e.conference()
	o := e.organisation(c, "Collectif Paix et Travail", true)
	d := e.delegate(c, o, "Jean-Marc", models.DelegateApproved, models.VisibilityPublic)
	code := e.badgeCode(d)
	email := e.account(models.StaffOrganiser)
	do(t, ctx,
		chromedp.Navigate(e.URL+"/staff/c/"+c.Slug+"/plenary?lang=en"),
		waitFor(`#password`),
		chromedp.SendKeys(css(`#email`), email),
		chromedp.SendKeys(css(`#password`), testPassword),
	)
	submit(t, ctx, chromedp.Click(css(`main form button[type=submit]`)))
	do(t, ctx, waitFor(`#checkin-form`), chromedp.SendKeys(css(`#code`), strings.ReplaceAll(code, "-", " ")))
	submit(t, ctx, chromedp.Click(css(`#checkin-form button[type=submit]`)))
	do(t, ctx, waitFor(`.checkin-result`), screenshot("console-checkin"))
	if got := text(t, ctx, `.checkin-result`); !strings.Contains(got, "Jean-Marc is checked in") {
		t.Fatalf("check-in notice %q", got)
	}
	if got := text(t, ctx, `.delegates-present`); got != "1" {
		t.Fatalf("delegates present %q, want 1", got)
	}
	do(t, ctx, chromedp.SendKeys(css(`#question`), "Adopt the manifesto?"))
	submit(t, ctx, chromedp.Click(css(`form[action$="/ballots"] button[type=submit]`)))
	do(t, ctx, waitFor(`#ballots-open .turnout`), screenshot("console-ballot-open"))
	if got := text(t, ctx, `#ballots-open .turnout`); got != "0 of 1 voted" {
		t.Fatalf("turnout %q", got)
	}
	bs, err := e.dom.ListBallots(context.Background(), &domain.Actor{Role: domain.RoleDelegate, Delegate: d}, c.Slug)
	if err != nil || len(bs) != 1 {
		t.Fatalf("ballots: %v %v", bs, err)
	}
	if err := e.dom.Vote(context.Background(), &domain.Actor{Role: domain.RoleDelegate, Delegate: d}, bs[0].ID, []string{"yes"}); err != nil {
		t.Fatal(err)
	}
	// The turnout refreshes without reloading the page.
	do(t, ctx, chromedp.Poll[chromedp.Void](`document.querySelector("#ballots-open .turnout").textContent === "1 of 1 voted"`))
	submit(t, ctx, chromedp.Click(css(`#ballots-open button[type=submit]`)))
	do(t, ctx, waitFor(`.results`), screenshot("console-ballot-closed"))
	if got := text(t, ctx, `.results`); !strings.Contains(got, "adopted") {
		t.Fatalf("result %q", got)
	}
}
