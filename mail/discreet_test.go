package mail

import (
	"regexp"
	"strings"
	"testing"
)

var firstParagraph = regexp.MustCompile(`(?s)<body[^>]*>.*?<p[^>]*>(.*?)</p>`)

// TestMailIsDiscreetByDefault: in every language and template, the subject, the first line of
// the text, the HTML title and first paragraph do not name the conference unless the conference
// opted in (NamesConference); then the subject does.
func TestMailIsDiscreetByDefault(t *testing.T) {
	ts, err := LoadTemplates()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range ts.Languages() {
		for _, name := range TemplateNames() {
			for _, named := range []bool{false, true} {
				data := samples(name)[0]
				data.(interface{ discretion() *Discretion }).discretion().NamesConference = named
				r, err := ts.Render(name, lang, data)
				if err != nil {
					t.Fatalf("%s/%s: %v", lang, name, err)
				}
				firstLine, _, _ := strings.Cut(r.Text, "\n")
				title := r.HTML[strings.Index(r.HTML, "<title>"):strings.Index(r.HTML, "</title>")]
				p := firstParagraph.FindStringSubmatch(r.HTML)
				if p == nil {
					t.Fatalf("%s/%s: no paragraph in the HTML", lang, name)
				}
				if !named {
					for what, v := range map[string]string{"subject": r.Subject, "first line": firstLine, "html title": title, "first paragraph": p[1]} {
						if strings.Contains(v, sampleConference) {
							t.Errorf("%s/%s: the %s names the conference: %q", lang, name, what, v)
						}
					}
				} else if !strings.Contains(r.Subject, sampleConference) {
					t.Errorf("%s/%s: opted in, the subject %q does not name the conference", lang, name, r.Subject)
				}
			}
		}
	}
}
