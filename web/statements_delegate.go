package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Statement forms of a delegate: draft, edit and submit their organisation's statements,
// co-sign others', propose amendments and vote. Each form posts here, becomes one API call with
// the delegate's bearer token, and comes back to the page: with a notice on success, or with the
// API's messages next to the form and the input kept. The API decides who may do what.

// statementsData is what the statements page shows: the published statements and, for a
// delegate of the conference, their organisation's own (drafts included) and the draft form.
type statementsData struct {
	Public []statement
	Own    []statement
	Me     *delegate
}

// statementData is what a statement's page shows. Failed names the form whose API answer the
// page shows (v.Detail and v.Errors belong to it).
type statementData struct {
	Statement  statement
	Me         *delegate
	Own        bool
	Failed     string
	Amendments []amendment
}

// Amendable reports whether the page offers the amendment and co-signing forms: to a submitted
// or accepted statement that has not been put to the vote (a hint only; the API decides).
func (d *statementData) Amendable() bool {
	return (d.Statement.Status == "submitted" || d.Statement.Status == "accepted") && d.Statement.Ballot == nil
}

// VoteOpen reports whether a ballot on the statement is open.
func (d *statementData) VoteOpen() bool {
	return d.Statement.Ballot != nil && d.Statement.Ballot.Status == "open"
}

// ShowEdit, ShowVote, ShowCosign and ShowAmend say which forms the page offers the delegate.
func (d *statementData) ShowEdit() bool { return d.Me != nil && d.Own && d.Statement.Status == "draft" }

// ShowVote reports whether the page offers the vote form.
func (d *statementData) ShowVote() bool { return d.Me != nil && d.VoteOpen() }

// ShowCosign reports whether the page offers the co-signing forms.
func (d *statementData) ShowCosign() bool { return d.Me != nil && !d.Own && d.Amendable() }

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

// amendment is the API's view of an amendment.
type amendment struct {
	ID           string     `json:"id"`
	Paragraph    *int       `json:"paragraph"`
	TextHTML     string     `json:"text_html"`
	Rationale    string     `json:"rationale"`
	Status       string     `json:"status"`
	Organisation *orgRef    `json:"organisation"`
	Author       *personRef `json:"author"`
	CreatedAt    time.Time  `json:"created_at"`
}

// ParagraphNumber is the paragraph the amendment replaces (0 for the whole text).
func (a amendment) ParagraphNumber() int {
	if a.Paragraph == nil {
		return 0
	}
	return *a.Paragraph
}

// HTML is the amendment's text as the API rendered and sanitised it.
func (a amendment) HTML() template.HTML { return template.HTML(a.TextHTML) }

// statementBody is the JSON body of POST …/statements and PATCH /statements/{id}.
type statementBody struct {
	Title    string `json:"title"`
	Summary  string `json:"summary"`
	Body     string `json:"body"`
	Language string `json:"language,omitempty"`
}

// amendmentBody is the JSON body of POST /statements/{id}/amendments.
type amendmentBody struct {
	Paragraph *int   `json:"paragraph,omitempty"`
	Text      string `json:"text"`
	Rationale string `json:"rationale"`
}

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

// statementForm reads the draft form's fields.
func statementForm(f url.Values) statementBody {
	return statementBody{Title: strings.TrimSpace(f.Get("title")), Summary: strings.TrimSpace(f.Get("summary")),
		Body: f.Get("body"), Language: f.Get("language")}
}

// delegateIn returns the delegate of the visitor's session when they are registered for the
// conference confID, else nil (logged out, staff, another conference, or a lapsed session).
func (p *Pages) delegateIn(r *http.Request, confID string) *delegate {
	if sessionKind(r) != kindDelegate {
		return nil
	}
	var d delegate
	if res, err := p.get(r, "/api/v1/me", &d); err != nil || !res.OK() || d.ConferenceID != confID {
		return nil
	}
	return &d
}

// statementsPage shows a conference's statements as the API lists them for the visitor, and to
// a delegate their organisation's own with the draft form (v.Form keeps input sent).
func (p *Pages) statementsPage(w http.ResponseWriter, r *http.Request, c *conference, v *view, status int) {
	q := url.Values{"lang": {v.lang}, "limit": {"200"}}
	var sts list[statement]
	res, err := p.get(r, "/api/v1/conferences/"+url.PathEscape(c.Slug)+"/statements?"+q.Encode(), &sts)
	if err != nil || !res.OK() {
		p.fail(w, r, v, res, err)
		return
	}
	d := statementsData{Me: p.delegateIn(r, c.ID)}
	for _, s := range sts.Items {
		if s.Status == "accepted" || s.Status == "adopted" {
			d.Public = append(d.Public, s)
		}
		if d.Me != nil && d.Me.OrganisationID != "" && s.Organisation != nil && s.Organisation.ID == d.Me.OrganisationID {
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
	res, err := p.api(r, http.MethodPost, "/api/v1/conferences/"+url.PathEscape(c.Slug)+"/statements", statementForm(v.Form))
	var made struct {
		ID string `json:"id"`
	}
	if err == nil && res.OK() && res.Decode(&made) == nil && made.ID != "" {
		redirect(w, r, "/statements/"+url.PathEscape(made.ID)+"?done="+formCreate)
		return
	}
	if p.statementFormFailed(w, r, v, res, err) {
		p.statementsPage(w, r, c, v, res.Status)
	}
}

// loadStatement fetches the statement of the {id} path value for its page, with what the
// delegate of the session may do with it; on failure it has already answered.
func (p *Pages) loadStatement(w http.ResponseWriter, r *http.Request) (*view, *statementData, bool) {
	id := url.PathEscape(r.PathValue("id"))
	lang, _ := chooseLanguage(r, nil)
	d := &statementData{}
	res, err := p.get(r, "/api/v1/statements/"+id+"?lang="+lang, &d.Statement)
	if err != nil || !res.OK() {
		p.fail(w, r, nil, res, err)
		return nil, nil, false
	}
	conf := p.conferenceByID(r, d.Statement.ConferenceID)
	v := p.newView(w, r, conf)
	if conf != nil {
		d.Me = p.delegateIn(r, conf.ID)
	}
	if d.Me != nil {
		private(w)
		s := d.Statement
		d.Own = d.Me.OrganisationID != "" && s.Organisation != nil && s.Organisation.ID == d.Me.OrganisationID
		if d.Own && s.Status == "draft" && s.Translated {
			// The edit form edits the text as written, not a translation.
			if res, err := p.get(r, "/api/v1/statements/"+id, &d.Statement); err != nil || !res.OK() {
				p.fail(w, r, v, res, err)
				return nil, nil, false
			}
		}
	}
	var as list[amendment]
	if res, err := p.get(r, "/api/v1/statements/"+id+"/amendments", &as); err == nil && res.OK() {
		d.Amendments = as.Items
	}
	return v, d, true
}

// renderStatement shows a statement's page; the edit form of a draft starts from its text.
func (p *Pages) renderStatement(w http.ResponseWriter, v *view, d *statementData, status int) {
	if d.Own && d.Statement.Status == "draft" {
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

// statementAction handles a form of a statement's page: call makes the API call from the
// form; success goes back to the page with the form's notice.
func (p *Pages) statementAction(form string, call func(r *http.Request, path string, f url.Values, v *view) (*apiResult, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, d, ok := p.loadStatement(w, r)
		if !ok || !p.parseForm(w, r, v) {
			return
		}
		private(w)
		path := "/api/v1/statements/" + url.PathEscape(d.Statement.ID)
		res, err := call(r, path, v.Form, v)
		if err == nil && res != nil && res.OK() {
			redirect(w, r, "/statements/"+url.PathEscape(d.Statement.ID)+"?done="+form)
			return
		}
		d.Failed = form
		if res == nil && err == nil {
			// The form could not be turned into a request: call put the messages into v.
			p.renderStatement(w, v, d, http.StatusUnprocessableEntity)
			return
		}
		if err == nil && form == formUncosign && res.Status == http.StatusNotFound {
			v.Detail = v.T("stmt_cosign_none")
			p.renderStatement(w, v, d, http.StatusConflict)
			return
		}
		if p.statementFormFailed(w, r, v, res, err) {
			p.renderStatement(w, v, d, res.Status)
		}
	}
}

// statementFormFailed is formFailed that shows the API's own reason for a 403 (why this
// delegate may not do this) when the pages know it, rather than a generic refusal.
func (p *Pages) statementFormFailed(w http.ResponseWriter, r *http.Request, v *view, res *apiResult, err error) bool {
	if !p.formFailed(w, r, v, res, err) {
		return false
	}
	if res.Status == http.StatusForbidden && res.Problem != nil && res.Problem.Detail != "" {
		if msg := v.apiMessage(res.Problem.Detail); msg != res.Problem.Detail {
			v.Detail = msg
		}
	}
	return true
}

func (p *Pages) statementEdit(r *http.Request, path string, f url.Values, _ *view) (*apiResult, error) {
	return p.api(r, http.MethodPatch, path, statementForm(f))
}

func (p *Pages) statementSubmit(r *http.Request, path string, _ url.Values, _ *view) (*apiResult, error) {
	return p.api(r, http.MethodPost, path+"/submit", nil)
}

func (p *Pages) statementCosign(r *http.Request, path string, f url.Values, _ *view) (*apiResult, error) {
	return p.api(r, http.MethodPost, path+"/cosignatures", map[string]bool{"named": f.Get("named") == checkboxValue})
}

func (p *Pages) statementUncosign(r *http.Request, path string, _ url.Values, _ *view) (*apiResult, error) {
	return p.api(r, http.MethodDelete, path+"/cosignatures", nil)
}

func (p *Pages) statementAmend(r *http.Request, path string, f url.Values, v *view) (*apiResult, error) {
	body := amendmentBody{Text: f.Get("text"), Rationale: strings.TrimSpace(f.Get("rationale"))}
	if s := strings.TrimSpace(f.Get("paragraph")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			v.Errors["paragraph"] = v.T("stmt_bad_paragraph")
			v.Detail = v.T("err_fix_fields")
			return nil, nil
		}
		body.Paragraph = &n
	}
	return p.api(r, http.MethodPost, path+"/amendments", body)
}

func (p *Pages) statementVote(r *http.Request, path string, f url.Values, _ *view) (*apiResult, error) {
	return p.api(r, http.MethodPost, path+"/votes", map[string]string{"choice": f.Get("choice")})
}

// voteChoices are the choices of the vote form (the API checks them again).
var voteChoices = []string{"yes", "no", "abstain"}

// VoteChoices lists the choices of the vote form.
func (d *statementData) VoteChoices() []string { return voteChoices }
