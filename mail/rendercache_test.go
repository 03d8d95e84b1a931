package mail

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

// TestRenderCacheMatchesFullRendering: an announcement filled into its skeleton is byte for byte
// what the templates render, in every language, for plain and awkward names and links, and the
// skeleton is used for the usual ones.
func TestRenderCacheMatchesFullRendering(t *testing.T) {
	tmpl, err := LoadTemplates()
	if err != nil {
		t.Fatal(err)
	}
	c := newRenderCache(tmpl)
	names := []string{"Anna K.", "", `<script>alert("x")</script> & 'co' + 1`, "Ольга Петренко", "a\u00a0b", strings.Repeat("Very Long Name ", 20)}
	links := []string{"https://zw.example/u/AbC-123_x", "", "https://zw.example/u/a b\"<>", "https://zw.example/u/ä?x=1&y=2"}
	bodies := []string{"The plenary starts at nine.\n\nBring your badge.", "Dear delegates,\n\nthe hall moved."}
	for _, lang := range tmpl.Languages() {
		for _, body := range bodies {
			for _, names_conf := range []bool{false, true} {
				for _, name := range names {
					for _, link := range links {
						d := &AnnouncementData{Discretion: Discretion{NamesConference: names_conf}, Conference: "Bench Conference",
							Name: name, Subject: "Practical information", Body: body, UnsubscribeURL: link}
						want, err := tmpl.Render(TemplateAnnouncement, lang, d)
						if err != nil {
							t.Fatal(err)
						}
						got, ok := c.render(lang, d)
						if !ok {
							if linkSafe(link) {
								t.Errorf("%s: name %q link %q: rendered in full, want the skeleton", lang, name, link)
							}
							continue
						}
						if got != want {
							t.Fatalf("%s: name %q link %q:\n got %+v\nwant %+v", lang, name, link, got, want)
						}
					}
				}
			}
		}
	}
	if _, ok := c.render("en", &AnnouncementData{Conference: "C", Name: "A", Subject: "S"}); ok {
		t.Error("an announcement without body came from the cache instead of failing validation in full")
	}
}

// TestRenderCacheRefusesTransformedFields: a template that does more with the name than print
// it fails the skeleton's check, and its mails are rendered in full.
func TestRenderCacheRefusesTransformedFields(t *testing.T) {
	files := fstest.MapFS{}
	sub, err := fs.Sub(embedded, "templates")
	if err != nil {
		t.Fatal(err)
	}
	if err := fs.WalkDir(sub, ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		raw, err := fs.ReadFile(sub, p)
		files[p] = &fstest.MapFile{Data: raw}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	files["en/announcement.txt.tmpl"] = &fstest.MapFile{Data: []byte("Hello {{printf \"%.4s\" .Name}}\n\n{{.Body}}\n")}
	tmpl, err := loadTemplates(files, requiredLanguages)
	if err != nil {
		t.Fatal(err)
	}
	c := newRenderCache(tmpl)
	d := &AnnouncementData{Conference: "C", Name: "Anna Karenina", Subject: "S", Body: "Body"}
	if _, ok := c.render("en", d); ok {
		t.Fatal("skeleton used although the template cuts the name")
	}
	if _, ok := c.render("de", d); !ok {
		t.Error("the other languages' plain templates should use the skeleton")
	}
}

// TestRenderCacheServesLinkMail: confirmations, sign-in links and "already registered" notes
// filled into their skeletons are byte for byte what the templates render, in every language,
// with links as the service makes them (a query string with '&'), and their skeletons are used.
func TestRenderCacheServesLinkMail(t *testing.T) {
	tmpl, err := LoadTemplates()
	if err != nil {
		t.Fatal(err)
	}
	c := newRenderCache(tmpl)
	names := []string{"Anna K.", "", `<b>"Olha"</b> & co + 1`, "Ольга Петренко"}
	links := []string{"https://zw.example/confirm?token=ABCDEF234567&lang=uk", "https://zw.example/login?token=x-Y_z.9", "https://zw.example/a b?<x>"}
	for _, lang := range tmpl.Languages() {
		for _, minutes := range []int{1, 30} {
			for _, name := range names {
				for _, link := range links {
					for _, d := range []personalised{
						&ConfirmData{Conference: "Zimmerwald", Name: name, Link: link, ExpiresMinutes: minutes},
						&LoginData{Discretion: Discretion{NamesConference: true}, Conference: "Zimmerwald", Name: name, Link: link, ExpiresMinutes: minutes},
						&AlreadyRegisteredData{Conference: "Zimmerwald", Name: name, Link: link, ExpiresMinutes: minutes},
					} {
						want, err := tmpl.Render(d.Template(), lang, d)
						if err != nil {
							t.Fatal(err)
						}
						got, ok := c.render(lang, d)
						if !ok {
							if linkSafe(link) {
								t.Errorf("%s %s: name %q link %q: rendered in full, want the skeleton", lang, d.Template(), name, link)
							}
							continue
						}
						if got != want {
							t.Fatalf("%s %s: name %q link %q:\n got %+v\nwant %+v", lang, d.Template(), name, link, got, want)
						}
					}
				}
			}
		}
	}
}
