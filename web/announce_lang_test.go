package web_test

import (
	"context"
	"mime"
	"net/http"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/zimmerwald/zimmerwald/mail/smtptest"
	"github.com/zimmerwald/zimmerwald/models"
)

// TestAnnouncementInEveryLanguageAndOneClickUnsubscribe: an announcement written in English with
// a Ukrainian version reaches each delegate in their mail language (the default text for a
// language without a version); the preview shows any language; every mail carries
// List-Unsubscribe and List-Unsubscribe-Post (RFC 8058), and a POST to that link, from a mail
// program and without a login, turns announcements off; a forged link does nothing.
func TestAnnouncementInEveryLanguageAndOneClickUnsubscribe(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		c := e.conference("en", "uk", "ru")
		o := e.organisation(c, "Union", true)
		people := map[string]*models.Delegate{}
		for name, lang := range map[string]string{"Olena": "uk", "Jane": "en", "Ivan": "ru"} {
			d := e.delegate(c, o, name, models.DelegateApproved, models.VisibilityOrganisers)
			d.Languages, d.MailLanguage = models.StringList{"en", lang}, lang
			if err := e.st.UpdateDelegate(ctx, d); err != nil {
				t.Fatal(err)
			}
			people[lang] = d
		}
		staff := e.staff(models.StaffOrganiser)
		base := "/staff/c/" + c.Slug + "/announcements"
		form := url.Values{"subject": {"Hall opens at 8:30"}, "body": {"Bring your badge."}, "statuses": {"approved"},
			"subject_uk": {"Зала відчиняється о 8:30"}, "body_uk": {"Візьміть бейдж."}, "preview_lang": {"uk"}}
		staff.post(base+"?lang=en", form).want(t, 200).has(t, "Зала відчиняється о 8:30", "Візьміть бейдж.")
		form.Del("preview_lang")
		staff.post(base, form).want(t, 200).has(t, "Hall opens at 8:30")
		bad := url.Values{"subject": {"x"}, "body": {"y"}, "subject_uk": {"only a subject"}}
		staff.post(base+"?lang=en", bad).want(t, 422).has(t, `id="e-translations.uk.body"`)
		form.Set("action", "send")
		form.Set("previewed", "yes")
		staff.post(base, form).want(t, 200)

		srv := smtptest.NewServer(t)
		e.deliver(srv)
		subjects := map[string]string{}
		unsub := map[string]string{}
		for _, m := range srv.Messages() {
			msg, err := mail.ReadMessage(strings.NewReader(string(m.Data)))
			if err != nil {
				t.Fatal(err)
			}
			subj, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
			subjects[m.To[0]] = subj
			lu, post := msg.Header.Get("List-Unsubscribe"), msg.Header.Get("List-Unsubscribe-Post")
			if !regexp.MustCompile(`^<`+regexp.QuoteMeta(e.URL)+`/u/[^>]+>$`).MatchString(lu) || post != "List-Unsubscribe=One-Click" {
				t.Fatalf("List-Unsubscribe %q, List-Unsubscribe-Post %q", lu, post)
			}
			unsub[m.To[0]] = strings.Trim(lu, "<>")
		}
		for lang, want := range map[string]string{"uk": "Зала відчиняється о 8:30", "en": "Hall opens at 8:30", "ru": "Hall opens at 8:30"} {
			if got := subjects[people[lang].Email]; !strings.Contains(got, want) {
				t.Errorf("%s reader got subject %q, want %q", lang, got, want)
			}
		}

		// One click, as a mail program sends it: no cookie, from elsewhere.
		link := unsub[people["uk"].Email]
		post := func(u string) int {
			req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader("List-Unsubscribe=One-Click"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", "https://mail.example")
			req.Header.Set("Sec-Fetch-Site", "cross-site")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			return res.StatusCode
		}
		e.browser().get(strings.TrimPrefix(link, e.URL)+"?lang=uk").want(t, 200).has(t, "Відписатися від оголошень")
		if got, _ := e.st.Delegate(ctx, people["uk"].ID); !got.NotifyAnnouncements {
			t.Fatal("opening the link (as a mail scanner does) unsubscribed")
		}
		if code := post(link); code != 200 {
			t.Fatalf("one-click unsubscribe: status %d", code)
		}
		if got, _ := e.st.Delegate(ctx, people["uk"].ID); got.NotifyAnnouncements {
			t.Fatal("still subscribed after the one-click POST")
		}
		forged := e.URL + "/u/" + people["en"].ID + ".AAAAAAAAAAAAAAAAAAAAAAAA"
		if code := post(forged); code != 404 {
			t.Fatalf("forged link: status %d, want 404", code)
		}
		if got, _ := e.st.Delegate(ctx, people["en"].ID); !got.NotifyAnnouncements {
			t.Fatal("a forged link unsubscribed someone")
		}
	})
}
