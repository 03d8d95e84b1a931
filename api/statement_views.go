package api

import (
	"context"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/internal/markdown"
	"github.com/zimmerwald/zimmerwald/models"
)

// reader is the caller as statements see them. Access rules for statements live here and in
// the handlers that use it: the public reads accepted and adopted statements; an active delegate
// also reads and edits their own organisation's; staff read everything; reviewers of a
// blind-review conference see neither author nor owning organisation.
type reader struct {
	staff    bool             // any staff account
	editor   bool             // organiser or admin: may enter and edit statements for any organisation
	blind    bool             // a reviewer on a blind-review conference
	delegate *models.Delegate // an active delegate of the statement's conference, or nil
}

// readerOf describes the caller for statements of conf.
func readerOf(c *gin.Context, conf *models.Conference) reader {
	var r reader
	p := who(c)
	switch {
	case p == nil:
	case p.Account != nil:
		r.staff = true
		r.editor = p.Role == string(models.StaffAdmin) || p.Role == string(models.StaffOrganiser)
		r.blind = conf.BlindReview && p.Role == string(models.StaffReviewer)
	case p.Delegate != nil && p.Delegate.ConferenceID == conf.ID && activeDelegate(p.Delegate):
		r.delegate = p.Delegate
	}
	return r
}

// activeDelegate reports whether d may act on statements: an approved delegate (not an observer,
// guest or press) who has not been erased.
func activeDelegate(d *models.Delegate) bool {
	return d.Status == models.DelegateApproved && d.Role == models.RoleDelegate && d.ErasedAt == nil
}

// orgID is the reader's organisation, or "".
func (r reader) orgID() string {
	if r.delegate == nil || r.delegate.OrganisationID == nil {
		return ""
	}
	return *r.delegate.OrganisationID
}

// member reports whether the reader is an active delegate of the statement's organisation.
func (r reader) member(st *models.Statement) bool {
	return r.orgID() != "" && r.orgID() == st.OrganisationID
}

// canRead reports whether the reader may see the statement at all.
func (r reader) canRead(st *models.Statement) bool {
	return r.staff || r.member(st) || st.IsPublished()
}

// canEdit reports whether the reader may change the statement's text, submit or withdraw it.
func (r reader) canEdit(st *models.Statement) bool { return r.editor || r.member(st) }

// showsDelegate reports whether the reader may see that d is d: staff (unless blind), d
// themself, anyone when d is public, and active delegates when d shows to participants.
func (r reader) showsDelegate(d *models.Delegate) bool {
	switch {
	case r.blind:
		return false
	case r.staff:
		return true
	case r.delegate != nil && r.delegate.ID == d.ID:
		return true
	case d.IsPublic():
		return true
	}
	return r.delegate != nil && d.Status == models.DelegateApproved && d.Visibility == models.VisibilityParticipants && d.ErasedAt == nil
}

// showsOrganisation reports whether the reader may see which organisation o is behind something
// it owns: staff (unless blind), its own delegates, and anyone when it is listed and verified.
func (r reader) showsOrganisation(o *models.Organisation) bool {
	switch {
	case r.blind:
		return false
	case r.staff, r.orgID() == o.ID:
		return true
	}
	return publicOrganisation(o)
}

// publicOrganisation reports whether an organisation may be named publicly.
func publicOrganisation(o *models.Organisation) bool {
	return o.Listed && o.Status == models.OrgVerified
}

// organisationRef names an organisation.
type organisationRef struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Country string `json:"country,omitempty"`
}

func orgRef(o *models.Organisation) *organisationRef {
	return &organisationRef{ID: o.ID, Name: o.Name, Country: o.Country}
}

// delegateRef names a delegate by the name they chose.
type delegateRef struct {
	ID          string `json:"id"`
	DisplayName string `json:"display_name"`
}

// cosignatureResponse is one signature as staff see it.
type cosignatureResponse struct {
	OrganisationID string    `json:"organisation_id"`
	Name           string    `json:"name"`
	Named          bool      `json:"named"`
	CreatedAt      time.Time `json:"created_at"`
}

// statementResponse is a statement as the reader may see it. Title, summary and body are in
// Language: the translation asked for with ?lang= when there is one, else OriginalLanguage.
type statementResponse struct {
	ID               string                 `json:"id"`
	ConferenceID     string                 `json:"conference_id"`
	OrganisationID   string                 `json:"organisation_id,omitempty"`
	Organisation     *organisationRef       `json:"organisation,omitempty"`
	Author           *delegateRef           `json:"author,omitempty"`
	SessionID        *string                `json:"session_id"`
	Title            string                 `json:"title"`
	Summary          string                 `json:"summary"`
	Body             string                 `json:"body"`
	BodyHTML         string                 `json:"body_html"`
	Language         string                 `json:"language"`
	OriginalLanguage string                 `json:"original_language"`
	Translated       bool                   `json:"translated"`
	Languages        []string               `json:"languages"`
	Status           models.StatementStatus `json:"status"`
	Version          int                    `json:"version"`
	Cosigners        []organisationRef      `json:"cosigners"`
	UnnamedCosigners int                    `json:"unnamed_cosigners"`
	Cosignatures     []cosignatureResponse  `json:"cosignatures,omitempty"`
	Ballot           *ballotResponse        `json:"ballot,omitempty"`
	SubmittedAt      *time.Time             `json:"submitted_at"`
	DecidedAt        *time.Time             `json:"decided_at"`
	CreatedAt        time.Time              `json:"created_at"`
	UpdatedAt        time.Time              `json:"updated_at"`
}

// statementViews builds the answers for sts in a handful of queries. lang picks a translation;
// detail adds what only the single-statement view shows (the roll call of an open ballot).
func (s *Server) statementViews(ctx context.Context, r reader, sts []models.Statement, lang string, detail bool) ([]statementResponse, error) {
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
	out := make([]statementResponse, 0, len(sts))
	for i := range sts {
		st := &sts[i]
		v := statementResponse{ID: st.ID, ConferenceID: st.ConferenceID, SessionID: st.SessionID, Title: st.Title, Summary: st.Summary,
			Body: st.Body, Language: st.Language, OriginalLanguage: st.Language, Languages: append([]string{st.Language}, langs[st.ID]...),
			Status: st.Status, Version: st.Version, Cosigners: []organisationRef{}, SubmittedAt: st.SubmittedAt, DecidedAt: st.DecidedAt,
			CreatedAt: st.CreatedAt, UpdatedAt: st.UpdatedAt}
		if tr, ok := trs[st.ID]; ok && tr.Language != st.Language {
			v.Title, v.Summary, v.Body, v.Language, v.Translated = tr.Title, tr.Summary, tr.Body, tr.Language, true
		}
		v.BodyHTML = markdown.Render(v.Body)
		if o, ok := orgs[st.OrganisationID]; ok && r.showsOrganisation(&o) {
			v.OrganisationID, v.Organisation = o.ID, orgRef(&o)
		}
		if st.AuthorID != nil {
			if d, ok := authors[*st.AuthorID]; ok && r.showsDelegate(&d) {
				v.Author = &delegateRef{ID: d.ID, DisplayName: d.DisplayName}
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
				v.Cosignatures = append(v.Cosignatures, cosignatureResponse{OrganisationID: o.ID, Name: o.Name, Named: c.Named, CreatedAt: c.CreatedAt})
			}
		}
		if b, ok := ballots[st.ID]; ok {
			bv, err := s.ballotView(ctx, r, &b, detail)
			if err != nil {
				return nil, err
			}
			v.Ballot = bv
		}
		out = append(out, v)
	}
	return out, nil
}

// statementView builds the answer for one statement.
func (s *Server) statementView(ctx context.Context, r reader, st *models.Statement, lang string) (*statementResponse, error) {
	vs, err := s.statementViews(ctx, r, []models.Statement{*st}, lang, true)
	if err != nil {
		return nil, err
	}
	return &vs[0], nil
}

// statementFor loads the statement named by :id with its conference and the caller as its
// reader. A statement the caller may not read does not exist for them.
func (s *Server) statementFor(c *gin.Context) (*models.Statement, *models.Conference, reader, error) {
	st, conf, r, err := s.loadStatement(c)
	if err == nil && !r.canRead(st) {
		err = errNotFound
	}
	if err != nil {
		return nil, nil, reader{}, err
	}
	return st, conf, r, nil
}

// loadStatement loads the statement named by :id, its conference and the caller as its reader,
// without deciding what the caller may do with it.
func (s *Server) loadStatement(c *gin.Context) (*models.Statement, *models.Conference, reader, error) {
	ctx := c.Request.Context()
	st, err := s.store.Statement(ctx, c.Param("id"))
	if err != nil {
		return nil, nil, reader{}, err
	}
	conf, err := s.store.ConferenceByID(ctx, st.ConferenceID)
	if err != nil {
		return nil, nil, reader{}, err
	}
	return st, conf, readerOf(c, conf), nil
}

// parties loads the organisations and delegates that answers about statements may name, by the
// optional IDs given (nil ones are skipped).
func (s *Server) parties(ctx context.Context, orgIDs, delIDs []*string) (map[string]models.Organisation, map[string]models.Delegate, error) {
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
