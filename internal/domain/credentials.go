package domain

import (
	"context"
	"slices"
	"strconv"

	"github.com/google/uuid"

	"github.com/zimmerwald/zimmerwald/mail"
	"github.com/zimmerwald/zimmerwald/models"
)

// errOrgNotVerified refuses what only delegates of a verified organisation may do.
var errOrgNotVerified = models.Conflictf(models.CodeOrgNotVerified, "the organisation has not been verified by the organisers")

// RequireCredentialed refuses (409 organisation_not_verified) a delegate whose organisation is
// not verified, before they are approved, co-sign, vote or ask to speak. A delegate without an
// organisation (an observer, the press, a guest) passes: other rules decide what they may do.
func (s *Service) RequireCredentialed(ctx context.Context, d *models.Delegate) error {
	if d == nil || d.OrganisationID == nil {
		return nil
	}
	o, err := s.store.Organisation(ctx, d.ConferenceID, *d.OrganisationID)
	if err != nil {
		return err
	}
	if o.Status != models.OrgVerified {
		return errOrgNotVerified
	}
	return nil
}

// DelegationEntry is one member of a delegation as read or set: a delegate and their role.
type DelegationEntry struct {
	DelegateID  string
	DisplayName string // on reads
	Role        models.DelegationRole
}

// Delegation is an organisation's credentialled delegation.
type Delegation struct {
	Organisation   *models.Organisation
	VotingMandates int
	Members        []DelegationEntry
	// Approved lists every approved delegate of the organisation with their role ("" when none),
	// for the organisers' form (GetDelegation only).
	Approved []DelegationEntry
}

// GetDelegation returns the delegation of organisation id (organisers).
func (s *Service) GetDelegation(ctx context.Context, a *Actor, slug, id string) (*Delegation, error) {
	if err := a.RequireStaff(Organisers...); err != nil {
		return nil, err
	}
	_, o, err := s.organisation(ctx, slug, id)
	if err != nil {
		return nil, err
	}
	if err := a.RequireStaffIn(o.ConferenceID, Organisers...); err != nil {
		return nil, err
	}
	out, err := s.delegation(ctx, o)
	if err != nil {
		return nil, err
	}
	ds, err := s.store.ActiveDelegatesOf(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	roles := map[string]models.DelegationRole{}
	for _, m := range out.Members {
		roles[m.DelegateID] = m.Role
	}
	for _, d := range ds {
		out.Approved = append(out.Approved, DelegationEntry{DelegateID: d.ID, DisplayName: d.DisplayName, Role: roles[d.ID]})
	}
	return out, nil
}

func (s *Service) delegation(ctx context.Context, o *models.Organisation) (*Delegation, error) {
	ms, err := s.store.Delegation(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	out := &Delegation{Organisation: o, VotingMandates: o.VotingMandates, Members: []DelegationEntry{}}
	for _, m := range ms {
		d, err := s.store.Delegate(ctx, m.DelegateID)
		if err != nil {
			return nil, err
		}
		out.Members = append(out.Members, DelegationEntry{DelegateID: m.DelegateID, DisplayName: d.DisplayName, Role: m.Role})
	}
	slices.SortStableFunc(out.Members, func(x, y DelegationEntry) int { return roleRank(x.Role) - roleRank(y.Role) })
	return out, nil
}

// roleRank orders roles head, voting, alternate, member.
func roleRank(r models.DelegationRole) int { return slices.Index(models.DelegationRoles, r) }

// SetDelegation is the credentials decision (organisers): it replaces the delegation of a
// verified organisation with members, all approved delegates of it, at most votingMandates
// (at least 1) of them head or voting, and at most one head. It is audited, and each delegate
// whose role changed (or who left the delegation) is mailed.
func (s *Service) SetDelegation(ctx context.Context, a *Actor, slug, id string, votingMandates *int, members []DelegationEntry) (*Delegation, error) {
	if err := a.RequireStaff(Organisers...); err != nil {
		return nil, err
	}
	conf, o, err := s.organisation(ctx, slug, id)
	if err != nil {
		return nil, err
	}
	if err := a.RequireStaffIn(conf.ID, Organisers...); err != nil {
		return nil, err
	}
	if o.Status != models.OrgVerified {
		return nil, errOrgNotVerified
	}
	mandates := o.VotingMandates
	if votingMandates != nil {
		mandates = *votingMandates
	}
	fe := models.FieldErrors{}
	if mandates < 1 || mandates > 1000 {
		fe.Set("voting_mandates", models.FieldBadRange, "must be between 1 and 1000")
	}
	ms, dels := []models.DelegationMember{}, map[string]*models.Delegate{}
	voting, heads := 0, 0
	for i, m := range members {
		field := "members[" + strconv.Itoa(i) + "]"
		if !slices.Contains(models.DelegationRoles, m.Role) {
			fe.Set(field+".role", models.FieldOneOf, "must be one of: head, voting, alternate, member")
		}
		if uuid.Validate(m.DelegateID) != nil || dels[m.DelegateID] != nil {
			fe.Set(field+".delegate_id", models.FieldInvalidID, "must be a distinct delegate ID")
			continue
		}
		d, err := s.store.Delegate(ctx, m.DelegateID)
		if err != nil || d.ConferenceID != conf.ID || d.OrganisationID == nil || *d.OrganisationID != o.ID ||
			d.Status != models.DelegateApproved || d.ErasedAt != nil {
			fe.Set(field+".delegate_id", models.FieldUnknownReference, "must be an approved delegate of this organisation")
			continue
		}
		dels[d.ID] = d
		if m.Role.Votes() {
			voting++
		}
		if m.Role == models.DelegationHead {
			heads++
		}
		ms = append(ms, models.DelegationMember{DelegateID: d.ID, Role: m.Role})
	}
	if voting > mandates {
		fe.Set("members", models.FieldTooManyVoting, "more head and voting delegates than voting_mandates")
	}
	if heads > 1 {
		fe.Set("members", models.FieldInvalid, "at most one head")
	}
	if len(fe) > 0 {
		return nil, models.Invalid(fe)
	}
	err = s.change(ctx, func(tx *models.Store) error {
		before, err := tx.Delegation(ctx, o.ID)
		if err != nil {
			return err
		}
		if err := tx.SetDelegation(ctx, o, mandates, ms); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, a, conf.ID, "delegation.set", "organisation", o.ID); err != nil {
			return err
		}
		was := map[string]models.DelegationRole{}
		for _, m := range before {
			was[m.DelegateID] = m.Role
			if dels[m.DelegateID] == nil {
				if dels[m.DelegateID], err = tx.Delegate(ctx, m.DelegateID); err != nil {
					return err
				}
			}
		}
		now := map[string]models.DelegationRole{}
		for _, m := range ms {
			now[m.DelegateID] = m.Role
		}
		for did, d := range dels {
			if was[did] == now[did] {
				continue
			}
			data := &mail.CredentialsData{Conference: conf.Title, Name: d.DisplayName, Organisation: o.Name, Role: string(now[did])}
			m, err := NewMail(EnvelopeOf(d), "credentials:"+o.ID+":"+tx.Now().Format("20060102T150405.000000000"), data)
			if err != nil {
				return err
			}
			if err := tx.Enqueue(ctx, m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.delegation(ctx, o)
}

// MyDelegation returns the actor's organisation's delegation and their role in it ("" when none),
// or nil when the delegate has no organisation.
func (s *Service) MyDelegation(ctx context.Context, a *Actor) (*Delegation, models.DelegationRole, error) {
	if err := a.RequireDelegate(); err != nil {
		return nil, "", err
	}
	d := a.Delegate
	if d.OrganisationID == nil {
		return nil, "", nil
	}
	o, err := s.store.Organisation(ctx, d.ConferenceID, *d.OrganisationID)
	if err != nil {
		return nil, "", err
	}
	del, err := s.delegation(ctx, o)
	if err != nil {
		return nil, "", err
	}
	role, err := s.store.DelegationRoleOf(ctx, d.ID)
	return del, role, err
}
