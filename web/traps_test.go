package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/zimmerwald/zimmerwald/models"
)

// outboxLang is the language of the newest outbox message of template to address in c.
func (e *env) outboxLang(c *models.Conference, template, to string) string {
	e.t.Helper()
	m := e.outboxRow(c, template, to)
	if m == nil {
		e.t.Fatalf("no %s mail to %s", template, to)
	}
	return m.Lang
}

// TestMailLanguageChosen: a Ukrainian who also reads English (English first in the form's order)
// gets mail in the language they chose, which the form preselects from the page language; they
// can change it on their page, and an unknown language is refused.
func TestMailLanguageChosen(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		c := e.conference()
		o := e.organisation(c, "Union", true)
		b := e.browser()
		b.get("/c/"+c.Slug+"/register?lang=uk").want(t, 200).has(t, `<option value="uk" lang="uk" selected>`)
		f := registrationForm("olena@example.org", "Olena", o.ID)
		f["languages"] = []string{"en", "uk"}
		f.Set("mail_language", "uk")
		b.post("/c/"+c.Slug+"/register", f).want(t, 200)
		if got := e.outboxLang(c, "confirm", "olena@example.org"); got != "uk" {
			t.Fatalf("confirmation mail in %q, want uk", got)
		}
		// The mailed link opens the page in the mail's language, on any device.
		link := e.mailedLink(c, "confirm", "olena@example.org")
		if !strings.Contains(link, "lang=uk") {
			t.Fatalf("confirmation link %q does not carry the mail's language", link)
		}
		e.browser().get(link).want(t, 200).has(t, `<html lang="uk">`)
		d := e.delegate(c, o, "Vera", models.DelegateSubmitted, models.VisibilityOrganisers)
		me := e.delegateBrowser(d)
		me.get("/me?lang=en").has(t, "Language of my mail")
		form := url.Values{"display_name": {"Vera"}, "languages": {"en", "de"}, "attendance": {"remote"}, "visibility": {"organisers"}}
		form.Set("mail_language", "xx")
		me.post("/me", form).want(t, 422).has(t, `id="e-mail_language"`)
		form.Set("mail_language", "de")
		me.post("/me", form).want(t, 200)
		e.staff(models.StaffOrganiser).post("/staff/c/"+c.Slug+"/registrations/"+d.ID+"/decision", url.Values{"decision": {"approve"}, "confirmed": {"1"}}).want(t, 200)
		if got := e.outboxLang(c, "decision", d.Email); got != "de" {
			t.Fatalf("decision mail in %q, want de (chosen, though English is listed first)", got)
		}
	})
}

// TestDecisionNeedsConfirmation: approving or rejecting from the list first asks again (nothing
// is stored or mailed); the confirmation page's form decides; waitlisting needs no second step.
func TestDecisionNeedsConfirmation(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		c := e.conference()
		d := e.delegate(c, e.organisation(c, "Union", true), "Taras", models.DelegateSubmitted, models.VisibilityOrganisers)
		staff := e.staff(models.StaffOrganiser)
		path := "/staff/c/" + c.Slug + "/registrations/" + d.ID + "/decision"
		for _, lang := range []string{"en", "uk"} {
			staff.get("/staff?lang=" + lang)
			p := staff.post(path, url.Values{"decision": {"reject"}, "reason": {"quota"}}).want(t, 200)
			p.has(t, `name="confirmed" value="1"`, `name="reason" value="quota"`, "Taras")
			if lang == "uk" {
				p.has(t, "Відхилити реєстрацію Taras?")
			}
		}
		if got, _ := e.st.Delegate(context.Background(), d.ID); got.Status != models.DelegateSubmitted || e.mailed(c, "decision", d.Email) {
			t.Fatalf("asking for confirmation decided already: %s", got.Status)
		}
		staff.post(path, url.Values{"decision": {"reject"}, "reason": {"quota"}, "confirmed": {"1"}}).want(t, 200)
		if got, _ := e.st.Delegate(context.Background(), d.ID); got.Status != models.DelegateRejected {
			t.Fatalf("after confirming: %s", got.Status)
		}
		e.staff(models.StaffReviewer).post(path, url.Values{"decision": {"approve"}}).want(t, 403)
	})
}

// TestOrganisersDoNotReadDrafts: a delegate's draft is their organisation's alone, as the page
// tells them: neither the console nor the statement page shows it to staff until submitted.
func TestOrganisersDoNotReadDrafts(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		c := e.conference()
		author := e.delegateBrowser(e.delegate(c, e.organisation(c, "Union", true), "Vera", models.DelegateApproved, models.VisibilityOrganisers))
		id := statementID(t, author.post("/c/"+c.Slug+"/statements", url.Values{"title": {"Secret draft"}, "body": {"Not yet."}, "language": {"en"}}).want(t, 200))
		staff := e.staff(models.StaffOrganiser)
		staff.get("/staff/c/"+c.Slug+"/statements/"+id).want(t, 404)
		staff.get("/statements/"+id).want(t, 404)
		staff.get("/staff/c/"+c.Slug+"/statements?status=").want(t, 200).lacks(t, "Secret draft")
		author.post("/statements/"+id+"/submit", url.Values{}).want(t, 200)
		staff.get("/staff/c/"+c.Slug+"/statements/"+id+"?lang=en").want(t, 200).has(t, "Secret draft")
	})
}

// TestParticipantsTier: delegates who show themselves to participants appear, marked, to approved
// delegates of the conference only: not to the public, not to a delegate still waiting, not to
// delegates of another conference.
func TestParticipantsTier(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		c := e.conference()
		o := e.organisation(c, "Union", true)
		e.delegate(c, o, "Public Anna", models.DelegateApproved, models.VisibilityPublic)
		e.delegate(c, o, "Tier Boris", models.DelegateApproved, models.VisibilityParticipants)
		e.delegate(c, o, "Hidden Clara", models.DelegateApproved, models.VisibilityOrganisers)
		path := "/c/" + c.Slug + "/participants?lang=en"
		e.browser().get(path).want(t, 200).has(t, "Public Anna").lacks(t, "Tier Boris", "Hidden Clara")
		e.delegateBrowser(e.delegate(c, o, "Waiting", models.DelegateSubmitted, models.VisibilityPublic)).get(path).lacks(t, "Tier Boris")
		other := e.conference()
		e.delegateBrowser(e.delegate(other, e.organisation(other, "Other", true), "Elsewhere", models.DelegateApproved, models.VisibilityPublic)).
			get(path).lacks(t, "Tier Boris")
		me := e.delegateBrowser(e.delegate(c, o, "Approved", models.DelegateApproved, models.VisibilityOrganisers))
		me.get(path).has(t, "Public Anna", "Tier Boris", "Participants only", "Do not pass their names on").lacks(t, "Hidden Clara")
		me.get("/c/"+c.Slug+"/participants?lang=ru").has(t, "Tier Boris", "Не передавайте")
	})
}

// TestUntranslatedStringsTranslated: the delivery view names mail templates and languages in
// the reader's language, and an erased registration's placeholder name is translated.
func TestUntranslatedStringsTranslated(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		c := e.conference()
		d := e.delegate(c, e.organisation(c, "Union", true), "Gone", models.DelegateSubmitted, models.VisibilityOrganisers)
		staff := e.staff(models.StaffOrganiser)
		staff.post("/staff/c/"+c.Slug+"/registrations/"+d.ID+"/decision", url.Values{"decision": {"waitlist"}}).want(t, 200)
		staff.get("/staff/c/"+c.Slug+"/outbox?state=&lang=uk").want(t, 200).has(t, "Рішення щодо реєстрації (English)").lacks(t, "decision (en)")
		d.DisplayName = models.ErasedName
		if err := e.st.UpdateDelegate(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		staff.get("/staff/c/"+c.Slug+"/registrations?status=&lang=de").has(t, "(zurückgezogen)").lacks(t, models.ErasedName)
	})
}
