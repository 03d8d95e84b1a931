package mail

import (
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"path"
	"slices"
	"strings"
	texttemplate "text/template"
)

//go:embed templates
var embedded embed.FS

// DefaultLanguage is used when a requested language has no templates.
const DefaultLanguage = "en"

// requiredLanguages lists the languages every template must exist in.
var requiredLanguages = []string{"en", "ru", "uk", "de", "fr"}

// Template file kinds: templates/<lang>/<name>.<kind>.tmpl.
const (
	kindSubject = "subject"
	kindText    = "txt"
	kindHTML    = "html"
	layoutName  = "layout"
)

// Templates holds every embedded template, parsed once. It is safe for
// concurrent use.
type Templates struct {
	langs []string
	sets  map[string]*langSet
}

// langSet holds one language's parsed templates: subjects and text bodies
// with text/template, HTML bodies with html/template.
type langSet struct {
	text *texttemplate.Template
	html *htmltemplate.Template
}

// LoadTemplates parses all embedded templates. It returns an error if any
// template does not parse, if a template is missing in a required language
// (en, ru, uk, de, fr), if a file has no registered data struct, or if any
// template fails to render its sample data, so that a broken set stops the
// server at start-up.
func LoadTemplates() (*Templates, error) {
	sub, err := fs.Sub(embedded, "templates")
	if err != nil {
		return nil, fmt.Errorf("mail: templates: %w", err)
	}
	return loadTemplates(sub, requiredLanguages)
}

// loadTemplates parses fsys (one directory per language) and checks it.
func loadTemplates(fsys fs.FS, required []string) (*Templates, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("mail: templates: %w", err)
	}
	t := &Templates{sets: make(map[string]*langSet)}
	var errs []error
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		set, err := parseLanguage(fsys, e.Name())
		if err != nil {
			errs = append(errs, err)
			continue
		}
		t.sets[e.Name()] = set
		t.langs = append(t.langs, e.Name())
	}
	for _, lang := range required {
		if _, ok := t.sets[lang]; !ok {
			errs = append(errs, fmt.Errorf("mail: templates: language %q is missing", lang))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	slices.SortFunc(t.langs, func(a, b string) int { return languageRank(a, required) - languageRank(b, required) })
	if err := t.check(); err != nil {
		return nil, err
	}
	return t, nil
}

// languageRank orders required languages first, in their listed order.
func languageRank(lang string, required []string) int {
	if i := slices.Index(required, lang); i >= 0 {
		return i
	}
	return len(required)
}

// parseLanguage parses the templates of one language directory and checks
// that every file belongs to a registered template name.
func parseLanguage(fsys fs.FS, lang string) (*langSet, error) {
	files, err := fs.Glob(fsys, lang+"/*.tmpl")
	if err != nil {
		return nil, fmt.Errorf("mail: templates %s: %w", lang, err)
	}
	var textFiles, htmlFiles []string
	for _, f := range files {
		name, kind, ok := splitTemplateFile(path.Base(f))
		_, known := registry[Template(name)]
		switch {
		case !ok:
			return nil, fmt.Errorf("mail: templates %s: unexpected file %s", lang, path.Base(f))
		case !known && name != layoutName:
			return nil, fmt.Errorf("mail: templates %s: %s has no registered data struct", lang, path.Base(f))
		case kind == kindHTML:
			htmlFiles = append(htmlFiles, f)
		default:
			textFiles = append(textFiles, f)
		}
	}
	set := &langSet{
		text: texttemplate.New(lang).Option("missingkey=error").Funcs(textFuncs),
		html: htmltemplate.New(lang).Option("missingkey=error").Funcs(htmlFuncs),
	}
	if len(textFiles) > 0 {
		if set.text, err = set.text.ParseFS(fsys, textFiles...); err != nil {
			return nil, fmt.Errorf("mail: templates %s: %w", lang, err)
		}
	}
	if len(htmlFiles) > 0 {
		if set.html, err = set.html.ParseFS(fsys, htmlFiles...); err != nil {
			return nil, fmt.Errorf("mail: templates %s: %w", lang, err)
		}
	}
	return set, nil
}

// splitTemplateFile splits "confirm.subject.tmpl" into "confirm", "subject".
func splitTemplateFile(base string) (name, kind string, ok bool) {
	stem, found := strings.CutSuffix(base, ".tmpl")
	if !found {
		return "", "", false
	}
	i := strings.LastIndexByte(stem, '.')
	if i <= 0 {
		return "", "", false
	}
	name, kind = stem[:i], stem[i+1:]
	switch {
	case name == layoutName:
		return name, kind, kind == kindText || kind == kindHTML
	case kind == kindSubject || kind == kindText || kind == kindHTML:
		return name, kind, true
	}
	return "", "", false
}

// check verifies that every registered template exists in every loaded
// language in all three kinds and renders each sample of its data.
func (t *Templates) check() error {
	var errs []error
	for _, lang := range t.langs {
		set := t.sets[lang]
		for _, name := range TemplateNames() {
			missing := false
			for _, kind := range []string{kindSubject, kindText} {
				if set.text.Lookup(fileName(name, kind)) == nil {
					errs = append(errs, fmt.Errorf("mail: templates %s: %s is missing", lang, fileName(name, kind)))
					missing = true
				}
			}
			if set.html.Lookup(fileName(name, kindHTML)) == nil {
				errs = append(errs, fmt.Errorf("mail: templates %s: %s is missing", lang, fileName(name, kindHTML)))
				missing = true
			}
			if missing {
				continue
			}
			for _, data := range samples(name) {
				if _, err := t.render(set, name, data); err != nil {
					errs = append(errs, fmt.Errorf("mail: templates %s: %w", lang, err))
				}
			}
		}
	}
	return errors.Join(errs...)
}

func fileName(name Template, kind string) string { return string(name) + "." + kind + ".tmpl" }

// Languages returns the languages templates exist in, the required ones
// first: en, ru, uk, de, fr.
func (t *Templates) Languages() []string { return slices.Clone(t.langs) }

// Language returns the language Render uses for lang: its primary subtag
// ("de-CH" and "de_CH" give "de") if templates exist for it, else "en".
func (t *Templates) Language(lang string) string {
	lang = strings.ToLower(strings.TrimSpace(lang))
	if i := strings.IndexAny(lang, "-_"); i >= 0 {
		lang = lang[:i]
	}
	if _, ok := t.sets[lang]; ok {
		return lang
	}
	return DefaultLanguage
}

// Render renders the named template in lang (see Language for the
// fallback) with data, usually a pointer to the template's data struct. If
// data has a Validate() error method it is called first. The subject is
// trimmed to one line's content; the text body has its trailing spaces and
// repeated blank lines removed.
func (t *Templates) Render(name Template, lang string, data any) (Rendered, error) {
	if _, ok := registry[name]; !ok {
		return Rendered{}, fmt.Errorf("mail: unknown template %q", name)
	}
	if v, ok := data.(interface{ Validate() error }); ok {
		if err := v.Validate(); err != nil {
			return Rendered{}, fmt.Errorf("mail: template %s: %w", name, err)
		}
	}
	set, ok := t.sets[t.Language(lang)]
	if !ok {
		return Rendered{}, fmt.Errorf("mail: no templates for language %q", DefaultLanguage)
	}
	return t.render(set, name, data)
}

// render executes the three templates of name in set.
func (t *Templates) render(set *langSet, name Template, data any) (Rendered, error) {
	var subject, text, html strings.Builder
	if err := set.text.ExecuteTemplate(&subject, fileName(name, kindSubject), data); err != nil {
		return Rendered{}, fmt.Errorf("render %s subject: %w", name, err)
	}
	if err := set.text.ExecuteTemplate(&text, fileName(name, kindText), data); err != nil {
		return Rendered{}, fmt.Errorf("render %s text: %w", name, err)
	}
	if err := set.html.ExecuteTemplate(&html, fileName(name, kindHTML), data); err != nil {
		return Rendered{}, fmt.Errorf("render %s html: %w", name, err)
	}
	return Rendered{
		Subject: strings.TrimSpace(subject.String()),
		Text:    tidyText(text.String()),
		HTML:    html.String(),
	}, nil
}
