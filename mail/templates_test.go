package mail

import (
	"flag"
	"html"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"unicode"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

func loadTestTemplates(t testing.TB) *Templates {
	t.Helper()
	tm, err := LoadTemplates()
	if err != nil {
		t.Fatalf("LoadTemplates: %v", err)
	}
	return tm
}

func TestLanguages(t *testing.T) {
	tm := loadTestTemplates(t)
	if got, want := tm.Languages(), []string{"en", "ru", "uk", "de", "fr"}; !slices.Equal(got, want) {
		t.Errorf("Languages: got %v, want %v", got, want)
	}
	for in, want := range map[string]string{"": "en", "de-CH": "de", "fr_BE": "fr", "UK": "uk", "ru": "ru", "pt": "en", "xx-yy": "en"} {
		if got := tm.Language(in); got != want {
			t.Errorf("Language(%q): got %q, want %q", in, got, want)
		}
	}
}

func TestEveryTemplateRendersInEveryLanguage(t *testing.T) {
	tm := loadTestTemplates(t)
	if got := len(TemplateNames()); got != 16 {
		t.Errorf("template names: got %d, want 16", got)
	}
	for _, lang := range tm.Languages() {
		for _, name := range TemplateNames() {
			for i, data := range samples(name) {
				r, err := tm.Render(name, lang, data)
				if err != nil {
					t.Errorf("%s/%s sample %d: %v", lang, name, i, err)
					continue
				}
				if r.Subject == "" || strings.ContainsAny(r.Subject, "\r\n") || r.Text == "" || r.HTML == "" {
					t.Errorf("%s/%s sample %d: got subject %q, %d bytes text, %d bytes html", lang, name, i, r.Subject, len(r.Text), len(r.HTML))
				}
				if _, err := Compose("noreply@example.org", "clara@example.net", "<1@example.org>", r); err != nil {
					t.Errorf("%s/%s sample %d: Compose: %v", lang, name, i, err)
				}
				if !strings.Contains(r.HTML, `<html lang="`+lang+`">`) {
					t.Errorf("%s/%s: html lacks lang=%q", lang, name, lang)
				}
			}
		}
	}
}

func TestRenderFallsBackToEnglish(t *testing.T) {
	tm := loadTestTemplates(t)
	data := samples(TemplateConfirm)[0]
	en, _ := tm.Render(TemplateConfirm, "en", data)
	for _, lang := range []string{"", "pt-BR", "zz"} {
		got, err := tm.Render(TemplateConfirm, lang, data)
		if err != nil || got != en {
			t.Errorf("Render(%q): got %q (%v), want the English rendering", lang, got.Subject, err)
		}
	}
	de, _ := tm.Render(TemplateConfirm, "de", data)
	if got, _ := tm.Render(TemplateConfirm, "de-CH", data); got != de {
		t.Errorf("Render(de-CH): got %q, want the German rendering %q", got.Subject, de.Subject)
	}
}

func TestRenderRejectsBadData(t *testing.T) {
	tm := loadTestTemplates(t)
	tests := []struct {
		name Template
		data any
	}{
		{"nope", &ConfirmData{}},
		{TemplateDecision, &DecisionData{Decision: "maybe"}},
		{TemplateConfirm, &ConfirmData{Link: "javascript:alert(1)"}},
		{TemplateAgendaChanges, &AgendaChangesData{Changes: []AgendaChange{{Kind: "exploded"}}}},
		{TemplateAnnouncement, &AnnouncementData{Subject: "Hi"}},
	}
	for _, tt := range tests {
		if _, err := tm.Render(tt.name, "en", tt.data); err == nil {
			t.Errorf("Render(%s, %+v): got no error, want one", tt.name, tt.data)
		}
	}
}

func TestNewDataMatchesTemplates(t *testing.T) {
	for _, name := range TemplateNames() {
		d, ok := NewData(name)
		if !ok || reflect.TypeOf(d).Kind() != reflect.Pointer {
			t.Errorf("NewData(%s): got %T %v, want a pointer", name, d, ok)
			continue
		}
		for _, s := range samples(name) {
			if reflect.TypeOf(s) != reflect.TypeOf(d) {
				t.Errorf("%s: sample type %T, NewData type %T", name, s, d)
			}
		}
		v := reflect.ValueOf(d).Elem()
		for _, f := range []string{"Conference", "Name"} {
			if !v.FieldByName(f).IsValid() {
				t.Errorf("%T has no field %s", d, f)
			}
		}
	}
	if _, ok := NewData("nope"); ok {
		t.Error("NewData(nope): got ok, want false")
	}
}

// Words and stems that reveal the conference's political aim; none may
// appear in a subject line in any language. Stems match inside words
// ("Антивоенная", "Friedenskonferenz"); words match whole words only, so
// that "award" or "Мировая" are not flagged.
var (
	forbiddenStems = []string{"antiwar", "anti-war", "pacifis", "socialis", "войн", "воен", "мирн", "социалис",
		"війн", "воєн", "соціаліс", "krieg", "frieden", "sozialis", "guerre", "paix", "pacifiste"}
	forbiddenWords = []string{"war", "wars", "peace", "мир", "мира", "миру", "миром", "мирі"}
)

// forbiddenInSubject returns the first forbidden word or stem in s, or "".
func forbiddenInSubject(s string) string {
	s = strings.ToLower(s)
	for _, stem := range forbiddenStems {
		if strings.Contains(s, stem) {
			return stem
		}
	}
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' }) {
		if slices.Contains(forbiddenWords, strings.Trim(w, "-")) {
			return w
		}
	}
	return ""
}

func TestSubjectsAreNeutral(t *testing.T) {
	tm := loadTestTemplates(t)
	for _, lang := range tm.Languages() {
		for _, name := range TemplateNames() {
			if name == TemplateAnnouncement {
				continue // the subject is the organisers' own, checked by the API
			}
			for _, data := range samples(name) {
				r, err := tm.Render(name, lang, data)
				if err != nil {
					t.Fatal(err)
				}
				if m := forbiddenInSubject(r.Subject); m != "" {
					t.Errorf("%s/%s subject %q contains %q", lang, name, r.Subject, m)
				}
			}
			src, err := embedded.ReadFile("templates/" + lang + "/" + string(name) + ".subject.tmpl")
			if err != nil {
				t.Fatal(err)
			}
			if m := forbiddenInSubject(string(src)); m != "" {
				t.Errorf("%s/%s subject template contains %q", lang, name, m)
			}
		}
	}
	for _, s := range []string{"Антивоенная конференция", "За мир!", "Проти війни", "Konferenz gegen den Krieg",
		"Contre la guerre", "Anti-war meeting", "War and peace", "Socialist conference"} {
		if forbiddenInSubject(s) == "" {
			t.Errorf("forbiddenInSubject(%q) found nothing", s)
		}
	}
	for _, s := range []string{"Award ceremony", "Мировая экономика", "Software forward"} {
		if m := forbiddenInSubject(s); m != "" {
			t.Errorf("forbiddenInSubject(%q) = %q, want nothing", s, m)
		}
	}
}

var httpURL = regexp.MustCompile(`https?://[^\s"'<>]+`)

func TestHTMLHasNoRemoteContent(t *testing.T) {
	tm := loadTestTemplates(t)
	for _, lang := range tm.Languages() {
		for _, name := range TemplateNames() {
			for _, data := range samples(name) {
				r, err := tm.Render(name, lang, data)
				if err != nil {
					t.Fatal(err)
				}
				lower := strings.ToLower(r.HTML)
				for _, bad := range []string{"<img", "<script", "<link", "<iframe", "url(", "@import", "src="} {
					if strings.Contains(lower, bad) {
						t.Errorf("%s/%s html contains %q", lang, name, bad)
					}
				}
				allowed := dataLinks(data)
				for _, u := range httpURL.FindAllString(r.HTML+"\n"+r.Text, -1) {
					if !slices.Contains(allowed, html.UnescapeString(u)) {
						t.Errorf("%s/%s contains url %q, which is not one of the data's links %v", lang, name, u, allowed)
					}
				}
			}
		}
	}
}

// dataLinks returns the values of the URL fields of a data struct.
func dataLinks(data any) []string {
	v := reflect.ValueOf(data).Elem()
	var out []string
	for _, f := range []string{"Link", "AgendaURL", "UnsubscribeURL"} {
		if fv := v.FieldByName(f); fv.IsValid() && fv.String() != "" {
			out = append(out, fv.String())
		}
	}
	return out
}

func TestAnnouncementBodyIsEscapedWithLineBreaks(t *testing.T) {
	tm := loadTestTemplates(t)
	r, err := tm.Render(TemplateAnnouncement, "en", &AnnouncementData{
		Conference: "IC", Subject: "Note", Body: "Line one <b>bold</b>\nLine two\r\n\r\n<script>alert(1)</script>",
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Line one &lt;b&gt;bold&lt;/b&gt;<br>Line two</p>", "&lt;script&gt;"} {
		if !strings.Contains(r.HTML, want) {
			t.Errorf("html lacks %q:\n%s", want, r.HTML)
		}
	}
	if strings.Contains(r.HTML, "<script>") || strings.Contains(r.HTML, "<b>") {
		t.Errorf("html contains unescaped markup:\n%s", r.HTML)
	}
	if !strings.Contains(r.Text, "Line one <b>bold</b>\nLine two\n\n<script>") {
		t.Errorf("text body should keep the plain text as written:\n%s", r.Text)
	}
}

func TestGolden(t *testing.T) {
	eachRendering(t, loadTestTemplates(t), func(lang string, name Template, r Rendered) {
		for ext, got := range map[string]string{"subject": r.Subject + "\n", "txt": r.Text, "html": r.HTML} {
			path := filepath.Join("testdata", "golden", lang, string(name)+"."+ext)
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./mail -run TestGolden -update)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from the rendering:\ngot:\n%s\nwant:\n%s", path, got, want)
			}
		}
	})
}

func TestLoadTemplatesRejectsBrokenSets(t *testing.T) {
	good := fstest.MapFS{}
	for _, lang := range []string{"en", "de"} {
		for _, f := range []string{"layout.html.tmpl", "layout.txt.tmpl"} {
			b, _ := embedded.ReadFile("templates/" + lang + "/" + f)
			good[lang+"/"+f] = &fstest.MapFile{Data: b}
		}
		for _, name := range TemplateNames() {
			for _, kind := range []string{"subject", "txt", "html"} {
				b, err := embedded.ReadFile("templates/" + lang + "/" + string(name) + "." + kind + ".tmpl")
				if err != nil {
					t.Fatal(err)
				}
				good[lang+"/"+string(name)+"."+kind+".tmpl"] = &fstest.MapFile{Data: b}
			}
		}
	}
	if _, err := loadTemplates(good, []string{"en", "de"}); err != nil {
		t.Fatalf("copy of the real set: %v", err)
	}
	with := func(change func(fstest.MapFS)) fstest.MapFS {
		c := fstest.MapFS{}
		for k, v := range good {
			c[k] = v
		}
		change(c)
		return c
	}
	tests := []struct {
		name string
		fsys fstest.MapFS
	}{
		{"missing file in one language", with(func(m fstest.MapFS) { delete(m, "de/vote_result.html.tmpl") })},
		{"missing required language", with(func(m fstest.MapFS) {
			for k := range m {
				if strings.HasPrefix(k, "de/") {
					delete(m, k)
				}
			}
		})},
		{"parse error", with(func(m fstest.MapFS) { m["de/login.txt.tmpl"] = &fstest.MapFile{Data: []byte("{{if .Link}")} })},
		{"unknown field", with(func(m fstest.MapFS) { m["en/login.subject.tmpl"] = &fstest.MapFile{Data: []byte("{{.Titel}}")} })},
		{"unknown field in a rare branch", with(func(m fstest.MapFS) {
			m["en/decision.txt.tmpl"] = &fstest.MapFile{Data: []byte(`{{if eq .Decision "rejected"}}{{.Grund}}{{end}}`)}
		})},
		{"unregistered template", with(func(m fstest.MapFS) { m["en/newsletter.txt.tmpl"] = &fstest.MapFile{Data: []byte("x")} })},
		{"stray file", with(func(m fstest.MapFS) { m["en/notes.tmpl"] = &fstest.MapFile{Data: []byte("x")} })},
	}
	for _, tt := range tests {
		if _, err := loadTemplates(tt.fsys, []string{"en", "de"}); err == nil {
			t.Errorf("%s: got no error, want one", tt.name)
		}
	}
}

func TestPlural(t *testing.T) {
	for n, want := range map[int]string{1: "минуту", 21: "минуту", 2: "минуты", 24: "минуты", 5: "минут", 11: "минут", 12: "минут", 14: "минут", 30: "минут", 0: "минут", 111: "минут", 101: "минуту"} {
		if got := plural(n, "минуту", "минуты", "минут"); got != want {
			t.Errorf("plural(%d): got %q, want %q", n, got, want)
		}
	}
}

func BenchmarkRender(b *testing.B) {
	tm := loadTestTemplates(b)
	for _, name := range []Template{TemplateConfirm, TemplateAgendaChanges, TemplateAnnouncement} {
		data := samples(name)[0]
		b.Run(string(name), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := tm.Render(name, "ru", data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestTextConventions: the text part of every mail in every language has the signature
// separator "-- " and never points at a button (there is none in plain text); an announcement
// that opens "Dear delegates," gets no greeting by name before it.
func TestTextConventions(t *testing.T) {
	tm := loadTestTemplates(t)
	eachRendering(t, tm, func(lang string, name Template, r Rendered) {
		if !strings.Contains(r.Text, "\n-- \n") {
			t.Errorf("%s/%s: no signature separator \"-- \"", lang, name)
		}
		for _, button := range []string{"button", "Schaltfläche", "кнопк", "bouton"} {
			if strings.Contains(r.Text, button) {
				t.Errorf("%s/%s: the text part mentions a %s", lang, name, button)
			}
		}
	})
	for _, lang := range tm.Languages() {
		for _, body := range []string{"Dear delegates,\n\nThe plenary moves to Hall B.", "Liebe Delegierte!\n\nDas Plenum zieht um."} {
			r, err := tm.Render(TemplateAnnouncement, lang, &AnnouncementData{Conference: "IC", Name: "Anna K.", Subject: "Plenary", Body: body})
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(r.Text, "Anna K.") || strings.Contains(r.HTML, "Anna K.") {
				t.Errorf("%s: a greeting by name before the body's own salutation:\n%s", lang, r.Text)
			}
			if !strings.HasPrefix(r.Text, strings.SplitN(body, "\n", 2)[0]) {
				t.Errorf("%s: the text does not open with the body's salutation:\n%s", lang, r.Text)
			}
		}
		r, err := tm.Render(TemplateAnnouncement, lang, &AnnouncementData{Conference: "IC", Name: "Anna K.", Subject: "Plenary", Body: "The plenary moves to Hall B."})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(r.Text, "Anna K.") {
			t.Errorf("%s: no greeting before a body without salutation:\n%s", lang, r.Text)
		}
	}
}

// eachRendering renders every template in every language with its first sample and hands the
// result to fn.
func eachRendering(t *testing.T, tm *Templates, fn func(lang string, name Template, r Rendered)) {
	t.Helper()
	for _, lang := range tm.Languages() {
		for _, name := range TemplateNames() {
			r, err := tm.Render(name, lang, samples(name)[0])
			if err != nil {
				t.Fatal(err)
			}
			fn(lang, name, r)
		}
	}
}
