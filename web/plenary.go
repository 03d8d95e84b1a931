package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/models"
)

// mePlenary is the plenary part of the delegate's page: delegation, badge, presence, ballots.
type mePlenary struct {
	Delegation *domain.Delegation
	Role       string
	Badge      *domain.Badge
	Remote     bool
	Open       []domain.BallotView
	Closed     []domain.BallotView
}

// loadPlenary fills the plenary part of the page of an approved delegate (nil for others).
func (p *Pages) loadPlenary(r *http.Request, m *models.Delegate, c *conference) *mePlenary {
	if m.Status != models.DelegateApproved || c == nil {
		return nil
	}
	ctx, a := r.Context(), p.actor(r)
	out := &mePlenary{Remote: m.Attendance == models.AttendRemote}
	var err error
	var role models.DelegationRole
	if out.Delegation, role, err = p.dom.MyDelegation(ctx, a); err != nil {
		p.log.Warn("my delegation", "err", err)
	}
	out.Role = string(role)
	if out.Badge, err = p.dom.MyBadge(ctx, a); err != nil {
		p.log.Warn("my badge", "err", err)
	}
	bs, err := p.dom.ListBallots(ctx, a, c.Slug)
	if err != nil {
		p.log.Warn("ballots", "err", err)
	}
	out.Open, out.Closed = splitBallots(bs)
	return out
}

// splitBallots separates the open ballots from the closed ones.
func splitBallots(bs []domain.BallotView) (open, closed []domain.BallotView) {
	for _, b := range bs {
		if b.Status == models.BallotOpen {
			open = append(open, b)
		} else {
			closed = append(closed, b)
		}
	}
	return open, closed
}

// meBadgePDF downloads the delegate's printable badge (domain.Service.MyBadgePDF).
func (p *Pages) meBadgePDF(w http.ResponseWriter, r *http.Request) {
	private(w)
	pdf, err := p.dom.MyBadgePDF(r.Context(), p.actor(r))
	if err != nil {
		p.failed(w, r, nil, err)
		return
	}
	download(w, "application/pdf", `inline; filename="badge.pdf"`, pdf)
}

// mePresence declares or ends a remote delegate's presence (domain.Service.SetPresence).
func (p *Pages) mePresence(w http.ResponseWriter, r *http.Request) {
	v, d, ok := p.loadMe(w, r)
	if !ok || !p.parseForm(w, r, v) {
		return
	}
	err := p.dom.SetPresence(r.Context(), p.actor(r), v.Form.Get("present") == checkboxValue)
	if err == nil {
		redirect(w, r, "/me?presence=1#plenary")
		return
	}
	if status, ok := p.formError(w, r, v, err); ok {
		v.Data = d
		p.render(w, status, "me", v)
	}
}

// meVote casts the delegate's vote on a ballot (domain.Service.Vote).
func (p *Pages) meVote(w http.ResponseWriter, r *http.Request) {
	v, d, ok := p.loadMe(w, r)
	if !ok || !p.parseForm(w, r, v) {
		return
	}
	choices := v.Form["choices"]
	if c := v.Form.Get("choice"); c != "" {
		choices = []string{c}
	}
	err := p.dom.Vote(r.Context(), p.actor(r), r.PathValue("id"), choices)
	if err == nil {
		redirect(w, r, "/me?voted=1#plenary")
		return
	}
	if status, ok := p.formError(w, r, v, err); ok {
		v.Data = d
		p.render(w, status, "me", v)
	}
}

// plenaryData is what the organisers' plenary page shows.
type plenaryData struct {
	Presence *domain.Presence
	Checkin  *domain.CheckinResult
	Open     []domain.BallotView
	Closed   []domain.BallotView
	Kinds    []string
	Rules    []string
}

// staffPlenaryPage renders the plenary console with status.
func (p *Pages) staffPlenaryPage(w http.ResponseWriter, r *http.Request, c *conference, v *view, d *plenaryData, status int) {
	ctx, a := r.Context(), p.actor(r)
	var err error
	if d.Presence, err = p.dom.GetPresence(ctx, a, c.Slug); err != nil {
		p.failed(w, r, v, err)
		return
	}
	bs, err := p.dom.ListBallots(ctx, a, c.Slug)
	if err != nil {
		p.failed(w, r, v, err)
		return
	}
	d.Open, d.Closed = splitBallots(bs)
	d.Kinds, d.Rules = []string{"motion", "election"}, models.Strings(models.Majorities)
	if v.Form.Get("kind") == "" {
		v.Form.Set("kind", "motion")
	}
	v.Data = d
	p.render(w, status, "staff_plenary", v)
}

// staffPlenary shows presence, the check-in desk and the ballots.
func (p *Pages) staffPlenary(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.staffConf(w, r)
	if !ok {
		return
	}
	switch {
	case r.URL.Query().Get("opened") != "":
		v.Notice = v.T("plenary_ballot_opened")
	case r.URL.Query().Get("closed") != "":
		v.Notice = v.T("plenary_ballot_closed")
	}
	p.staffPlenaryPage(w, r, c, v, &plenaryData{}, http.StatusOK)
}

// staffCheckin checks a delegate in by a typed (or scanned) code (domain.Service.CheckIn).
func (p *Pages) staffCheckin(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.staffConf(w, r)
	if !ok || !p.parseForm(w, r, v) {
		return
	}
	d := &plenaryData{}
	res, err := p.dom.CheckIn(r.Context(), p.actor(r), c.Slug, v.Form.Get("code"))
	status := http.StatusOK
	switch {
	case err == nil:
		d.Checkin = res
		v.Form.Del("code")
	case errors.Is(err, models.ErrNotFound):
		status, v.Detail = http.StatusNotFound, v.T("plenary_code_unknown")
	default:
		if status, ok = p.formError(w, r, v, err); !ok {
			return
		}
	}
	p.staffPlenaryPage(w, r, c, v, d, status)
}

// staffBallotCreate opens a motion or an election (domain.Service.CreateBallot).
func (p *Pages) staffBallotCreate(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.staffConf(w, r)
	if !ok || !p.parseForm(w, r, v) {
		return
	}
	f := v.Form
	in := domain.BallotInput{Kind: f.Get("kind"), Question: f.Get("question"), Rule: f.Get("rule"), Weighting: f.Get("weighting")}
	secret := f.Get("open_vote") != checkboxValue
	in.Secret = &secret
	if q := strings.TrimSpace(f.Get("quorum")); q != "" {
		pc, err := strconv.ParseFloat(q, 64)
		if err != nil {
			pc = -1
		}
		in.Quorum = pc / 100
	}
	if in.Kind == "election" {
		for _, line := range strings.Split(f.Get("candidates"), "\n") {
			if line = strings.TrimSpace(line); line != "" {
				in.Candidates = append(in.Candidates, line)
			}
		}
		in.Seats, _ = strconv.Atoi(f.Get("seats"))
	}
	_, err := p.dom.CreateBallot(r.Context(), p.actor(r), c.Slug, in)
	if err == nil {
		redirect(w, r, "/staff/c/"+url.PathEscape(c.Slug)+"/plenary?opened=1")
		return
	}
	if status, ok := p.formError(w, r, v, err); ok {
		p.staffPlenaryPage(w, r, c, v, &plenaryData{}, status)
	}
}

// staffPlenaryBallotClose closes a ballot (domain.Service.CloseBallotByID).
func (p *Pages) staffPlenaryBallotClose(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.staffConf(w, r)
	if !ok || !p.parseForm(w, r, v) {
		return
	}
	out, err := p.dom.CloseBallotByID(r.Context(), p.actor(r), r.PathValue("id"))
	if err == nil {
		if out.HistoryErr != nil {
			p.log.Warn("forgetting the order of secret votes failed", "err", out.HistoryErr)
		}
		redirect(w, r, "/staff/c/"+url.PathEscape(c.Slug)+"/plenary?closed=1")
		return
	}
	if status, ok := p.formError(w, r, v, err); ok {
		p.staffPlenaryPage(w, r, c, v, &plenaryData{}, status)
	}
}

// delegationsData is what the delegations page shows.
type delegationsData struct {
	Organisations []models.Organisation
	Delegation    *domain.Delegation
	Roles         []string
}

// staffDelegationsPage renders the delegations page, with the delegation of organisation id when set.
func (p *Pages) staffDelegationsPage(w http.ResponseWriter, r *http.Request, c *conference, v *view, id string, status int) {
	ctx, a := r.Context(), p.actor(r)
	d := &delegationsData{Roles: models.Strings(models.DelegationRoles)}
	var err error
	if d.Organisations, err = p.dom.ListOrganisations(ctx, a, c.Slug, string(models.OrgVerified)); err != nil {
		p.failed(w, r, v, err)
		return
	}
	if id != "" {
		if d.Delegation, err = p.dom.GetDelegation(ctx, a, c.Slug, id); err != nil {
			p.failed(w, r, v, err)
			return
		}
		if v.Form.Get("voting_mandates") == "" {
			v.Form.Set("voting_mandates", strconv.Itoa(d.Delegation.VotingMandates))
		}
	}
	v.Data = d
	p.render(w, status, "staff_delegations", v)
}

// staffDelegations lists the verified organisations and the chosen one's delegation.
func (p *Pages) staffDelegations(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.staffConf(w, r)
	if !ok {
		return
	}
	if r.URL.Query().Get("saved") != "" {
		v.Notice = v.T("delegation_saved")
	}
	p.staffDelegationsPage(w, r, c, v, r.URL.Query().Get("org"), http.StatusOK)
}

// staffDelegationSave is the credentials decision (domain.Service.SetDelegation): one role
// select per approved delegate of the organisation ("" leaves them out).
func (p *Pages) staffDelegationSave(w http.ResponseWriter, r *http.Request) {
	c, v, ok := p.staffConf(w, r)
	if !ok || !p.parseForm(w, r, v) {
		return
	}
	id := r.PathValue("id")
	var members []domain.DelegationEntry
	for key, vals := range v.Form {
		if did, ok := strings.CutPrefix(key, "role_"); ok && len(vals) > 0 && vals[0] != "" {
			members = append(members, domain.DelegationEntry{DelegateID: did, Role: models.DelegationRole(vals[0])})
		}
	}
	mandates, err := strconv.Atoi(v.Form.Get("voting_mandates"))
	if err != nil {
		mandates = 0
	}
	if _, err = p.dom.SetDelegation(r.Context(), p.actor(r), c.Slug, id, &mandates, members); err == nil {
		redirect(w, r, "/staff/c/"+url.PathEscape(c.Slug)+"/delegations?saved=1&org="+url.QueryEscape(id))
		return
	}
	if status, ok := p.formError(w, r, v, err); ok {
		p.staffDelegationsPage(w, r, c, v, id, status)
	}
}
