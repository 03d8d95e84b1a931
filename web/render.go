package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/models"
)

// funcs are the helpers every template may use.
var funcs = template.FuncMap{
	"join":      strings.Join,
	"hasPrefix": strings.HasPrefix,
	"add":       func(a, b int) int { return a + b },
	"field":     func(v *view, name string) fieldRef { return fieldRef{V: v, Name: name} },
	"status":    func(v *view, status any) statusRef { return statusRef{V: v, Status: fmt.Sprint(status)} },
	"ballotRef": func(v *view, b domain.BallotView) ballotRef { return ballotRef{V: v, B: b} },
	"itemKinds": func() []models.ItemKind { return models.ItemKinds },
}

// ballotRef carries the view into the "ballot_result" partial.
type ballotRef struct {
	V *view
	B domain.BallotView
}

// CandidateName returns the name of candidate id of the ballot.
func (r ballotRef) CandidateName(id string) string {
	for _, c := range r.B.Candidates {
		if c.ID == id {
			return c.Name
		}
	}
	return ""
}

// fieldRef and statusRef carry the view into the "err" and "status" partials.
type fieldRef struct {
	V    *view
	Name string
}

type statusRef struct {
	V      *view
	Status string
}

// langLink is one entry of the language switcher.
type langLink struct {
	Code, Name, URL string
	Current         bool
}

// view is what every template gets: the page language, the switcher, who is logged in, the
// conference of the page (if any), the page's own data and, for forms, the values sent and the
// field errors.
type view struct {
	translator
	Path   string
	Langs  []langLink
	Who    string
	Conf   *conference
	Data   any
	Form   url.Values
	Errors map[string]string
	Notice string
	Status int
	Detail string
}

// V returns the value of a form field as sent (forms are re-shown with the input kept).
func (v *view) V(name string) string { return v.Form.Get(name) }

// Checked reports whether a checkbox, radio or option of name has value.
func (v *view) Checked(name, value string) bool { return slices.Contains(v.Form[name], value) }

// Err returns the error message of a form field ("" when it has none).
func (v *view) Err(name string) string { return v.Errors[name] }

// Invalid marks an input whose field has an error, for assistive technology.
func (v *view) Invalid(name string) template.HTMLAttr {
	if v.Errors[name] == "" {
		return ""
	}
	return template.HTMLAttr(` aria-invalid="true" aria-describedby="e-` + template.HTMLEscapeString(name) + `"`)
}

// Label is the translated name of a request field, for error summaries.
func (v *view) Label(name string) string {
	id := "field_" + strings.ReplaceAll(name, ".", "_")
	if v.Has(id) {
		return v.T(id)
	}
	return name
}

// LangName is a language's own name ("Українська"), or its code when unknown.
func (v *view) LangName(code string) string {
	if n, ok := languageNames[code]; ok {
		return n
	}
	return code
}

// ConflictText describes an agenda conflict in the page language.
func (v *view) ConflictText(c conflict, titles map[string]string) string {
	var names []string
	for _, id := range c.SessionIDs {
		if t := titles[id]; t != "" {
			names = append(names, "«"+t+"»")
		}
	}
	id := "conflict_" + c.Kind
	if !v.Has(id) {
		if c.Detail != "" {
			return c.Detail
		}
		return c.Kind
	}
	return v.T(id, "Sessions", strings.Join(names, " / "), "Room", c.Room, "Person", c.Delegate)
}

// MailName is a mail template's name for people ("Announcement"), or the name itself for a
// template the catalogue does not know yet.
func (v *view) MailName(template string) string {
	if key := "template_" + template; v.Has(key) {
		return v.T(key)
	}
	return template
}

// Person is a display name as the page shows it: an erased registration's placeholder is
// translated.
func (v *view) Person(name string) string {
	if name == models.ErasedName {
		return v.T("erased_name")
	}
	return name
}

// MailLanguages are the languages a delegate may choose for their mail.
func (v *view) MailLanguages() []string { return domain.MailLanguages }

// HasErrors reports whether the form has field errors.
func (v *view) HasErrors() bool { return len(v.Errors) > 0 }

// Time formats an instant in loc as "15:04".
func (v *view) Time(t time.Time, loc *time.Location) string { return t.In(loc).Format("15:04") }

// newView prepares the view of a request: it chooses the language (remembering a ?lang= choice in
// a cookie) with the conference's languages as the last resort, and builds the switcher.
func (p *Pages) newView(w http.ResponseWriter, r *http.Request, conf *conference) *view {
	var confLangs []string
	if conf != nil {
		confLangs = conf.Languages
	}
	lang, fromQuery := chooseLanguage(r, confLangs)
	if fromQuery {
		http.SetCookie(w, p.cookie(langCookie, lang, 365*24*3600))
	}
	v := &view{translator: translator{lang: lang, loc: i18n.NewLocalizer(p.bundle, lang)},
		Path: r.URL.Path, Who: sessionKind(r), Conf: conf, Form: url.Values{}, Errors: map[string]string{}}
	switcher := Languages
	if conf != nil {
		switcher = nil
		for _, l := range conf.Languages {
			if supported(l) {
				switcher = append(switcher, l)
			}
		}
		if len(switcher) < 2 {
			switcher = Languages
		}
	}
	for _, l := range switcher {
		q := r.URL.Query()
		q.Set("lang", l)
		v.Langs = append(v.Langs, langLink{Code: l, Name: languageNames[l], URL: r.URL.Path + "?" + q.Encode(), Current: l == lang})
	}
	return v
}

// render executes a page into a buffer first, so that a template error never sends half a page.
func (p *Pages) render(w http.ResponseWriter, status int, name string, v *view) {
	t, ok := p.tmpl[name]
	if !ok {
		p.log.Error("render: no such page", "page", name)
		http.Error(w, "page not found", http.StatusInternalServerError)
		return
	}
	v.Status = status
	var buf bytes.Buffer
	if err := t.Execute(&buf, v); err != nil {
		p.log.Error("render page", "page", name, "err", err)
		http.Error(w, "the page could not be shown", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// routeOf returns the route pattern of r for logs (never the path, which may hold IDs or tokens).
func routeOf(r *http.Request) string {
	if r.Pattern != "" {
		return r.Pattern
	}
	return "(unmatched)"
}

// notFound is the page for every unknown path.
func (p *Pages) notFound(w http.ResponseWriter, r *http.Request) {
	p.render(w, http.StatusNotFound, "notfound", p.newView(w, r, nil))
}

// parseForm reads a posted form of at most 64 KiB into v.Form; it reports false (and shows an
// error page) when the form cannot be read.
func (p *Pages) parseForm(w http.ResponseWriter, r *http.Request, v *view) bool {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		v.Detail = v.T("err_form")
		p.render(w, http.StatusBadRequest, "error", v)
		return false
	}
	v.Form = r.PostForm
	return true
}

// redirect answers a form with 303 See Other, so a reload never posts twice.
func redirect(w http.ResponseWriter, r *http.Request, to string) {
	http.Redirect(w, r, to, http.StatusSeeOther)
}
