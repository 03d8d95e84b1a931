package web

import (
	"embed"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/pelletier/go-toml/v2"
	"golang.org/x/text/language"
)

//go:embed locales/*.toml
var localeFS embed.FS

// Languages are the languages the pages are written in, in the order of the switcher.
var Languages = []string{"en", "ru", "uk", "de", "fr"}

// languageNames are the languages' own names, for the switcher.
var languageNames = map[string]string{"en": "English", "ru": "Русский", "uk": "Українська", "de": "Deutsch", "fr": "Français"}

var languageMatcher = language.NewMatcher([]language.Tag{language.English, language.Russian, language.Ukrainian, language.German, language.French})

// langCookie remembers a language chosen with ?lang=.
const langCookie = "lang"

// loadBundle reads every embedded message file. A missing or unreadable file is an error, and so is
// a message that one language has and another lacks: the pages must be whole in every language.
func loadBundle(fsys fs.FS) (*i18n.Bundle, error) {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	ids := map[string][]string{}
	for _, l := range Languages {
		for _, name := range []string{"locales/" + l + ".toml", "locales/codes." + l + ".toml", "locales/console." + l + ".toml"} {
			raw, err := fs.ReadFile(fsys, name)
			if err != nil {
				return nil, fmt.Errorf("locale %s: %w", l, err)
			}
			mf, err := b.ParseMessageFileBytes(raw, path.Base(name))
			if err != nil {
				return nil, fmt.Errorf("locale %s: %w", l, err)
			}
			for _, m := range mf.Messages {
				ids[l] = append(ids[l], m.ID)
			}
		}
		slices.Sort(ids[l])
	}
	for _, l := range Languages[1:] {
		if missing := difference(ids["en"], ids[l]); len(missing) > 0 {
			return nil, fmt.Errorf("locale %s lacks %s", l, strings.Join(missing, ", "))
		}
		if extra := difference(ids[l], ids["en"]); len(extra) > 0 {
			return nil, fmt.Errorf("locale %s has unknown messages %s", l, strings.Join(extra, ", "))
		}
	}
	return b, nil
}

// difference returns the elements of a that are not in sorted b.
func difference(a, b []string) []string {
	var out []string
	for _, x := range a {
		if _, ok := slices.BinarySearch(b, x); !ok {
			out = append(out, x)
		}
	}
	return out
}

// supported reports whether l is one of Languages.
func supported(l string) bool { return slices.Contains(Languages, l) }

// chooseLanguage picks the page language: ?lang=, then the lang cookie, then Accept-Language, then
// the conference's first language, then English. It also reports whether ?lang= chose it (so the
// caller remembers it in the cookie).
func chooseLanguage(r *http.Request, confLangs []string) (lang string, fromQuery bool) {
	if l := r.URL.Query().Get("lang"); supported(l) {
		return l, true
	}
	if c, err := r.Cookie(langCookie); err == nil && supported(c.Value) {
		return c.Value, false
	}
	if h := r.Header.Get("Accept-Language"); h != "" {
		if tags, _, err := language.ParseAcceptLanguage(h); err == nil && len(tags) > 0 {
			_, idx, conf := languageMatcher.Match(tags...)
			if conf != language.No {
				return Languages[idx], false
			}
		}
	}
	for _, l := range confLangs {
		if supported(l) {
			return l, false
		}
	}
	return "en", false
}

// translator localizes messages into one language.
type translator struct {
	lang string
	loc  *i18n.Localizer
}

// Lang is the code of the language ("uk").
func (tr translator) Lang() string { return tr.lang }

// T returns the message id with its template data given as name, value pairs. A message that
// does not exist shows its id, so a gap is visible instead of fatal.
func (tr translator) T(id string, kv ...any) string {
	var data map[string]any
	var count any
	if len(kv) > 0 {
		data = make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			k := fmt.Sprint(kv[i])
			data[k] = kv[i+1]
			if k == "Count" {
				count = kv[i+1]
			}
		}
	}
	s, err := tr.loc.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: count})
	if err != nil {
		return id
	}
	return s
}

// Has reports whether a message exists.
func (tr translator) Has(id string) bool {
	_, err := tr.loc.Localize(&i18n.LocalizeConfig{MessageID: id})
	return err == nil
}

// Date formats a day as "5 September 2027" in the page language.
func (tr translator) Date(t time.Time) string {
	return tr.T("date_long", "Day", t.Day(), "Month", tr.T(fmt.Sprintf("month_%d", int(t.Month()))), "Year", t.Year())
}

// Day formats a day with its weekday, as agenda headings show it (with a capital letter first,
// also in the languages that write weekdays in lower case).
func (tr translator) Day(t time.Time) string {
	s := tr.T("date_weekday", "Weekday", tr.T(fmt.Sprintf("weekday_%d", int(t.Weekday()))), "Date", tr.Date(t))
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
