package web

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

// copyFS returns the embedded files of dir as a MapFS that a test may break.
func copyFS(t *testing.T, fsys fs.FS, dir string) fstest.MapFS {
	t.Helper()
	out := fstest.MapFS{}
	err := fs.WalkDir(fsys, dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, path)
		out[path] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestNewParsesEverything: the embedded templates and message files load, and a broken template,
// a missing page or a message missing in one language makes New fail (the server does not start).
func TestNewParsesEverything(t *testing.T) {
	if _, err := New(Options{}); err != nil {
		t.Fatalf("New with the embedded files: %v", err)
	}
	cases := map[string]func(tm, loc fstest.MapFS){
		"broken template": func(tm, _ fstest.MapFS) {
			tm["templates/home.html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}{{if .Data}}{{end}`)}
		},
		"unknown function": func(tm, _ fstest.MapFS) {
			tm["templates/home.html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}{{nosuchfunc .}}{{end}}`)}
		},
		"error page missing": func(tm, _ fstest.MapFS) { delete(tm, "templates/error.html") },
		"message missing in uk": func(_, loc fstest.MapFS) {
			f := loc["locales/uk.toml"]
			f.Data = regexp.MustCompile(`(?m)^nav_agenda = .*$`).ReplaceAll(f.Data, nil)
		},
		"extra message in de": func(_, loc fstest.MapFS) {
			f := loc["locales/de.toml"]
			f.Data = append([]byte("only_in_german = \"x\"\n"), f.Data...)
		},
		"locale file missing": func(_, loc fstest.MapFS) { delete(loc, "locales/fr.toml") },
		"bad toml":            func(_, loc fstest.MapFS) { loc["locales/ru.toml"] = &fstest.MapFile{Data: []byte("= broken")} },
	}
	for name, breakIt := range cases {
		t.Run(name, func(t *testing.T) {
			tm, loc := copyFS(t, templateFS, "templates"), copyFS(t, localeFS, "locales")
			breakIt(tm, loc)
			if _, err := newPages(Options{}, tm, loc); err == nil {
				t.Fatal("newPages accepted broken files")
			}
		})
	}
}

// TestEveryMessageUsedExists: every message a template or handler names literally exists in
// English (and so, by TestNewParsesEverything, in every language).
func TestEveryMessageUsedExists(t *testing.T) {
	p, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	tr := p.newView(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil), nil).translator
	re := regexp.MustCompile(`(?:\.T|v\.T|tr\.T)\(?\s*"([a-z0-9_]+)"`)
	var sources []string
	for _, glob := range []string{"templates/*.html", "*.go"} {
		names, _ := fs.Glob(os.DirFS("."), glob)
		sources = append(sources, names...)
	}
	n := 0
	for _, name := range sources {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			n++
			if !tr.Has(m[1]) && !strings.HasPrefix(m[1], "statement_cosigners_count") {
				t.Errorf("%s uses message %q, which does not exist", name, m[1])
			}
		}
	}
	if n < 100 {
		t.Fatalf("found only %d message uses: the pattern is broken", n)
	}
	// Messages built from values: every value the pages may show has its message.
	for prefix, values := range map[string][]string{
		"status_":         append(append([]string{}, delegateStatuses...), "draft", "accepted", "withdrawn", "adopted", "not_adopted"),
		"me_status_":      delegateStatuses,
		"role_":           roles,
		"attendance_":     attendances,
		"visibility_":     visibilities,
		"kind_":           append(append([]string{}, orgKinds...), sessionKinds...),
		"session_status_": sessionStatuses,
		"outbox_":         {"pending", "sending", "sent", "dead"},
		"org_status_":     {"proposed", "verified", "rejected"},
	} {
		for _, v := range values {
			if !tr.Has(prefix + v) {
				t.Errorf("message %s%s does not exist", prefix, v)
			}
		}
	}
	for _, v := range visibilities {
		if !tr.Has("visibility_" + v + "_explain") {
			t.Errorf("visibility %s has no explanation", v)
		}
	}
}

// TestTranslationsAreReal: each language translates the page furniture rather than copying the
// English text.
func TestTranslationsAreReal(t *testing.T) {
	p, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	en := viewIn(p, "en")
	for _, l := range Languages[1:] {
		v := viewIn(p, l)
		same := 0
		ids := []string{"nav_agenda", "reg_title", "field_display_name", "visibility_organisers_explain", "reg_submit",
			"sent_title", "me_title", "console_registrations", "review_approve", "agenda_timezone", "field_consent_text"}
		for _, id := range ids {
			if v.T(id) == en.T(id) {
				same++
				t.Errorf("%s: %s is the English text %q", l, id, en.T(id))
			}
		}
	}
}

func viewIn(p *Pages, lang string) *view {
	r := httptest.NewRequest(http.MethodGet, "/?lang="+lang, nil)
	return p.newView(httptest.NewRecorder(), r, nil)
}

// TestChooseLanguage: ?lang= wins, then the cookie, then Accept-Language, then the conference's
// first language, then English; unknown values are ignored.
func TestChooseLanguage(t *testing.T) {
	cases := []struct {
		query, cookie, accept string
		conf                  []string
		want                  string
	}{
		{"uk", "de", "fr", []string{"ru"}, "uk"},
		{"xx", "de", "fr", nil, "de"},
		{"", "de", "fr", nil, "de"},
		{"", "zz", "fr-CH,fr;q=0.9,en;q=0.5", nil, "fr"},
		{"", "", "uk-UA,uk;q=0.9", nil, "uk"},
		{"", "", "ja", []string{"ru", "en"}, "ru"},
		{"", "", "", []string{"it", "de"}, "de"},
		{"", "", "", nil, "en"},
		{"", "", "garbage;;;q=x", nil, "en"},
	}
	for _, tc := range cases {
		r := httptest.NewRequest(http.MethodGet, "/?lang="+tc.query, nil)
		if tc.cookie != "" {
			r.AddCookie(&http.Cookie{Name: langCookie, Value: tc.cookie})
		}
		if tc.accept != "" {
			r.Header.Set("Accept-Language", tc.accept)
		}
		got, fromQuery := chooseLanguage(r, tc.conf)
		if got != tc.want || fromQuery != (tc.query == tc.want) {
			t.Errorf("%+v: got %s (from query %v), want %s", tc, got, fromQuery, tc.want)
		}
	}
}
