package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/models"
)

// reviewData is a statement's review page: the text in the chosen language, its amendments
// with decision forms, the reviewers' comments, the translation form and the ballot.
type reviewData struct {
	Statement  statement
	Amendments []amendment
	Comments   []models.StatementComment
	Languages  []string // the conference's languages a translation may be written in
	// Untranslated and Translated split Languages: the form lists the languages still missing
	// above those a translation would replace.
	Untranslated, Translated []string
	Versions                 []versionView // newest first, each with its diff against the one before
}

// staffStatementReview is one statement in the console.
func (p *Pages) staffStatementReview(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.staffConfFor(w, r, domain.StaffAll)
	if !ok {
		return
	}
	a, id := p.actor(r), r.PathValue("id")
	lang := r.URL.Query().Get("text")
	sv, err := p.dom.GetStatement(r.Context(), a, id, lang)
	if err == nil && sv.ConferenceID != c.ID {
		err = models.ErrNotFound
	}
	var ams []domain.AmendmentView
	var d reviewData
	if err == nil {
		ams, err = p.dom.ListAmendments(r.Context(), a, id)
	}
	if err == nil {
		d.Comments, err = p.dom.ListComments(r.Context(), a, id)
	}
	if err == nil {
		d.Versions, err = p.statementVersions(r.Context(), a, id)
	}
	if err != nil {
		p.failed(w, r, v, err)
		return
	}
	d.Statement = statement{*sv}
	for _, am := range ams {
		d.Amendments = append(d.Amendments, amendment{am})
	}
	for _, l := range c.Languages {
		if l == sv.OriginalLanguage {
			continue
		}
		d.Languages = append(d.Languages, l)
		if slices.Contains(sv.Languages, l) {
			d.Translated = append(d.Translated, l)
		} else {
			d.Untranslated = append(d.Untranslated, l)
		}
	}
	doneNotice(r, v)
	v.Data = d
	p.render(w, http.StatusOK, "staff_statement", v)
}

// backToStatement answers the statement's review page.
func backToStatement(r *http.Request, c *conference) string {
	return consolePath(c, "statements", r.PathValue("id"))
}

func (p *Pages) staffAmendmentDecide(r *http.Request, a *domain.Actor, _ *conference, f url.Values) error {
	_, err := p.dom.DecideAmendment(r.Context(), a, domain.AmendmentDecision{AmendmentID: f.Get("amendment_id"), Decision: f.Get("decision")})
	return err
}

func (p *Pages) staffComment(r *http.Request, a *domain.Actor, _ *conference, f url.Values) error {
	_, err := p.dom.AddComment(r.Context(), a, r.PathValue("id"), strings.TrimSpace(f.Get("body")))
	return err
}

func (p *Pages) staffTranslation(r *http.Request, a *domain.Actor, _ *conference, f url.Values) error {
	_, _, err := p.dom.SaveTranslation(r.Context(), a, domain.Translation{StatementID: r.PathValue("id"), Language: f.Get("language"),
		Title: strings.TrimSpace(f.Get("title")), Summary: strings.TrimSpace(f.Get("summary")), Body: f.Get("body")})
	return err
}

func (p *Pages) staffBallotOpen(r *http.Request, a *domain.Actor, _ *conference, f url.Values) error {
	_, err := p.dom.OpenBallot(r.Context(), a, r.PathValue("id"), f.Get("secret") != "")
	return err
}

func (p *Pages) staffBallotClose(r *http.Request, a *domain.Actor, _ *conference, _ url.Values) error {
	_, err := p.dom.CloseBallot(r.Context(), a, r.PathValue("id"))
	return err
}
