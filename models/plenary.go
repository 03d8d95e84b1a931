package models

import (
	"context"
	"encoding/hex"
	"time"
)

// DelegationRole is a delegate's place in the delegation of their organisation.
type DelegationRole string

// Delegation roles.
const (
	DelegationHead      DelegationRole = "head"
	DelegationVoting    DelegationRole = "voting"
	DelegationAlternate DelegationRole = "alternate"
	DelegationPlain     DelegationRole = "member"
)

// DelegationRoles lists the valid roles.
var DelegationRoles = []DelegationRole{DelegationHead, DelegationVoting, DelegationAlternate, DelegationPlain}

// Votes reports whether the role holds one of the organisation's voting mandates.
func (r DelegationRole) Votes() bool { return r == DelegationHead || r == DelegationVoting }

// DelegationMember is one credentialled delegate of an organisation.
type DelegationMember struct {
	DelegateID     string `gorm:"primaryKey"`
	OrganisationID string
	ConferenceID   string
	Role           DelegationRole
	UpdatedAt      time.Time
}

// Delegation returns the members of an organisation's delegation.
func (s *Store) Delegation(ctx context.Context, organisationID string) ([]DelegationMember, error) {
	var ms []DelegationMember
	err := s.read(ctx).Where("organisation_id = ?", organisationID).Order("role, delegate_id").Find(&ms).Error
	return ms, err
}

// DelegationRoleOf returns a delegate's role in their delegation, or "" when they have none.
func (s *Store) DelegationRoleOf(ctx context.Context, delegateID string) (DelegationRole, error) {
	var ms []DelegationMember
	if err := s.read(ctx).Where("delegate_id = ?", delegateID).Limit(1).Find(&ms).Error; err != nil || len(ms) == 0 {
		return "", err
	}
	return ms[0].Role, nil
}

// SetDelegation replaces an organisation's delegation with ms and its voting mandates; call it
// inside Tx.
func (s *Store) SetDelegation(ctx context.Context, org *Organisation, mandates int, ms []DelegationMember) error {
	if err := s.write(ctx).Model(&Organisation{}).Where("id = ?", org.ID).Updates(map[string]any{"voting_mandates": mandates, "updated_at": s.now()}).Error; err != nil {
		return err
	}
	org.VotingMandates = mandates
	if err := s.write(ctx).Where("organisation_id = ?", org.ID).Delete(&DelegationMember{}).Error; err != nil {
		return err
	}
	for i := range ms {
		ms[i].OrganisationID, ms[i].ConferenceID, ms[i].UpdatedAt = org.ID, org.ConferenceID, s.now()
		if err := notFound(s.write(ctx).Create(&ms[i]).Error); err != nil {
			return err
		}
	}
	return nil
}

// Checkin is a delegate's check-in code (as a blind index and sealed) and presence: in the hall
// since CheckedInAt, or online since RemoteSince.
type Checkin struct {
	DelegateID   string `gorm:"primaryKey"`
	ConferenceID string
	CodeHash     string
	CodeSealed   []byte
	CheckedInAt  *time.Time
	RemoteSince  *time.Time
	CreatedAt    time.Time
	// Code is the plaintext code, opened from CodeSealed.
	Code string `gorm:"-"`
}

// Present reports whether the delegate is in the hall or declared present online.
func (c *Checkin) Present() bool { return c != nil && (c.CheckedInAt != nil || c.RemoteSince != nil) }

// checkinPurpose scopes the blind index of check-in codes to one conference.
func checkinPurpose(conferenceID string) string { return "checkin:" + conferenceID }

// CheckinCodeHash returns the blind index of a check-in code within a conference.
func (s *Store) CheckinCodeHash(conferenceID, code string) string {
	return hex.EncodeToString(s.box.Index(checkinPurpose(conferenceID), code))
}

// CheckinOf returns the delegate's check-in row, creating it with newCode() when there is none.
func (s *Store) CheckinOf(ctx context.Context, d *Delegate, newCode func() string) (*Checkin, error) {
	var cs []Checkin
	if err := s.read(ctx).Where("delegate_id = ?", d.ID).Limit(1).Find(&cs).Error; err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		code := newCode()
		c := Checkin{DelegateID: d.ID, ConferenceID: d.ConferenceID, CodeHash: s.CheckinCodeHash(d.ConferenceID, code),
			CodeSealed: s.box.Seal("checkins", "code", d.ID, code), CreatedAt: s.now(), Code: code}
		if err := notFound(s.write(ctx).Create(&c).Error); err != nil {
			return nil, err
		}
		return &c, nil
	}
	c := cs[0]
	code, err := s.box.Open("checkins", "code", c.DelegateID, c.CodeSealed)
	c.Code = code
	return &c, err
}

// CheckinByCode returns the check-in row of a code within a conference, or ErrNotFound.
func (s *Store) CheckinByCode(ctx context.Context, conferenceID, code string) (*Checkin, error) {
	var c Checkin
	err := s.write(ctx).Where("conference_id = ? AND code_hash = ?", conferenceID, s.CheckinCodeHash(conferenceID, code)).Take(&c).Error
	return &c, notFound(err)
}

// MarkCheckedIn records that the delegate entered the hall; first reports whether it is the
// first time.
func (s *Store) MarkCheckedIn(ctx context.Context, delegateID string) (first bool, err error) {
	res := s.write(ctx).Model(&Checkin{}).Where("delegate_id = ? AND checked_in_at IS NULL", delegateID).Update("checked_in_at", s.now())
	return res.RowsAffected == 1, res.Error
}

// SetRemotePresence records (present) or ends a remote delegate's declared presence.
func (s *Store) SetRemotePresence(ctx context.Context, delegateID string, present bool) error {
	var at any
	if present {
		at = s.now()
	}
	return s.write(ctx).Model(&Checkin{}).Where("delegate_id = ?", delegateID).Update("remote_since", at).Error
}

// PresentDelegates returns the IDs of the approved delegates of a conference who are present.
func (s *Store) PresentDelegates(ctx context.Context, conferenceID string) ([]Delegate, error) {
	var ds []Delegate
	err := s.read(ctx).Where("status = ? AND erased_at IS NULL AND id IN (?)", DelegateApproved,
		s.read(ctx).Model(&Checkin{}).Select("delegate_id").Where("conference_id = ? AND (checked_in_at IS NOT NULL OR remote_since IS NOT NULL)", conferenceID)).
		Select("id, organisation_id, role").Find(&ds).Error
	return ds, err
}

// DelegationsOf returns every delegation member of a conference.
func (s *Store) DelegationsOf(ctx context.Context, conferenceID string) ([]DelegationMember, error) {
	var ms []DelegationMember
	err := s.read(ctx).Where("conference_id = ?", conferenceID).Find(&ms).Error
	return ms, err
}

// EligibleVoters counts the voters of a conference under a weighting: verified organisations
// with at least one approved delegate (role delegate), or approved delegates (role delegate)
// without an organisation or of a verified one.
func (s *Store) EligibleVoters(ctx context.Context, conferenceID string, w VoteRule) (int, error) {
	var n int64
	q := s.read(ctx).Table("delegates d").Joins("LEFT JOIN organisations o ON o.id = d.organisation_id").
		Where("d.conference_id = ? AND d.status = ? AND d.role = ? AND d.erased_at IS NULL", conferenceID, DelegateApproved, RoleDelegate)
	var err error
	if w == VotePerOrganisation {
		err = q.Where("o.status = ?", OrgVerified).Distinct("d.organisation_id").Count(&n).Error
	} else {
		err = q.Where("d.organisation_id IS NULL OR o.status = ?", OrgVerified).Count(&n).Error
	}
	return int(n), err
}
