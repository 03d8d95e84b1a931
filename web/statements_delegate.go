package web

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/models"
)

// Statement forms of a delegate: draft, edit and submit their organisation's statements,
// co-sign others', propose amendments and vote. Each form posts here, becomes one domain
// operation as the visitor, and comes back to the page: with a notice on success, or with the
// refusal's messages next to the form and the input kept. The domain decides who may do what.

// statementsData is what the statements page shows: the published statements and, for a
// delegate of the conference, their organisation's own (drafts included) and the draft form.
type statementsData struct {
	Public []statement
	Own    []statement
	Me     *models.Delegate
}

// statementData is what a statement's page shows. Failed names the form whose refusal the page
// shows (v.Detail and v.Errors belong to it).
type statementData struct {
	Statement  statement
	Me         *models.Delegate
	Own        bool
	Failed     string
	Amendments []amendment
	Standing   domain.Standing // what the delegate has done already (co-signed, voted)
	Texts      statementTexts  // the languages it can be read in

	actor *domain.Actor // the visitor, for the form's operation
}

// Amendable reports whether the page offers the amendment and co-signing forms: to a submitted
// or accepted statement that has not been put to the vote (a hint only; the domain decides).
func (d *statementData) Amendable() bool {
	return (d.Statement.Status == models.StatementSubmitted || d.Statement.Status == models.StatementAccepted) && d.Statement.Ballot == nil
}

// VoteOpen reports whether a ballot on the statement is open.
func (d *statementData) VoteOpen() bool {
	return d.Statement.Ballot != nil && d.Statement.Ballot.Status == models.BallotOpen
}

// ShowEdit, ShowVote, ShowCosign and ShowAmend say which forms the page offers the delegate.
func (d *statementData) ShowEdit() bool {
	return d.Me != nil && d.Own && d.Statement.Status == models.StatementDraft
}

// ShowVote reports whether the page offers the vote form.
func (d *statementData) ShowVote() bool { return d.Me != nil && d.VoteOpen() && d.Standing.CanVote }

// ShowCosign reports whether the page offers the co-signing forms.
func (d *statementData) ShowCosign() bool {
	return d.Me != nil && !d.Own && d.Amendable() && (d.Standing.CanCosign || d.Standing.Cosigned)
}

// ShowAmend reports whether the page offers the amendment form.
func (d *statementData) ShowAmend() bool { return d.Me != nil && d.Amendable() }

// FailedHidden reports whether the form whose answer the page shows is not on the page (the
// statement moved on, or the form was posted from an older page): the page then shows the
// answer at the top.
func (d *statementData) FailedHidden() bool {
	switch d.Failed {
	case "":
		return false
	case formEdit, formSubmit:
		return !d.ShowEdit()
	case formVote:
		return !d.ShowVote()
	case formCosign, formUncosign:
		return !d.ShowCosign()
	case formAmend:
		return !d.ShowAmend()
	}
	return true
}

// amendment is an amendment as the page shows it.
type amendment struct{ domain.AmendmentView }

// ParagraphNumber is the paragraph the amendment replaces (0 for the whole text).
func (a amendment) ParagraphNumber() int {
	if a.Paragraph == nil {
		return 0
	}
	return *a.Paragraph
}

// HTML is the amendment's text as the domain rendered and sanitised it.
func (a amendment) HTML() template.HTML { return template.HTML(a.TextHTML) }

// Statement forms, as named in ?done= and statementData.Failed.
const (
	formCreate   = "created"
	formEdit     = "saved"
	formSubmit   = "submitted"
	formCosign   = "cosigned"
	formUncosign = "uncosigned"
	formAmend    = "amended"
	formVote     = "voted"
)

// statementNotices are the notices shown after a statement form succeeded.
var statementNotices = map[string]string{
	formCreate: "stmt_notice_created", formEdit: "stmt_notice_saved", formSubmit: "stmt_notice_submitted",
	formCosign: "stmt_notice_cosigned", formUncosign: "stmt_notice_uncosigned", formAmend: "stmt_notice_amended", formVote: "stmt_notice_voted",
}

// statementForm reads the draft form's fields (an empty language keeps the current one).
func statementForm(f url.Values) domain.StatementText {
	title, summary, body := strings.TrimSpace(f.Get("title")), strings.TrimSpace(f.Get("summary")), f.Get("body")
	in := domain.StatementText{Title: &title, Summary: &summary, Body: &body}
	if lang := f.Get("language"); lang != "" {
		in.Language = &lang
	}
	return in
}

// delegateIn returns the delegate acting as a when they are registered for the conference
// confID, else nil (logged out, staff, another conference, or a lapsed session).
func delegateIn(a *domain.Actor, confID string) *models.Delegate {
	if !a.IsDelegate() || a.Delegate.ConferenceID != confID {
		return nil
	}
	return a.Delegate
}

// ownOrganisation reports whether the statement belongs, as far as the visitor sees, to the
// organisation of me.
func ownOrganisation(me *models.Delegate, s *statement) bool {
	return me != nil && me.OrganisationID != nil && s.Organisation != nil && s.Organisation.ID == *me.OrganisationID
}

// statementsPage shows a conference's statements as the visitor may see them, and to a delegate
// their organisation's own with the draft form (v.Form keeps input sent).
func (p *Pages) statementsPage(w http.ResponseWriter, r *http.Request, a *domain.Actor, c *conference, v *view, status int) {
	sts, _, err := p.dom.ListStatements(r.Context(), a, domain.StatementQuery{Slug: c.Slug, Lang: v.lang, Page: models.Page{Limit: 200}})
	if err != nil {
		p.failed(w, r, v, err)
		return
	}
	d := statementsData{Me: delegateIn(a, c.ID)}
	for _, sv := range sts {
		s := statement{sv}
		if s.Status == models.StatementAccepted || s.Status == models.StatementAdopted {
			d.Public = append(d.Public, s)
		}
		if ownOrganisation(d.Me, &s) {
			d.Own = append(d.Own, s)
		}
	}
	if d.Me != nil {
		private(w)
		if v.Form.Get("language") == "" {
			v.Form.Set("language", v.lang)
		}
	}
	v.Data = d
	p.render(w, status, "statements", v)
}

// statementCreate drafts a statement for the delegate's organisation.
func (p *Pages) statementCreate(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.loadConference(w, r)
	if !ok || !p.parseForm(w, r, v) {
		return
	}
	private(w)
	a := p.actor(r)
	made, err := p.dom.CreateStatement(r.Context(), a, c.Slug, statementForm(v.Form))
	if err == nil {
		redirect(w, r, "/statements/"+url.PathEscape(made.ID)+"?done="+formCreate)
		return
	}
	if status, ok := p.formError(w, r, v, err); ok {
		p.statementsPage(w, r, a, c, v, status)
	}
}

// loadStatement reads the statement of the {id} path value for its page as the visitor may see
// it, with what the delegate of the session may do with it; on failure it has already answered.
func (p *Pages) loadStatement(w http.ResponseWriter, r *http.Request) (*view, *statementData, bool) {
	ctx, id := r.Context(), r.PathValue("id")
	lang, _ := chooseLanguage(r, nil)
	lang = textLanguage(r, lang)
	d := &statementData{actor: p.actor(r)}
	sv, err := p.dom.GetStatement(ctx, d.actor, id, lang)
	if err != nil {
		p.failed(w, r, nil, err)
		return nil, nil, false
	}
	d.Statement = statement{*sv}
	conf := p.conferenceByID(r, sv.ConferenceID)
	v := p.newView(w, r, conf)
	if conf != nil {
		d.Me = delegateIn(d.actor, conf.ID)
	}
	d.Texts = textsOf(sv, lang, v)
	if d.Me != nil {
		private(w)
		d.Own = ownOrganisation(d.Me, &d.Statement)
		if d.Own && sv.Status == models.StatementDraft && sv.Translated {
			// The edit form edits the text as written, not a translation.
			if sv, err = p.dom.GetStatement(ctx, d.actor, id, ""); err != nil {
				p.failed(w, r, v, err)
				return nil, nil, false
			}
			d.Statement = statement{*sv}
		}
	}
	if d.Me != nil {
		st, err := p.dom.MyStanding(ctx, d.actor, id)
		if err != nil {
			p.failed(w, r, v, err)
			return nil, nil, false
		}
		d.Standing = *st
	}
	if as, err := p.dom.ListAmendments(ctx, d.actor, id); err == nil {
		for _, a := range as {
			d.Amendments = append(d.Amendments, amendment{a})
		}
	}
	return v, d, true
}

// renderStatement shows a statement's page; the edit form of a draft starts from its text.
func (p *Pages) renderStatement(w http.ResponseWriter, v *view, d *statementData, status int) {
	if d.Own && d.Statement.Status == models.StatementDraft {
		s := d.Statement
		for k, val := range map[string]string{"title": s.Title, "summary": s.Summary, "body": s.Body, "language": s.Language} {
			if _, sent := v.Form[k]; !sent {
				v.Form.Set(k, val)
			}
		}
	}
	v.Data = d
	p.render(w, status, "statement", v)
}

// statementOp is the operation behind one form of a statement's page. It returns errFormRead
// when the form could not be read (it then put the messages into v).
type statementOp func(ctx context.Context, a *domain.Actor, id string, f url.Values, v *view) error

// statementAction handles a form of a statement's page: op runs the form's operation; success
// goes back to the page with the form's notice, a refusal shows next to the form.
func (p *Pages) statementAction(form string, op statementOp) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, d, ok := p.loadStatement(w, r)
		if !ok || !p.parseForm(w, r, v) {
			return
		}
		private(w)
		err := op(r.Context(), d.actor, d.Statement.ID, v.Form, v)
		if err == nil {
			redirect(w, r, "/statements/"+url.PathEscape(d.Statement.ID)+"?done="+form)
			return
		}
		d.Failed = form
		if err == errFormRead {
			p.renderStatement(w, v, d, http.StatusUnprocessableEntity)
			return
		}
		if e, ok := models.Classify(err); ok && form == formUncosign && e.Kind == models.KindNotFound {
			v.Detail = v.T("stmt_cosign_none")
			p.renderStatement(w, v, d, http.StatusConflict)
			return
		}
		if status, ok := p.formError(w, r, v, err); ok {
			v.Detail = statementRefusal(v, form, d, err, v.Detail)
			p.renderStatement(w, v, d, status)
		}
	}
}

// statementRefusal is the message for a refusal of form when the page says it better than the
// code alone: which vote was already cast, what the opened vote now forbids. Else it is msg.
func statementRefusal(v *view, form string, d *statementData, err error, msg string) string {
	e, _ := models.Classify(err)
	switch {
	case e == nil:
	case e.Code == models.CodeAlreadyVoted && d.Statement.Ballot != nil && d.Statement.Ballot.Rule == models.VotePerOrganisation:
		return v.T("msg_already_voted_org")
	case e.Code == models.CodeAlreadyVoted:
		return v.T("msg_already_voted_self")
	case e.Code == models.CodeVoteOpened && form == formCosign:
		return v.T("msg_vote_opened_cosign")
	case e.Code == models.CodeVoteOpened && form == formUncosign:
		return v.T("msg_vote_opened_uncosign")
	case e.Code == models.CodeVoteOpened && form == formAmend:
		return v.T("msg_vote_opened_amend")
	}
	return msg
}

// errFormRead says that a statement form could not be read into an operation's input.
var errFormRead = models.Malformed("the form could not be read", nil)

func (p *Pages) statementEdit(ctx context.Context, a *domain.Actor, id string, f url.Values, _ *view) error {
	_, err := p.dom.UpdateStatement(ctx, a, id, statementForm(f))
	return err
}

func (p *Pages) statementSubmit(ctx context.Context, a *domain.Actor, id string, _ url.Values, _ *view) error {
	_, err := p.dom.SubmitStatement(ctx, a, id)
	return err
}

func (p *Pages) statementCosign(ctx context.Context, a *domain.Actor, id string, f url.Values, _ *view) error {
	_, err := p.dom.Cosign(ctx, a, id, f.Get("named") == checkboxValue)
	return err
}

func (p *Pages) statementUncosign(ctx context.Context, a *domain.Actor, id string, _ url.Values, _ *view) error {
	return p.dom.WithdrawCosignature(ctx, a, id)
}

func (p *Pages) statementAmend(ctx context.Context, a *domain.Actor, id string, f url.Values, v *view) error {
	in := domain.AmendmentProposal{StatementID: id, Text: f.Get("text"), Rationale: strings.TrimSpace(f.Get("rationale"))}
	if s := strings.TrimSpace(f.Get("paragraph")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			v.Errors["paragraph"] = v.T("stmt_bad_paragraph")
			v.Detail = v.T("err_fix_fields")
			return errFormRead
		}
		in.Paragraph = &n
	}
	_, err := p.dom.ProposeAmendment(ctx, a, in)
	return err
}

func (p *Pages) statementVote(ctx context.Context, a *domain.Actor, id string, f url.Values, _ *view) error {
	_, err := p.dom.CastVote(ctx, a, id, f.Get("choice"))
	return err
}

// voteChoices are the choices of the vote form (the domain checks them again).
var voteChoices = models.Choices

// VoteChoices lists the choices of the vote form.
func (d *statementData) VoteChoices() []string { return models.Strings(voteChoices) }
