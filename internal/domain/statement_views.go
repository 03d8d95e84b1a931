package domain

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/zimmerwald/zimmerwald/models"
)

// CosignatureView is one signature as staff (not blind reviewers) see it.
type CosignatureView struct {
	OrganisationID, Name string
	Named                bool
	CreatedAt            time.Time
}

// StatementView is a statement as one reader may see it. Title, Summary, Body and BodyHTML are
// in Language: the translation asked for when there is one, else OriginalLanguage. Organisation
// and Author are nil when the reader may not see them; Cosignatures is for staff only.
type StatementView struct {
	ID, ConferenceID       string
	SessionID              *string
	Organisation           *OrganisationRef
	Author                 *DelegateRef
	Title, Summary, Body   string
	BodyHTML               string // Body rendered from Markdown and sanitised
	Language               string
	OriginalLanguage       string
	Translated             bool
	Languages              []string // the original language first, then the translations
	Status                 models.StatementStatus
	Version                int
	Cosigners              []OrganisationRef // named co-signers that may be named publicly
	UnnamedCosigners       int
	Cosignatures           []CosignatureView
	Ballot                 *BallotView // the latest ballot, if any
	SubmittedAt, DecidedAt *time.Time
	CreatedAt, UpdatedAt   time.Time
}

// StatementQuery asks for a page of a conference's statements. Status and OrganisationID narrow
// the list ("" for all, within what the reader may see); Lang picks translations.
type StatementQuery struct {
	Slug           string
	Status         string
	OrganisationID string
	Lang           string
	Page           models.Page
}

// statementStatuses lists every status, for StatementQuery.Status.
var statementStatuses = []models.StatementStatus{models.StatementDraft, models.StatementSubmitted, models.StatementAccepted, models.StatementRejected,
	models.StatementWithdrawn, models.StatementAdopted, models.StatementNotAdopted}

// checkLang refuses a ?lang= that is not a language code.
func checkLang(lang string) error {
	if lang != "" && !ValidLanguage(lang) {
		return models.Malformed("invalid language", models.FieldProblem("lang", models.FieldInvalidLanguage, errLanguageMessage))
	}
	return nil
}

// ListStatements lists a conference's statements as the actor may see them: accepted and adopted
// ones for everybody, plus every statement of their own organisation for an active delegate and
// every statement but drafts for staff (a draft is its organisation's until submitted). It returns the page and the cursor of the next one ("" at the end).
func (s *Service) ListStatements(ctx context.Context, a *Actor, q StatementQuery) ([]StatementView, string, error) {
	if err := checkLang(q.Lang); err != nil {
		return nil, "", err
	}
	conf, err := s.Conference(ctx, q.Slug)
	if err != nil {
		return nil, "", err
	}
	r := readerOf(a, conf)
	f := models.StatementFilter{ConferenceID: conf.ID, Page: q.Page}
	if !r.staff {
		f.Statuses, f.AlsoOrganisationID = []models.StatementStatus{models.StatementAccepted, models.StatementAdopted}, r.orgID()
	} else {
		f.Statuses = statementStatuses[1:] // all but drafts
	}
	if q.Status != "" {
		if !slices.Contains(statementStatuses, models.StatementStatus(q.Status)) {
			return nil, "", models.Malformed("invalid status", models.FieldProblem("status", models.FieldOneOf, "must be one of: "+strings.Join(models.Strings(statementStatuses), ", ")))
		}
		f.Status = models.StatementStatus(q.Status)
	}
	if org := q.OrganisationID; org != "" && !r.blind && (r.staff || org == r.orgID()) {
		f.OrganisationID = org
	}
	sts, err := s.store.ListStatements(ctx, f)
	if err != nil {
		return nil, "", err
	}
	items, err := s.statementViews(ctx, r, sts, q.Lang, false)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(sts) > 0 && len(sts) == q.Page.Limit {
		last := sts[len(sts)-1]
		next = models.EncodeCursor(last.CreatedAt, last.ID)
	}
	return items, next, nil
}

// GetStatement shows one statement to an actor who may read it, in lang when translated, with
// the roll call of its closed open ballot. A statement they may not read does not exist.
func (s *Service) GetStatement(ctx context.Context, a *Actor, id, lang string) (*StatementView, error) {
	if err := checkLang(lang); err != nil {
		return nil, err
	}
	st, _, r, err := s.readableStatement(ctx, a, id)
	if err != nil {
		return nil, err
	}
	return s.statementView(ctx, r, st, lang)
}

// statementView builds the view of one statement.
func (s *Service) statementView(ctx context.Context, r reader, st *models.Statement, lang string) (*StatementView, error) {
	vs, err := s.statementViews(ctx, r, []models.Statement{*st}, lang, true)
	if err != nil {
		return nil, err
	}
	return &vs[0], nil
}

// statementViews builds the views of sts in a handful of queries. lang picks a translation;
// detail adds what only the single-statement view shows (the roll call of a closed ballot).
func (s *Service) statementViews(ctx context.Context, r reader, sts []models.Statement, lang string, detail bool) ([]StatementView, error) {
	ids := make([]string, 0, len(sts))
	var orgIDs, authorIDs []string
	for _, st := range sts {
		ids = append(ids, st.ID)
		orgIDs = append(orgIDs, st.OrganisationID)
		if st.AuthorID != nil {
			authorIDs = append(authorIDs, *st.AuthorID)
		}
	}
	cosigs, err := s.store.Cosignatures(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, cs := range cosigs {
		for _, c := range cs {
			orgIDs = append(orgIDs, c.OrganisationID)
		}
	}
	orgs, err := s.store.OrganisationsByID(ctx, orgIDs)
	if err != nil {
		return nil, err
	}
	authors, err := s.store.StatementDelegates(ctx, authorIDs)
	if err != nil {
		return nil, err
	}
	trs, err := s.store.Translations(ctx, ids, lang)
	if err != nil {
		return nil, err
	}
	langs, err := s.store.TranslationLanguages(ctx, ids)
	if err != nil {
		return nil, err
	}
	ballots, err := s.store.LatestBallots(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]StatementView, 0, len(sts))
	for i := range sts {
		st := &sts[i]
		v := StatementView{ID: st.ID, ConferenceID: st.ConferenceID, SessionID: st.SessionID, Title: st.Title, Summary: st.Summary,
			Body: st.Body, BodyHTML: st.BodyHTML, Language: st.Language, OriginalLanguage: st.Language, Languages: append([]string{st.Language}, langs[st.ID]...),
			Status: st.Status, Version: st.Version, Cosigners: []OrganisationRef{}, SubmittedAt: st.SubmittedAt, DecidedAt: st.DecidedAt,
			CreatedAt: st.CreatedAt, UpdatedAt: st.UpdatedAt}
		if tr, ok := trs[st.ID]; ok && tr.Language != st.Language {
			v.Title, v.Summary, v.Body, v.BodyHTML, v.Language, v.Translated = tr.Title, tr.Summary, tr.Body, tr.BodyHTML, tr.Language, true
		}
		if o, ok := orgs[st.OrganisationID]; ok && r.showsOrganisation(&o) {
			v.Organisation = orgRef(&o)
		}
		if st.AuthorID != nil {
			if d, ok := authors[*st.AuthorID]; ok && r.showsDelegate(&d) {
				v.Author = delegateRef(&d)
			}
		}
		for _, c := range cosigs[st.ID] {
			o := orgs[c.OrganisationID]
			if c.Named && publicOrganisation(&o) {
				v.Cosigners = append(v.Cosigners, *orgRef(&o))
			} else {
				v.UnnamedCosigners++
			}
			if r.staff && !r.blind {
				v.Cosignatures = append(v.Cosignatures, CosignatureView{OrganisationID: o.ID, Name: o.Name, Named: c.Named, CreatedAt: c.CreatedAt})
			}
		}
		if b, ok := ballots[st.ID]; ok {
			if v.Ballot, err = s.ballotView(ctx, r, &b, detail); err != nil {
				return nil, err
			}
		}
		out = append(out, v)
	}
	return out, nil
}

// parties loads the organisations and delegates that views of statements may name, by the
// optional IDs given (nil ones are skipped).
func (s *Service) parties(ctx context.Context, orgIDs, delIDs []*string) (map[string]models.Organisation, map[string]models.Delegate, error) {
	present := func(ids []*string) []string {
		var out []string
		for _, id := range ids {
			if id != nil {
				out = append(out, *id)
			}
		}
		return out
	}
	orgs, err := s.store.OrganisationsByID(ctx, present(orgIDs))
	if err != nil {
		return nil, nil, err
	}
	dels, err := s.store.StatementDelegates(ctx, present(delIDs))
	if err != nil {
		return nil, nil, err
	}
	return orgs, dels, nil
}
