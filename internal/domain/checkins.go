package domain

import (
	"context"
	"crypto/rand"
	"strings"

	"github.com/zimmerwald/zimmerwald/internal/badge"
	"github.com/zimmerwald/zimmerwald/models"
)

// codeAlphabet is Crockford's base32: no I, L, O or U, so a code reads and types without doubt.
const codeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// newCheckinCode returns a random check-in code of 16 base32 characters (80 bits), grouped by
// four: XXXX-XXXX-XXXX-XXXX.
func newCheckinCode() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	var sb strings.Builder
	for i, c := range b {
		if i > 0 && i%4 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(codeAlphabet[c&31])
	}
	return sb.String()
}

// normaliseCode reads a typed or scanned code: case, spaces and dashes do not matter, and the
// letters people confuse with digits are read as those digits.
func normaliseCode(s string) string {
	var raw []rune
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == 'O':
			r = '0'
		case r == 'I' || r == 'L':
			r = '1'
		case r == '-' || r == ' ' || r == '\t':
			continue
		}
		if !strings.ContainsRune(codeAlphabet, r) || len(raw) == 16 {
			return ""
		}
		raw = append(raw, r)
	}
	if len(raw) != 16 {
		return ""
	}
	return string(raw[0:4]) + "-" + string(raw[4:8]) + "-" + string(raw[8:12]) + "-" + string(raw[12:16])
}

// Refusals of check-in and presence.
var (
	errBadgeNotApproved = models.Fail(models.KindForbidden, models.CodeNotApproved, "only approved delegates have a badge")
	errCheckinApproved  = models.Conflictf(models.CodeNotApproved, "this delegate is not approved")
	errOnlyRemote       = models.Conflictf(models.CodeConflict, "only remote delegates declare their presence; others are checked in at the desk")
)

// Badge is what a delegate's badge shows: never their legal name or email.
type Badge struct {
	Conference   string
	DisplayName  string
	Organisation string // only when listed and verified
	CheckinCode  string
}

// MyBadge returns the approved delegate's badge, giving them a check-in code the first time.
func (s *Service) MyBadge(ctx context.Context, a *Actor) (*Badge, error) {
	if err := a.RequireDelegate(); err != nil {
		return nil, err
	}
	d := a.Delegate
	if d.Status != models.DelegateApproved || d.ErasedAt != nil {
		return nil, errBadgeNotApproved
	}
	conf, err := s.store.ConferenceByID(ctx, d.ConferenceID)
	if err != nil {
		return nil, err
	}
	var c *models.Checkin
	if err := s.change(ctx, func(tx *models.Store) error {
		c, err = tx.CheckinOf(ctx, d, newCheckinCode)
		return err
	}); err != nil {
		return nil, err
	}
	out := &Badge{Conference: conf.Title, DisplayName: d.DisplayName, CheckinCode: c.Code}
	if d.OrganisationID != nil {
		o, err := s.store.Organisation(ctx, conf.ID, *d.OrganisationID)
		if err != nil {
			return nil, err
		}
		if publicOrganisation(o) {
			out.Organisation = o.Name
		}
	}
	return out, nil
}

// MyBadgePDF renders the approved delegate's badge as a PDF.
func (s *Service) MyBadgePDF(ctx context.Context, a *Actor) ([]byte, error) {
	b, err := s.MyBadge(ctx, a)
	if err != nil {
		return nil, err
	}
	return badge.PDF(badge.Badge(*b))
}

// CheckinResult is who was checked in.
type CheckinResult struct {
	DelegateID  string
	DisplayName string
	FirstTime   bool
}

// CheckIn records that the holder of a check-in code entered the hall (any staff). Checks are
// rate limited per client; an unknown code is not_found and tells nothing more; a delegate who is
// no longer approved is not_approved (409). Audited.
func (s *Service) CheckIn(ctx context.Context, a *Actor, slug, code string) (*CheckinResult, error) {
	if err := a.RequireStaff(StaffAll...); err != nil {
		return nil, err
	}
	if !s.checkinLimiter.Allow(a.Client + "|" + a.ID()) {
		return nil, errTooMany
	}
	conf, err := s.Conference(ctx, slug)
	if err != nil {
		return nil, err
	}
	if err := a.RequireStaffIn(conf.ID, StaffAll...); err != nil {
		return nil, err
	}
	code = normaliseCode(code)
	if code == "" {
		return nil, models.ErrNotFound
	}
	var out *CheckinResult
	err = s.change(ctx, func(tx *models.Store) error {
		c, err := tx.CheckinByCode(ctx, conf.ID, code)
		if err != nil {
			return err
		}
		d, err := tx.Delegate(ctx, c.DelegateID)
		if err != nil {
			return err
		}
		if d.Status != models.DelegateApproved || d.ErasedAt != nil {
			return errCheckinApproved
		}
		first, err := tx.MarkCheckedIn(ctx, d.ID)
		if err != nil {
			return err
		}
		out = &CheckinResult{DelegateID: d.ID, DisplayName: d.DisplayName, FirstTime: first}
		return s.audit(ctx, tx, a, conf.ID, "delegate.checkin", "delegate", d.ID)
	})
	return out, err
}

// SetPresence declares (present) or ends the presence of an approved remote delegate.
func (s *Service) SetPresence(ctx context.Context, a *Actor, present bool) error {
	if err := a.RequireDelegate(); err != nil {
		return err
	}
	d := a.Delegate
	if d.Status != models.DelegateApproved || d.ErasedAt != nil {
		return errBadgeNotApproved
	}
	if d.Attendance != models.AttendRemote {
		return errOnlyRemote
	}
	return s.change(ctx, func(tx *models.Store) error {
		if _, err := tx.CheckinOf(ctx, d, newCheckinCode); err != nil {
			return err
		}
		return tx.SetRemotePresence(ctx, d.ID, present)
	})
}

// Presence counts who is present: approved delegates checked in or online, the verified
// organisations they belong to, and the voting mandates those organisations can exercise (their
// present head and voting delegates, filled up by present alternates, at most voting_mandates;
// while an organisation has no delegation set, its present delegates).
type Presence struct {
	DelegatesPresent      int
	OrganisationsPresent  int
	VotingMandatesPresent int
}

// GetPresence returns the conference's presence counts (any staff).
func (s *Service) GetPresence(ctx context.Context, a *Actor, slug string) (*Presence, error) {
	if err := a.RequireStaff(StaffAll...); err != nil {
		return nil, err
	}
	conf, err := s.Conference(ctx, slug)
	if err != nil {
		return nil, err
	}
	if err := a.RequireStaffIn(conf.ID, StaffAll...); err != nil {
		return nil, err
	}
	present, err := s.store.PresentDelegates(ctx, conf.ID)
	if err != nil {
		return nil, err
	}
	members, err := s.store.DelegationsOf(ctx, conf.ID)
	if err != nil {
		return nil, err
	}
	roles, hasDelegation := map[string]models.DelegationRole{}, map[string]bool{}
	for _, m := range members {
		roles[m.DelegateID] = m.Role
		if m.Role.Votes() || m.Role == models.DelegationAlternate {
			hasDelegation[m.OrganisationID] = true
		}
	}
	orgs, err := s.store.ListOrganisations(ctx, models.OrganisationFilter{ConferenceID: conf.ID, Status: models.OrgVerified})
	if err != nil {
		return nil, err
	}
	mandates := map[string]int{}
	for _, o := range orgs {
		mandates[o.ID] = max(o.VotingMandates, 1)
	}
	out := &Presence{DelegatesPresent: len(present)}
	votes, alternates := map[string]int{}, map[string]int{}
	for _, d := range present {
		if d.OrganisationID == nil {
			continue
		}
		o := *d.OrganisationID
		if _, ok := mandates[o]; !ok {
			continue
		}
		if _, seen := votes[o]; !seen {
			votes[o] = 0
		}
		switch r := roles[d.ID]; {
		case !hasDelegation[o] && d.Role == models.RoleDelegate, r.Votes():
			votes[o]++
		case r == models.DelegationAlternate:
			alternates[o]++
		}
	}
	out.OrganisationsPresent = len(votes)
	for o, n := range votes {
		out.VotingMandatesPresent += min(n+alternates[o], mandates[o])
	}
	return out, nil
}
