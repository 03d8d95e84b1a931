package web

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/zimmerwald/zimmerwald/internal/domain"
)

// textLink is one language a statement can be read in, for the switch on its page.
type textLink struct {
	Lang, Name string
	Href       string
	Current    bool // the text shown now
	Original   bool // the language it was written in
}

// statementTexts is the language switch of a statement's page: the original first, then the
// translations; Missing names the reader's language when the statement is not translated into
// it (the page then shows the original and says so).
type statementTexts struct {
	Links   []textLink
	Missing string
}

// textLanguage is the language a statement's page asks the domain for: ?text= when it is a
// language code (a reader's choice from the switch), else the page's language.
func textLanguage(r *http.Request, pageLang string) string {
	if t := r.URL.Query().Get("text"); t != "" && domain.ValidLanguage(t) {
		return t
	}
	return pageLang
}

// textsOf builds the switch of sv as shown to a reader who asked for lang.
func textsOf(sv *domain.StatementView, lang string, v *view) statementTexts {
	var out statementTexts
	if !slices.Contains(sv.Languages, lang) {
		out.Missing = lang
	}
	for i, l := range sv.Languages {
		out.Links = append(out.Links, textLink{Lang: l, Name: v.LangName(l), Current: l == sv.Language, Original: i == 0,
			Href: "/statements/" + url.PathEscape(sv.ID) + "?text=" + url.QueryEscape(l)})
	}
	return out
}
